"""What the model measures: the names of the monthly table's outcome columns.

A static list, shared by the model (which records them), the experiments (which validate
``--metrics``) and the reports (which label them), so that no layer has to build a model to
learn the names. ``tests/test_outcomes.py`` checks the list against a real run's table.
"""

from __future__ import annotations

HEADLINE = ("attitude", "fee_compliance", "fee_collection", "employment", "maturity")
# the four the study asks the simulation to measure (BRIEF §7): charts of runs and the dashboard
FOUR_MEASURES = ("attitude", "fee_compliance", "employment", "maturity")
DEFAULT_METRICS = (*HEADLINE, "stability")  # what compare and sweeps report unless told
SUBSCORES = ("participation", "self_government", "cadres", "separation", "democracy")  # maturity
FEE_KEYS = ("fee_compliance", "own_fee_share", "fee_collection", "fee_willingness", "evasion",
            "enforced", "household_bill", "on_behalf_shortfall")
EVENT_KEYS = ("births", "deaths", "recruits", "job_losses", "hires",
              "graduates", "retirements", "retired", "recruited", "trained", "dividends",
              "events_held", "sessions_held", "joined")
PEOPLE_KEYS = ("residents", "households", "attitude", "attitude_under40", "attitude_40_59",
               "attitude_60plus", "village_attitude_eta2", "employment", "trained_share",
               "in_training", "party_members", "active_members", "party_member_mean_age",
               "employment_under40", "employment_prime", "employment_4050")
ORGANISATION_KEYS = ("maturity", "maturity_level", *(f"maturity_{s}" for s in SUBSCORES),
                     "stability", "complaints", "grievance", "cadres", "cadre_mean_age",
                     "branches", "mass_organisations", "service_quality",
                     "company_professionalism")
MONEY_KEYS = ("community_balance", "cooperative_funds", "company_balance", "households_balance",
              "outside_balance", "arrears")
COMMUNITY_KEYS = ("volunteers", "mass_org_members", "turnout", "meeting_attendance", "petitions",
                  "petitions_resolved", "petitions_via_committee", "petitions_escalated",
                  "home_visits", "collective_paid_share", "secretary_chaired",
                  "collective_fee_share", "building_areas_formed", "outsider_staff",
                  "scheme_conformity", "switched", "signposts_held")
# every numeric outcome column of the monthly table, in the table's order: what may be compared
COMPARABLE = (*PEOPLE_KEYS, *ORGANISATION_KEYS, *MONEY_KEYS, *COMMUNITY_KEYS, *FEE_KEYS,
              *EVENT_KEYS)
RUN_COLUMNS = ("scenario", "replication", "seed", "month", "year", "month_of_year")
# where a difference between schemes follows (partly) from a scheme's definition rather than
# from behaviour: the metric, and the reason (a message key "definition.<reason>")
BY_DEFINITION = {
    "fee_compliance": ("bill",),  # each scheme bills households a different amount
    "fee_collection": ("payer",),  # under Scheme 1 the collectives pay most of it
    # its own-fee part (who is billed the fee) and its channel parts (Scheme 2 has no
    # village branches to take matters to)
    "maturity_self_government": ("own_share", "channels"),
    "maturity_separation": ("separation",),  # payment on behalf, secretaries chairing coops
}
# Of those, the ones whose difference between the schemes follows wholly from the schemes'
# definitions: Scheme 1 prescribes the payment on behalf and keeps the secretaries chairing
# (no cooperative corporatises); behaviour sets only the pace of Scheme 2's corporatisation.
WHOLLY_BY_DEFINITION = frozenset({"maturity_separation"})
