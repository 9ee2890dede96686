"""The month's processes in order (``MonthlyProcesses``), and the little state they carry
between months (``MonthState``).

Order (docs/ODD.md §3): switch levers → reforms (shocks, restructuring) → found organisations
→ demography → cadres → party members → employment → attitude → fees → finances →
stability → maturity. Each step is a short method that calls submodels with the state they act
on and stores what they return; the rules themselves live in ``resettle.sim.submodels``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from resettle.params.sections import Levers
from resettle.sim.agents import Resident
from resettle.sim.agents.mass_organisation import KINDS
from resettle.sim.network import ContactSampler, GroupSampler, StaticRows
from resettle.sim.population import SECTOR_COMPANY
from resettle.sim.submodels import (
    attitude,
    cadres,
    demography,
    employment,
    fee_collection,
    fees,
    finances,
    influence,
    maturity,
    organisations,
    party,
    stability,
)
from resettle.sim.submodels.calendar import due_this_month

# Dongyu today (§1(1)): village branches run village cooperatives, the collectives pay the
# property fee, the community runs the property company, leadership is appointed.
STATUS_QUO = Levers()
MEETING_MEMORY_MONTHS = 12  # the routine score counts the meetings of the last 12 months


@dataclass
class MonthState:
    """What a month leaves for later months and for the monthly table.

    ``in_force``: the levers the reforms have applied; ``active``: party members active this
    month (per resident); ``paid_own_property_fee``: households that paid their own property
    fee last billing period; ``meetings``: (held, norm) of the last 12 months; ``separation``
    and ``elected``: the slow approach of maturity's separation and elected-leadership parts;
    ``complaint_share``: households complaining this month; ``fee``: the last billing period's
    fee metrics; ``scores``: maturity's sub-scores now; ``events``: this month's counts.
    """

    in_force: Levers
    active: np.ndarray
    paid_own_property_fee: np.ndarray
    meetings: deque = field(default_factory=lambda: deque(maxlen=MEETING_MEMORY_MONTHS))
    separation: float = 0.0
    elected: float = 0.0
    complaint_share: float = 0.0
    fee: dict[str, float] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    events: dict[str, float] = field(default_factory=dict)


class MonthlyProcesses:
    """Runs one month of the model, in the documented order; ``state`` is what it carries."""

    def __init__(self, model) -> None:
        self.model = model
        self.rng = model.rng
        self.state = MonthState(in_force=STATUS_QUO, active=np.zeros(model.people.n, bool),
                                paid_own_property_fee=np.zeros(model.homes.n, bool))
        self.static_rows = StaticRows([model.layers[k] for k in ("household", "building",
                                                                  "village")], model.people.n)
        fee_collection.fee_history(model, self.state.in_force,
                                   fees.adult_attitude(model.people, model.homes.n),
                                   model.params.community.fee_history_months, self.rng)

    def run(self, month: int) -> None:
        """One month, in the documented order."""
        self.state.events = {}
        self.switch_levers(month)
        self.reform(month)
        organisations.found_due(self.model, month)
        self.demography()
        self.cadres(month)
        self.party(month)
        self.employment()
        self.attitude(month)
        self.fees(month)
        self.finances(month)
        self.stability()
        self.maturity(month)

    # ---- institutions -------------------------------------------------------------------
    def switch_levers(self, month: int) -> None:
        """Phased scenarios: the switch levers apply from the first month after year Y."""
        p = self.model.params
        if p.switch_year is not None and month == 12 * p.switch_year + 1:
            self.model.levers = p.switch_levers

    def reform(self, month: int) -> None:
        """Apply lever changes: grievance shocks, branches, the company's status."""
        new, old = self.model.levers, self.state.in_force
        if new == old and month > 1:
            return
        u, h = self.model.params.uncertainties, self.model.homes
        shock = stability.reform_shock(old, new,
                                       dict(zip(stability.REFORMS, u.reform_shocks, strict=True)))
        if shock > 0:
            gap = stability.readiness_gap(fees.adult_attitude(self.model.people, h.n),
                                          u.readiness_attitude)
            h.grievance += shock * gap
        organisations.rebuild_branches(self.model, month)
        self.restructure_company()
        if self.model.general_branch is not None:
            self.model.general_branch.elected = new.leadership == "elected"
        self.state.in_force = new

    def restructure_company(self) -> None:
        """Set the company's status; an outside firm keeps only part of the local staff."""
        m, lv, u = self.model, self.model.levers, self.model.params.uncertainties
        m.company.status = lv.property_company
        if lv.property_company == "outsourced":
            keep = employment.company_target(m.company_jobs, lv, u)
            gone = employment.layoffs(m.people, SECTOR_COMPANY, keep, self.rng)
            stability.grieve_residents(m.homes.grievance, m.people.household, gone,
                                       u.job_loss_grievance)

    # ---- people -------------------------------------------------------------------------
    def demography(self) -> None:
        """Ageing, deaths and replacing births."""
        m = self.model
        r, u, c = m.people, m.params.uncertainties, m.params.community
        dead = demography.age_and_die(r, u.mortality_a, u.mortality_b, self.rng)
        for slot in dead:
            m.resident_agents[slot].remove()
            m.resident_agents[slot] = Resident(m, int(slot))
        newborn_att = demography.newborn_attitude(r, dead, m.homes.n)
        demography.newborns(r, dead, newborn_att, self.rng, c.female_share,
                            c.mass_org_demand_share)
        self.state.events.update(deaths=len(dead), births=len(dead))

    def cadres(self, month: int) -> None:
        """Cadres age, retire, train, are recruited; the dispatched secretary comes and goes."""
        m = self.model
        self.state.events.update(cadres.cadre_month(m, month, self.rng))
        cadres.dispatch_secretary(m, m.general_branch is not None
                                  and m.levers.leadership == "appointed",
                                  m.params.uncertainties.dispatched_cadre_competence)

    def party(self, month: int) -> None:
        """Recruit members on schedule; decide who is active this month."""
        r, lv, u = self.model.people, self.model.levers, self.model.params.uncertainties
        recruits = party.recruit(r, due_this_month(lv.party_recruits_per_year, month), self.rng)
        self.state.active = party.activity(r, u.member_activity, u.member_posts_activity,
                                           lv.member_posts, u.member_active_age_limit,
                                           u.mobile_member_activity, self.rng)
        r.active_member[:] = self.state.active
        self.state.events["recruits"] = len(recruits)

    def employment(self) -> None:
        """Separations, training, local openings and outside hires."""
        m = self.model
        r, u, lv = m.people, m.params.uncertainties, m.levers
        lost = employment.separations(r, u.job_separation_rate, self.rng)
        stability.grieve_residents(m.homes.grievance, r.household, lost, u.job_loss_grievance)
        search_p = employment.search_probability(finances.nonlabour_per_adult(m), u.wage_month,
                                                 u.reservation_weight, u.min_search_probability)
        searching = employment.seekers(r, search_p, u.search_age_limit, self.rng)
        grads, placed = employment.training_step(r, searching, lv.training_capacity,
                                                 lv.training_months, u.training_placement_share,
                                                 self.rng)
        searching &= (r.training_left == 0) & ~r.employed
        logodds = employment.hiring_logodds(r, u)
        openings = employment.local_openings(
            r, u.enterprise_openings_per_month,
            employment.company_target(m.company_jobs, lv, u), m.service_jobs, self.rng)
        local = employment.fill_openings(r, searching, logodds, openings, self.rng)
        outside = employment.outside_hires(r, searching, logodds, u.outside_job_rate, self.rng)
        self.state.events.update(job_losses=len(lost), hires=local + outside + placed,
                                 graduates=grads)

    def attitude(self, month: int) -> None:
        """Social influence rounds on the contact network, then exposure drift."""
        m = self.model
        r, u, lv = m.people, m.params.uncertainties, m.levers
        plasticity = attitude.plasticity(r.age, u.plasticity_decay)
        sampler = ContactSampler([GroupSampler(attitude.work_groups(r))],
                                 attitude.tie_weights(u, lv.branch_basis), self.static_rows)
        influence.influence_month(r.attitude, u.convergence_rate * plasticity,
                                  u.confidence_bound, sampler, u.contacts_per_month, self.rng)
        exposed = attitude.exposure(
            r, u, lv, month, mass_share=len(m.mass_organisations) / len(KINDS),
            zones=party.zones(r, lv.branch_basis, m.n_buildings, lv.building_areas),
            active=self.state.active,
            paid_own_fee=self.state.paid_own_property_fee[r.household], rng=self.rng)
        attitude.exposure_drift(r.attitude, plasticity * exposed)

    # ---- money --------------------------------------------------------------------------
    def fees(self, month: int) -> None:
        """Bill households, collect, enforce; collectives pay on behalf where they do."""
        m = self.model
        if month % m.levers.billing_period_months != 0:
            return
        outcome = fee_collection.collect_fees(m, fees.adult_attitude(m.people, m.homes.n),
                                              self.rng)
        stability.grieve_households(m.homes.grievance, outcome.detected,
                                    m.params.uncertainties.enforcement_grievance)
        self.state.paid_own_property_fee = outcome.paid_own_property_fee
        self.state.fee = outcome.metrics

    def finances(self, month: int) -> None:
        """Cooperatives, community, company, wages and rent."""
        if month == 1:
            finances.startup_funds(self.model)
        self.state.events["dividends"] = finances.cooperatives_month(self.model, month)
        finances.community_month(self.model)
        finances.wages_and_rent(self.model)
        finances.company_month(self.model)

    # ---- outcomes -----------------------------------------------------------------------
    def stability(self) -> None:
        """Grievances fade (faster with home visits); households complain."""
        h, u, lv = self.model.homes, self.model.params.uncertainties, self.model.levers
        stability.relax(h.grievance, u.grievance_memory_months,
                        u.home_visit_relief if lv.home_visits else 0.0)
        self.state.complaint_share = float(stability.complaints(h.grievance, self.rng).mean())

    def maturity(self, month: int) -> None:
        """Meetings, elections and the five sub-scores of organisational maturity."""
        m, u, lv, s = self.model, self.model.params.uncertainties, self.model.levers, self.state
        quality = cadres.cadre_quality(m.cadres)
        s.meetings.append(organisations.hold_meetings(m, month, quality, self.rng))
        if organisations.hold_elections(m, month, quality, self.rng) and lv.leadership == "elected":
            cadres.replace_weakest(m, u.election_turnover, self.rng)
        s.separation = maturity.approach(s.separation, maturity.separation_target(lv),
                                         u.transition_months)
        s.elected = maturity.approach(s.elected, float(lv.leadership == "elected"),
                                      u.transition_months)
        s.scores = maturity.subscores(m, s.meetings, s.separation, s.elected, quality)
