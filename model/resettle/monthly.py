"""The month's processes in order, and the little state they carry between months.

Order (docs/ODD.md §3): switch levers → reforms (shocks, restructuring) → found organisations
→ demography → cadres → party members → employment → attitude → fees → finances →
stability → maturity. Each step is a short method calling one submodel.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from resettle.agents import Cadre, Resident
from resettle.agents.mass_organisation import KINDS
from resettle.network import ContactSampler, GroupSampler, StaticRows
from resettle.params import Levers
from resettle.population import SECTOR_COMPANY, SECTOR_ENTERPRISE, SECTOR_SERVICES
from resettle.submodels import (
    attitude,
    cadres,
    demography,
    employment,
    fees,
    finances,
    influence,
    maturity,
    organisations,
    party,
    stability,
)
from resettle.submodels.fee_collection import collect_fees, fee_history
from resettle.submodels.schedule import due_this_month

# Dongyu today (§1(1)): village branches run village cooperatives, the collectives pay the
# property fee, the community runs the property company, leadership is appointed.
STATUS_QUO = Levers()
# assumption (docs/ODD.md §7.4): the dispatched secretary is a 45-year-old town cadre with
# college schooling.
DISPATCHED_AGE, DISPATCHED_SCHOOLING = 45.0, 3
LOCAL_SECTORS = (SECTOR_ENTERPRISE, SECTOR_COMPANY, SECTOR_SERVICES)


class MonthlyProcesses:
    """Runs one month of the model and keeps what the next month needs."""

    def __init__(self, model) -> None:
        self.model = model
        self.rng = model.rng
        self.in_force = STATUS_QUO
        self.meetings: deque[tuple[int, float]] = deque(maxlen=12)
        self.separation = 0.0
        self.elected = 0.0
        self.events: dict[str, float] = {}
        self.fee: dict[str, float] = {}
        self.scores: dict[str, float] = {}
        self.complaint_share = 0.0
        self.active = np.zeros(model.people.n, bool)
        self.paid_own_property_fee = np.zeros(model.homes.n, bool)
        self.static_rows = StaticRows([model.layers[k] for k in ("household", "building",
                                                                  "village")], model.people.n)
        fee_history(model, self, model.params.community.fee_history_months)

    def run(self, month: int) -> None:
        """One month, in the documented order."""
        self.events = {}
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
        new = self.model.levers
        if new == self.in_force and month > 1:
            return
        u, h = self.model.params.uncertainties, self.model.homes
        shock = stability.reform_shock(self.in_force, new,
                                       dict(zip(stability.REFORMS, u.reform_shocks, strict=True)))
        if shock > 0:
            gap = stability.readiness_gap(self.household_attitude(), u.readiness_attitude)
            h.grievance += shock * gap
        organisations.rebuild_branches(self.model, month)
        self.restructure_company()
        if self.model.general_branch is not None:
            self.model.general_branch.elected = new.leadership == "elected"
        self.in_force = new

    def restructure_company(self) -> None:
        """Set the company's status; an outside firm keeps only part of the local staff."""
        company, lv = self.model.company, self.model.levers
        company.status = lv.property_company
        if lv.property_company == "outsourced":
            gone = employment.layoffs(self.model.people, SECTOR_COMPANY, self.company_target(),
                                      self.rng)
            self.add_grievance(gone, self.model.params.uncertainties.job_loss_grievance)

    def company_target(self) -> int:
        """Local jobs the property company offers under its status."""
        share = 1.0
        if self.model.levers.property_company == "outsourced":
            share = self.model.params.uncertainties.outsourced_local_share
        return round(self.model.company_jobs * share)

    # ---- people -------------------------------------------------------------------------
    def demography(self) -> None:
        """Ageing, deaths and replacing births."""
        r, u, c = self.model.people, self.model.params.uncertainties, self.model.params.community
        dead = demography.age_and_die(r, u.mortality_a, u.mortality_b, self.rng)
        for slot in dead:
            self.model.resident_agents[slot].remove()
            self.model.resident_agents[slot] = Resident(self.model, int(slot))
        alive = np.ones(r.n, bool)
        alive[dead] = False
        newborn_att = fees.household_attitude(r.attitude, r.household, (r.age >= 16) & alive,
                                              self.model.homes.n)[r.household[dead]]
        demography.newborns(r, dead, newborn_att, self.rng, c.female_share,
                            c.mass_org_demand_share)
        self.events.update(deaths=len(dead), births=len(dead))

    def cadres(self, month: int) -> None:
        """Cadres age, retire, train, are recruited; the dispatched secretary comes and goes."""
        self.events.update(cadres.cadre_month(self.model, month, self.rng))
        dispatched = [c for c in self.model.cadres if c.dispatched]
        wanted = (self.model.general_branch is not None
                  and self.model.levers.leadership == "appointed")
        if wanted and not dispatched:
            u = self.model.params.uncertainties
            Cadre(self.model, DISPATCHED_AGE, DISPATCHED_SCHOOLING, u.dispatched_cadre_competence,
                  "general-branch secretary (dispatched)", dispatched=True)
        for cadre in dispatched if not wanted else []:
            cadre.remove()

    def party(self, month: int) -> None:
        """Recruit members on schedule; decide who is active this month."""
        r, lv, u = self.model.people, self.model.levers, self.model.params.uncertainties
        recruits = party.recruit(r, due_this_month(lv.party_recruits_per_year, month), self.rng)
        self.active = party.activity(r, u.member_activity, u.member_posts_activity,
                                     lv.member_posts, u.member_active_age_limit,
                                     u.mobile_member_activity, self.rng)
        r.active_member[:] = self.active
        self.events["recruits"] = len(recruits)

    def employment(self) -> None:
        """Separations, training, local openings and outside hires."""
        m, r, u, lv = self.model, self.model.people, self.model.params.uncertainties, \
            self.model.levers
        lost = employment.separations(r, u.job_separation_rate, self.rng)
        self.add_grievance(lost, u.job_loss_grievance)
        search_p = employment.search_probability(self.nonlabour_per_adult(), u.wage_month,
                                                 u.reservation_weight, u.min_search_probability)
        searching = employment.seekers(r, search_p, u.search_age_limit, self.rng)
        grads, placed = employment.training_step(r, searching, lv.training_capacity,
                                                 lv.training_months, u.training_placement_share,
                                                 self.rng)
        searching &= (r.training_left == 0) & ~r.employed
        logodds = employment.hiring_logodds(r, u)
        openings = {
            SECTOR_ENTERPRISE: int(self.rng.poisson(u.enterprise_openings_per_month
                                                    * r.n / 1000.0)),
            SECTOR_COMPANY: max(0, self.company_target() - self.staff(SECTOR_COMPANY)),
            SECTOR_SERVICES: max(0, m.service_jobs - self.staff(SECTOR_SERVICES)),
        }
        local = employment.fill_openings(r, searching, logodds, openings, self.rng)
        outside = employment.outside_hires(r, searching, logodds, u.outside_job_rate, self.rng)
        self.events.update(job_losses=len(lost), hires=local + outside + placed,
                           graduates=grads)

    def staff(self, sector: int) -> int:
        """Residents employed in ``sector``."""
        r = self.model.people
        return int((r.employed & (r.sector == sector)).sum())

    def attitude(self, month: int) -> None:
        """Social influence rounds on the contact network, then exposure drift."""
        r, u = self.model.people, self.model.params.uncertainties
        mu = u.convergence_rate * attitude.plasticity(r.age, u.plasticity_decay)
        work = np.where(r.employed & np.isin(r.sector, LOCAL_SECTORS), r.sector, -1)
        sampler = ContactSampler([GroupSampler(work)], self.tie_weights(), self.static_rows)
        influence.influence_month(r.attitude, mu, u.confidence_bound, sampler,
                                  u.contacts_per_month, self.rng)
        gain = attitude.plasticity(r.age, u.plasticity_decay) * self.exposure(month)
        attitude.exposure_drift(r.attitude, gain)

    def tie_weights(self) -> np.ndarray:
        """Layer weights; branches by building move part of village ties to building ties."""
        u = self.model.params.uncertainties
        w = np.array([u.household_tie_weight, u.building_tie_weight, u.village_tie_weight,
                      u.workplace_tie_weight])
        if self.model.levers.branch_basis == "building":
            moved = w[2] * u.building_basis_tie_shift
            w[1], w[2] = w[1] + moved, w[2] - moved
        return w

    def exposure(self, month: int) -> np.ndarray:
        """This month's exposure of each resident to urbanising influences (before plasticity)."""
        r, u, lv, m = self.model.people, self.model.params.uncertainties, self.model.levers, \
            self.model
        events = due_this_month(lv.culture_events_per_year, month)
        mass_share = len(m.mass_organisations) / len(KINDS)
        p_culture = u.culture_reach * events \
            * (u.culture_base_reach + (1 - u.culture_base_reach) * mass_share) \
            * np.where(r.wants_mass_orgs, 1.0, u.culture_reluctant_factor)
        culture = self.rng.random(r.n) < np.minimum(p_culture, 1.0)
        school = self.school_attendance(lv.school_sessions_per_month * u.school_class_size)
        zone, n_zones = party.zones(r, lv.branch_basis, m.n_buildings, lv.building_areas)
        reach = party.vanguard_reach(self.active, zone, n_zones, u.contacts_per_active_member)
        contacted = self.rng.random(r.n) < reach
        return (u.publicity_effect + u.culture_effect * culture + u.school_effect * school
                + u.vanguard_effect * contacted + u.job_effect * r.employed
                + u.owner_effect * self.paid_own_property_fee[r.household])

    def school_attendance(self, seats: int) -> np.ndarray:
        """Random adults filling the community school's seats this month."""
        r = self.model.people
        adults = np.flatnonzero(r.age >= 16)
        chosen = self.rng.permutation(adults)[:seats]
        out = np.zeros(r.n, bool)
        out[chosen] = True
        return out

    # ---- money --------------------------------------------------------------------------
    def fees(self, month: int) -> None:
        """Bill households, collect, enforce; collectives pay on behalf where they do."""
        if month % self.model.levers.billing_period_months == 0:
            self.fee = collect_fees(self.model, self)

    def finances(self, month: int) -> None:
        """Cooperatives, community, company, wages and rent."""
        if month == 1:
            finances.startup_funds(self.model)
        self.events["dividends"] = finances.cooperatives_month(self.model, month)
        finances.community_month(self.model)
        finances.wages_and_rent(self.model)
        finances.company_month(self.model)

    # ---- outcomes -----------------------------------------------------------------------
    def stability(self) -> None:
        """Grievances fade (faster with home visits); households complain."""
        h, u, lv = self.model.homes, self.model.params.uncertainties, self.model.levers
        stability.relax(h.grievance, u.grievance_memory_months,
                        u.home_visit_relief if lv.home_visits else 0.0)
        self.complaint_share = float(stability.complaints(h.grievance, self.rng).mean())

    def maturity(self, month: int) -> None:
        """Meetings, elections and the five sub-scores of organisational maturity."""
        m, u, lv = self.model, self.model.params.uncertainties, self.model.levers
        quality = cadres.cadre_quality(m.cadres)
        self.meetings.append(organisations.hold_meetings(m, month, quality, self.rng))
        if organisations.hold_elections(m, month, quality, self.rng) and lv.leadership == "elected":
            cadres.replace_weakest(m, u.election_turnover, self.rng)
        self.separation = maturity.approach(self.separation, maturity.separation_target(lv),
                                            u.transition_months)
        self.elected = maturity.approach(self.elected, float(lv.leadership == "elected"),
                                         u.transition_months)
        self.scores = self.subscores(quality)

    def subscores(self, quality: float) -> dict[str, float]:
        """The five maturity sub-scores now."""
        m, committee = self.model, self.model.committee
        others = sum(1 for b in m.branches if b.basis == "other")
        return {
            "structure": maturity.structure_score(m.general_branch is not None,
                                                  committee is not None,
                                                  len(m.mass_organisations), others,
                                                  m.levers.new_branches),
            "routine": maturity.routine_score(sum(h for h, _ in self.meetings),
                                              sum(n for _, n in self.meetings)),
            "cadres": quality,
            "separation": self.separation,
            "democracy": maturity.democracy_score(
                self.elected, committee.elections_due if committee else 0,
                committee.elections_on_time if committee else 0, committee is not None),
        }

    # ---- helpers ------------------------------------------------------------------------
    def household_attitude(self) -> np.ndarray:
        """Mean adult attitude per household."""
        r, h = self.model.people, self.model.homes
        return fees.household_attitude(r.attitude, r.household, r.age >= 16, h.n)

    def nonlabour_per_adult(self) -> np.ndarray:
        """Dividends and rent per adult of each resident's household, yuan/month."""
        r, h = self.model.people, self.model.homes
        adults = np.bincount(r.household, weights=(r.age >= 16).astype(float), minlength=h.n)
        income = finances.dividends_per_household(self.model) + \
            finances.rent_per_household(self.model)
        return (income / np.maximum(adults, 1))[r.household]

    def add_grievance_households(self, mask: np.ndarray, amount: float) -> None:
        """Add grievance to the households selected by ``mask``."""
        self.model.homes.grievance[mask] += amount

    def add_grievance(self, residents: np.ndarray, amount: float) -> None:
        """Add grievance to the households of ``residents``."""
        np.add.at(self.model.homes.grievance, self.model.people.household[residents], amount)
