"""The month's processes in order (``MonthlyProcesses``), and the little state they carry
between months (``MonthState``).

Order (docs/ODD.md §3): switch levers → reforms (shocks, phasing, restructuring) → found
organisations → demography → cadres → party members and volunteers → employment → attitude →
fees → finances → stability (grievance, matters raised, home visits) → maturity (meetings,
elections, the evidence). Each step is a short method that calls submodels with the state they
act on and their own random stream (``resettle.sim.seeds``), and stores what they return; the
rules themselves live in ``resettle.sim.submodels``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from resettle.params.sections import Levers
from resettle.sim.agents import Resident
from resettle.sim.agents.mass_organisation import KINDS
from resettle.sim.network import ContactSampler, GroupSampler, StaticRows, has_neighbour, tie_matrix
from resettle.sim.population import (
    ADULT_AGE,
    IS_LOCAL,
    SECTOR_COMPANY,
    STAFFED_SECTORS,
    retired,
    working_age,
)
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
    participation,
    party,
    petitions,
    stability,
    transition,
)
from resettle.sim.submodels.calendar import due_this_month

# Dongyu today (§1(1)): village branches run village cooperatives, the collectives pay the
# property fee, the community runs the property company, leadership is appointed.
STATUS_QUO = Levers()
TIE_LAYERS = ("household", "building", "village")  # the static layers of the contact network


@dataclass
class MonthState:
    """What a month leaves for later months and for the monthly table.

    ``in_force``: the levers the reforms have applied; ``collective_share`` and
    ``areas_formed``: the collectives' share of the property fee and the building areas with a
    branch now (``phase``: a phase-in under way); ``active``: party members active this month;
    ``paid_own_property_fee`` and ``caught``: households that paid their own property fee, and
    those caught evading, last billing period; ``household_attitude``: households' mean adult
    attitude after this month's attitude step; ``outsiders``: local posts held by outsiders, by
    sector; ``complaint_share``: households raising a matter this month; ``fee``: the last
    billing period's metrics; ``record``: this month's evidence (matters raised and resolved,
    visits, meetings, money), ``records`` the last ``maturity_window_months`` of them;
    ``scores``: maturity's sub-scores; ``conformity``: how far the levers match Scheme 2's
    design; ``events``: this month's counts;
    ``competence``: the competence factors (``cadres.competence_factor``) of this month's
    community cadres, business cadres and all cadres, after the cadres step;
    ``switched_month``: the month the switch's levers first applied (None: not yet);
    ``signposts_held``: the months in a row, up to the last recorded one, in which a triggered
    switch's conditions held.
    """

    in_force: Levers
    active: np.ndarray
    paid_own_property_fee: np.ndarray
    caught: np.ndarray
    household_attitude: np.ndarray  # households' mean adult attitude, after this month's drift
    records: deque  # the window's monthly records (maxlen maturity_window_months)
    activities: tuple[int, int] = (0, 0)  # culture events and school sessions held this month
    collective_share: float = 1.0
    areas_formed: int = 0
    phase: transition.Phase | None = None
    outsiders: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STAFFED_SECTORS, 0))
    complaint_share: float = 0.0
    fee: dict[str, float] = field(default_factory=dict)
    record: dict[str, float] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    conformity: float = 0.0
    events: dict[str, float] = field(default_factory=dict)
    competence: dict[str, float] = field(default_factory=dict)
    switched_month: int | None = None
    signposts_held: int = 0


class MonthlyProcesses:
    """Runs one month of the model, in the documented order; ``state`` is what it carries."""

    def __init__(self, model) -> None:
        self.model = model
        self.streams = model.streams
        n_h = model.homes.n
        self.state = MonthState(in_force=STATUS_QUO, active=np.zeros(model.people.n, bool),
                                paid_own_property_fee=np.zeros(n_h, bool),
                                caught=np.zeros(n_h, bool),
                                household_attitude=fees.adult_attitude(model.people, n_h),
                                records=deque(maxlen=model.params.uncertainties
                                              .maturity_window_months))
        self.tie_layers = [model.layers[k] for k in TIE_LAYERS]
        self.static_rows = StaticRows(self.tie_layers, model.people.n)
        self.ties = tie_matrix(self.tie_layers, model.people.n)
        fee_collection.fee_history(model, STATUS_QUO, fees.adult_attitude(model.people, n_h),
                                   model.params.community.fee_history_months,
                                   self.streams["fees.history"])

    def run(self, month: int) -> None:
        """One month, in the documented order."""
        self.streams.start_month(month)
        self.state.events, self.state.record = {}, {}
        self.switch_levers(month)
        self.reform(month)
        organisations.found_due(self.model, month)
        self.demography()
        self.cadres(month)
        self.party(month)
        self.participation()
        self.employment()
        self.activities(month)
        self.attitude(month)
        self.fees(month)
        self.finances(month)
        self.stability()
        self.meetings_and_elections(month)
        self.maturity()

    # ---- institutions -------------------------------------------------------------------
    def switch_levers(self, month: int) -> None:
        """Phased scenarios: the switch levers apply from the first month after year Y, or
        when a trigger's signposts have held (``resettle.params.switch``), their fee and branch
        parts over ``switch_phase_months`` when the scenario phases them in."""
        p, s = self.model.params, self.state
        if p.switch_trigger is not None:
            s.signposts_held = s.signposts_held + 1 if p.switch_trigger.met(
                self.model.rows[-1]) else 0
        if s.switched_month is None and self.switch_due(month):
            s.switched_month = month
            self.model.levers = p.levers_after_switch(self.model.levers)
            if p.switch_phase_months:
                s.phase = transition.Phase(s.collective_share, s.areas_formed,
                                           p.switch_phase_months)

    def switch_due(self, month: int) -> bool:
        """Whether the switch happens this month (it happens once)."""
        p = self.model.params
        if p.switch_trigger is not None:
            return p.switch_trigger.due(month, self.state.signposts_held)
        return p.switch_year is not None and month == 12 * p.switch_year + 1

    def reform(self, month: int) -> None:
        """Apply lever changes (a phase-in a step further, unless stalled): the grievance shock,
        the branches, the company's status."""
        m, s = self.model, self.state
        new, old = m.levers, s.in_force
        s.phase = transition.advance(s.phase, s.complaint_share,
                                     m.params.uncertainties.stall_complaint_share)
        share, areas = transition.in_force(new, s.phase)
        d_share = share - s.collective_share
        d_areas = (areas - s.areas_formed) / max(new.building_areas, 1)
        if new == old and d_share == 0 and d_areas == 0 and month > 1:
            return
        self.reform_shock(old, new, d_share, d_areas)
        organisations.rebuild_branches(m, month, areas)
        if new != old or month == 1:
            self.restructure_company()
        s.in_force, s.collective_share, s.areas_formed = new, share, areas

    def reform_shock(self, old: Levers, new: Levers, d_share: float, d_areas: float) -> None:
        """Every household's grievance rises by the reform's shock times its readiness gap."""
        m, u = self.model, self.model.params.uncertainties
        shock = stability.reform_shock(old, new, dict(zip(stability.REFORMS, u.reform_shocks,
                                                          strict=True)), d_share, d_areas)
        if shock > 0:
            gap = stability.readiness_gap(fees.adult_attitude(m.people, m.homes.n),
                                          u.readiness_attitude)
            m.homes.grievance += shock * gap

    def restructure_company(self) -> None:
        """Set the company's status; an outside firm keeps only part of the local staff."""
        m, lv, u = self.model, self.model.levers, self.model.params.uncertainties
        m.company.status = lv.property_company
        if lv.property_company == "outsourced":
            keep = employment.company_target(m.company_jobs, lv, u)
            gone = employment.layoffs(m.people, SECTOR_COMPANY, keep,
                                      self.streams["employment.layoffs"])
            stability.grieve_residents(m.homes.grievance, m.people.household, gone,
                                       u.job_loss_grievance)

    # ---- people -------------------------------------------------------------------------
    def demography(self) -> None:
        """Ageing, deaths and replacing births."""
        m = self.model
        r, u, c = m.people, m.params.uncertainties, m.params.community
        dead = demography.age_and_die(r, u.mortality_a, u.mortality_b,
                                      self.streams["demography.deaths"])
        for slot in dead:
            m.resident_agents[slot].remove()
            m.resident_agents[slot] = Resident(m, int(slot))
        newborn_att = demography.newborn_attitude(r, dead, m.homes.n)
        demography.newborns(r, dead, newborn_att, self.streams["demography.births"],
                            c.female_share, c.mass_org_demand_share)
        self.state.events.update(deaths=len(dead), births=len(dead))

    def cadres(self, month: int) -> None:
        """Cadres age, retire, train, are recruited; the dispatched secretary comes and goes."""
        m = self.model
        self.state.events.update(cadres.cadre_month(m, month, self.streams["cadres"]))
        u = m.params.uncertainties
        cadres.dispatch_secretary(m, m.general_branch is not None
                                  and m.levers.leadership == "appointed",
                                  u.dispatched_cadre_competence)
        self.state.competence = {
            "community": cadres.competence_factor(cadres.cadre_quality(m.cadres, "community"), u),
            "business": cadres.business_factor(m.cadres, u),
            "all": cadres.competence_factor(cadres.cadre_quality(m.cadres), u)}

    def party(self, month: int) -> None:
        """Recruit members on schedule; decide who is active this month."""
        m, s = self.model, self.state
        r, lv, u = m.people, m.levers, m.params.uncertainties
        recruits = party.recruit(r, due_this_month(lv.party_recruits_per_year, month),
                                 self.streams["party.recruit"])
        s.active = party.activity(r, u.member_activity, u.member_posts_activity,
                                  lv.member_posts, u.member_active_age_limit,
                                  u.mobile_member_activity, self.streams["party.activity"])
        r.active_member[:] = s.active
        s.events["recruits"] = len(recruits)

    def participation(self) -> None:
        """Who volunteers this month; who joins a mass organisation."""
        m = self.model
        r, lv, u = m.people, m.levers, m.params.uncertainties
        participation.volunteering(r, lv.volunteer_service, lv.member_posts, u,
                                   self.streams["volunteers"])
        self.state.events["joined"] = participation.join_mass_organisations(
            r, len(m.mass_organisations) / len(KINDS), u, self.streams["mass organisations"])

    def employment(self) -> None:
        """Retirement, separations, training, local openings and outside hires."""
        m, s = self.model, self.state
        r, u, lv, c = m.people, m.params.uncertainties, m.levers, m.params.community
        gone = employment.retirements(r, retired(r.age, r.female, c))
        lost = employment.separations(r, u.job_separation_rate,
                                      self.streams["employment.separations"])
        stability.grieve_residents(m.homes.grievance, r.household, lost, u.job_loss_grievance)
        search_p = employment.search_probability(finances.nonlabour_per_adult(m), u.wage_month,
                                                 u.reservation_weight, u.min_search_probability)
        searching = employment.seekers(r, search_p, working_age(r.age, r.female, c),
                                       self.streams["employment.search"])
        placement = u.training_placement_share * self.competence_factor()
        grads, placed = employment.training_step(r, searching, lv.training_capacity,
                                                 lv.training_months, placement,
                                                 self.streams["employment.training"])
        searching &= (r.training_left == 0) & ~r.employed
        logodds = employment.hiring_logodds(r, u, self.referred(searching))
        local = self.local_hiring(searching, logodds)
        outside = employment.outside_hires(r, searching, logodds, u.outside_job_rate,
                                           self.streams["employment.outside"])
        s.events.update(job_losses=len(lost), hires=local + outside + placed,
                        graduates=grads, retirements=len(gone))

    def referred(self, searching: np.ndarray) -> np.ndarray:
        """Seekers with a household, building or village tie employed at a local employer."""
        r = self.model.people
        seekers = np.flatnonzero(searching)
        out = np.zeros(r.n, bool)
        out[seekers] = has_neighbour(self.ties, r.employed & IS_LOCAL[r.sector], seekers)
        return out

    def local_hiring(self, searching: np.ndarray, logodds: np.ndarray) -> int:
        """Fill the local openings: residents' share by preference, the rest by outsiders."""
        m, s = self.model, self.state
        r, u, lv = m.people, m.params.uncertainties, m.levers
        left = employment.outsider_departures(s.outsiders, u.job_separation_rate,
                                              self.streams["employment.outsiders"])
        s.outsiders = {k: s.outsiders[k] - left[k] for k in STAFFED_SECTORS}
        managed = sum(not coop.chaired_by_secretary for coop in m.cooperatives)
        targets = employment.staffing_targets(
            employment.company_target(m.company_jobs, lv, u), m.service_jobs,
            round(u.cooperative_jobs * r.n / 1000 * managed / max(len(m.cooperatives), 1)))
        openings, to_outsiders = employment.local_openings(
            r, u.enterprise_openings_per_month, targets, s.outsiders, lv.local_hiring_share,
            self.streams["employment.openings"])
        s.outsiders = {k: s.outsiders[k] + to_outsiders[k] for k in STAFFED_SECTORS}
        return employment.fill_openings(r, searching, logodds, openings,
                                        self.streams["employment.hiring"])

    def activities(self, month: int) -> None:
        """The culture events and school sessions the community can pay for this month."""
        m, lv = self.model, self.model.levers
        self.state.activities = finances.hold_activities(
            m, due_this_month(lv.culture_events_per_year, month), lv.school_sessions_per_month)
        self.state.events.update(events_held=self.state.activities[0],
                                 sessions_held=self.state.activities[1])

    def attitude(self, month: int) -> None:
        """Social influence rounds on the contact network, then drift: exposure up, resentment
        down."""
        m, s = self.model, self.state
        r, u, lv = m.people, m.params.uncertainties, m.levers
        plasticity = attitude.plasticity(r.age, u.plasticity_decay)
        sampler = ContactSampler([GroupSampler(attitude.work_groups(r))],
                                 attitude.tie_weights(u, s.areas_formed / max(lv.building_areas,
                                                                                 1)),
                                 self.static_rows)
        influence.influence_month(r.attitude, u.convergence_rate * plasticity,
                                  u.confidence_bound, sampler, u.contacts_per_month,
                                  self.streams.counter_key("influence"), month)
        events, sessions = s.activities
        exposed = attitude.exposure(
            r, u, events=events, school_sessions=sessions,
            mass_share=len(m.mass_organisations) / len(KINDS),
            zones=party.zones(r, m.n_buildings, lv.building_areas, s.areas_formed,
                              len(m.village_names)),
            active=s.active, paid_own_fee=s.paid_own_property_fee[r.household],
            rng=self.streams["exposure"])
        adult = r.age >= ADULT_AGE
        loss = attitude.resentment(m.homes.grievance, s.caught, u)[r.household] * adult
        attitude.exposure_drift(r.attitude, plasticity * exposed, plasticity * loss)
        s.caught = np.zeros(m.homes.n, bool)
        s.household_attitude = fees.adult_attitude(r, m.homes.n)


    # ---- money --------------------------------------------------------------------------
    def fees(self, month: int) -> None:
        """Bill households, collect, enforce; collectives pay on behalf where they do."""
        m, s = self.model, self.state
        if month % m.levers.billing_period_months != 0:
            return
        enforcement = min(1.0, m.levers.enforcement_probability * self.competence_factor())
        outcome = fee_collection.collect_fees(m, s.household_attitude,
                                              s.collective_share, enforcement,
                                              self.streams["fees.billing"])
        stability.grieve_households(m.homes.grievance, outcome.detected,
                                    m.params.uncertainties.enforcement_grievance)
        s.paid_own_property_fee, s.caught = outcome.paid_own_property_fee, outcome.detected
        s.fee = outcome.metrics
        s.record.update(own_fee_paid=outcome.own_paid, full_fee_due=outcome.full_due)

    def finances(self, month: int) -> None:
        """Cooperatives, community, company, wages, rent and pensions; the owners' committee."""
        m = self.model
        if month == 1:
            finances.startup_funds(m)
        finances.corporatise(m, self.streams["cooperatives"])
        s = self.state
        s.events["dividends"] = finances.cooperatives_month(m, month, s.competence["business"],
                                                            s.collective_share)
        finances.community_month(m)
        finances.wages_rent_pensions(m)
        finances.company_month(m, s.competence["all"])
        organisations.owners_committee_month(m, month, self.state.collective_share < 1.0)

    # ---- outcomes -----------------------------------------------------------------------
    def stability(self) -> None:
        """Grievances fade; households raise matters, which are routed and resolved; home
        visits reach those in most trouble."""
        m, s = self.model, self.state
        h, u = m.homes, m.params.uncertainties
        stability.relax(h.grievance, u.grievance_memory_months)
        raising = np.flatnonzero(stability.complaints(h.grievance, self.streams["stability"]))
        s.complaint_share = len(raising) / h.n
        done = petitions.handle(h.grievance, raising, s.household_attitude,
                                self.channels(), u.resolution_relief, u.group_routing,
                                self.streams["petitions"])
        visits = petitions.home_visits(h.grievance, self.visit_capacity(), u.home_visit_relief)
        s.record.update(raised=len(raising), via_committee=len(done.via_committee),
                        resolved=len(done.resolved),
                        resolved_community=done.resolved_in_community,
                        escalated=len(done.escalated), visits=visits)

    def village_branches(self) -> int:
        """Village branches in place (the village channel for residents' matters)."""
        return sum(1 for b in self.model.branches if b.basis == "village")

    def channels(self) -> petitions.Channels:
        """The channels for residents' matters this month and their capacities."""
        m, lv, u = self.model, self.model.levers, self.model.params.uncertainties
        committee, factor = m.committee, self.competence_factor()
        return petitions.Channels(
            committee=(u.cases_per_cadre_month * cadres.community_cadres(m.cadres) * factor
                       if committee else 0.0),
            village=u.village_cases_per_branch_month * self.village_branches(),
            reception=u.reception_cases_month * factor if lv.petition_reception else 0.0,
            committee_exists=committee is not None, village_exists=self.village_branches() > 0,
            groups=bool(committee and committee.residents_groups))

    def visit_capacity(self) -> float:
        """Home visits the community's cadres and volunteers can make this month."""
        m, u = self.model, self.model.params.uncertainties
        if not m.levers.home_visits:
            return 0.0
        return (u.visits_per_cadre_month * cadres.community_cadres(m.cadres)
                * self.competence_factor()
                + u.visits_per_volunteer_month * int(m.people.volunteer.sum()))

    def competence_factor(self) -> float:
        """How far programmes the community's cadres run reach their nominal effect."""
        return self.state.competence["community"]

    def meetings_and_elections(self, month: int) -> None:
        """This month's meetings and who attends them; an election when one is due (with cadre
        turnover under elected leadership)."""
        m, s = self.model, self.state
        u, h = m.params.uncertainties, m.homes
        quality = cadres.cadre_quality(m.cadres)
        held, scheduled = organisations.hold_meetings(m, month, quality,
                                                      self.streams["meetings"])
        p = participation.propensity(s.household_attitude, h.grievance, u)
        attended = participation.take_part(p, self.streams["attendance"])
        turnout = participation.take_part(p, self.streams["turnout"])
        challengers = int(self.streams["candidates"].binomial(int(m.people.volunteer.sum()),
                                                              u.candidacy_rate))
        held_election = organisations.hold_elections(m, month, quality, turnout, challengers,
                                                     self.streams["elections"])
        if held_election and m.levers.leadership == "elected":
            cadres.replace_weakest(m, u.election_turnover, self.streams["cadres.elections"])
        s.record.update(meetings_held=held, meetings_scheduled=scheduled,
                        invited=h.n if held else 0, attended=attended * h.n if held else 0.0)

    def maturity(self) -> None:
        """The month's money evidence; the window of evidence, the sub-scores, conformity."""
        m, s = self.model, self.state
        funds = {coop.fund_account for coop in m.cooperatives}
        by_collectives, funding = finances.collective_payments(m.ledger.flows, funds)
        s.record.update(collective_paid=by_collectives, services_funding=funding)
        s.records.append(s.record)
        s.scores = maturity.subscores(maturity.evidence(m, s.records,
                                                        cadres.cadre_quality(m.cadres)))
        s.conformity = maturity.scheme_conformity(m.levers)
