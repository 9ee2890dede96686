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
SUBSCORES = ("structure", "routine", "cadres", "separation", "democracy")  # of maturity
FEE_KEYS = ("fee_compliance", "fee_collection", "fee_willingness", "evasion", "enforced",
            "household_bill")
EVENT_KEYS = ("births", "deaths", "recruits", "job_losses", "hires", "graduates", "retired",
              "recruited", "trained", "dividends")
PEOPLE_KEYS = ("residents", "households", "attitude", "attitude_under40", "attitude_40_59",
               "attitude_60plus", "village_attitude_eta2", "employment", "trained_share",
               "in_training", "party_members", "active_members", "party_member_mean_age",
               "employment_under40", "employment_prime", "employment_4050",
               "employment_60plus")
ORGANISATION_KEYS = ("maturity", "maturity_level", *(f"maturity_{s}" for s in SUBSCORES),
                     "stability", "complaints", "grievance", "cadres", "cadre_mean_age",
                     "branches", "mass_organisations", "service_quality",
                     "company_professionalism")
MONEY_KEYS = ("community_balance", "cooperative_funds", "company_balance", "households_balance",
              "outside_balance", "arrears")
# every numeric outcome column of the monthly table, in the table's order: what may be compared
COMPARABLE = (*PEOPLE_KEYS, *ORGANISATION_KEYS, *MONEY_KEYS, *FEE_KEYS, *EVENT_KEYS)
RUN_COLUMNS = ("scenario", "replication", "seed", "month", "year", "month_of_year")
