"""One contract over every submodel function (as Axelrod's ``TestPlayer`` and scikit-learn's
``parametrize_with_checks`` run one contract over every component).

Every public function of every module in ``resettle.sim.submodels`` has a case below that calls
it on a small community after a year (so that every organisation exists and fees have been
billed) with a fresh ``rng`` (the influence functions, whose draws are counter-based, with a
fixed key and month instead). For each function:

* it draws only from the ``rng`` it is given: the model's own generators are replaced by traps
  for the call, and numpy's and Python's global generators must not move;
* it is seeded-reproducible: two identical worlds and two equally seeded ``rng``\\ s give the
  same result and the same state afterwards;
* it changes nothing it does not declare (``@writes``, ``resettle.sim.submodels.contract``):
  every argument is snapshotted before and after (arrays, the residents' and households'
  columns, the ledger, every agent's state), and each change must lie under a declared path;
* it is not a no-op: it returns something, or declares what it writes.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import random
from collections import deque
from collections.abc import Callable

import mesa
import numpy as np
import pytest
from mesa.agentset import AbstractAgentSet

import resettle
from resettle.sim import submodels
from resettle.sim.agents import Household, Resident
from resettle.sim.network import ContactSampler, GroupSampler
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
from resettle.sim.submodels.contract import declared_writes

WORLD = dict(residents=120, households=40, party_members=8, cadres=8)
WORLD_SEED = 5
CALL_SEED = 11
MONTH = 12  # the month each case is called in (December: dividends are paid)
KEY = np.array([CALL_SEED, WORLD_SEED], np.uint64)  # a counter-based key (influence's draws)


def world() -> resettle.CommunityModel:
    """The small community after a year of Scheme 1."""
    m = resettle.CommunityModel(resettle.Scenario().replace(horizon_years=2), rng=WORLD_SEED,
                                **WORLD)
    m.run(months=MONTH)
    return m


def sampler(w) -> ContactSampler:
    """This month's contact sampler, as the schedule builds it."""
    u, r = w.params.uncertainties, w.people
    return ContactSampler([GroupSampler(np.where(r.employed, r.sector, -1))],
                          attitude.tie_weights(u, 0.0), w.processes.static_rows)


def bill(w):
    return fees.period_bill(w.levers, 20.0, 0.5)


def outcome(w):
    h = w.homes
    return fees.BillingOutcome(paid=h.paid_last.copy(), detected=~h.paid_last,
                               evaded=~h.paid_last, lock=h.lock.copy())


def seekers(w) -> np.ndarray:
    return ~w.people.employed & (w.people.age >= 16) & (w.people.age < 60)


U = lambda w: w.params.uncertainties  # noqa: E731 - shorthand in the table below
ATT = lambda w: fees.adult_attitude(w.people, w.homes.n)  # noqa: E731

# function -> the keyword arguments it is called with, given the world and a fresh rng
CASES: dict[Callable, Callable] = {
    attitude.plasticity: lambda w, rng: dict(age=w.people.age, decay=0.04),
    attitude.disjoint_pairs: lambda w, rng: dict(u=np.arange(w.people.n),
                                                 v=rng.permutation(w.people.n),
                                                 n=w.people.n, rng=rng),
    attitude.pairs_by_priority: lambda w, rng: dict(u=np.arange(4), v=np.array([1, 0, 3, 2]),
                                                    n=4, priority=np.array([.1, .2, .3, .4])),
    attitude.random_matching: lambda w, rng: dict(n=w.people.n, rng=rng),
    attitude.bounded_confidence: lambda w, rng: dict(
        x=w.people.attitude, u=np.arange(0, 60, 2), v=np.arange(1, 61, 2), epsilon=0.5,
        mu_u=0.3, mu_v=0.3),
    attitude.deffuant_weisbuch: lambda w, rng: dict(x=w.people.attitude, epsilon=0.3, mu=0.3,
                                                    rounds=3, rng=rng),
    attitude.influence_round: lambda w, rng: dict(
        x=w.people.attitude, partners=rng.permutation(w.people.n), epsilon=0.5,
        mu=np.full(w.people.n, 0.3), rng=rng),
    attitude.exposure_drift: lambda w, rng: dict(x=w.people.attitude,
                                                 gain=np.full(w.people.n, 0.1), loss=0.05),
    attitude.resentment: lambda w, rng: dict(grievance=w.homes.grievance + 0.5,
                                             caught=w.homes.paid_last, u=U(w)),
    attitude.tie_weights: lambda w, rng: dict(u=U(w), building_share=0.6),
    attitude.work_groups: lambda w, rng: dict(r=w.people),
    attitude.school_attendance: lambda w, rng: dict(age=w.people.age, seats=10, rng=rng),
    attitude.exposure: lambda w, rng: dict(
        r=w.people, u=U(w), events=1, school_sessions=2, mass_share=0.5,
        zones=party.zones(w.people, w.n_buildings, 5, 2, 4), active=w.people.party,
        paid_own_fee=np.ones(w.people.n, bool), rng=rng),
    cadres.initial_schooling: lambda w, rng: dict(n=10, low_share=0.5, college_share=0.1,
                                                  rng=rng),
    cadres.create_initial_cadres: lambda w, rng: dict(model=w, community=w.params.community,
                                                      uncert=U(w), rng=rng),
    cadres.recruit: lambda w, rng: dict(model=w, uncert=U(w), schooled_share=0.5, rng=rng),
    cadres.cadre_month: lambda w, rng: dict(model=w, month=MONTH, rng=rng),
    cadres.train_promising: lambda w, rng: dict(model=w, k=2, gain=0.1),
    cadres.dispatch_secretary: lambda w, rng: dict(model=w, wanted=False, competence=0.8),
    cadres.replace_weakest: lambda w, rng: dict(model=w, share=0.5, rng=rng),
    cadres.cadre_quality: lambda w, rng: dict(cadres=w.cadres, post="community"),
    cadres.draw_skills: lambda w, rng: dict(n=10, business_share=0.5, rng=rng),
    cadres.community_cadres: lambda w, rng: dict(cadres=w.cadres),
    cadres.competence_factor: lambda w, rng: dict(quality=0.4, u=U(w)),
    cadres.business_factor: lambda w, rng: dict(cadres=w.cadres, u=U(w)),
    due_this_month: lambda w, rng: dict(per_year=3, month=MONTH),
    demography.monthly_death_probability: lambda w, rng: dict(age=w.people.age, a=3e-5,
                                                              b=0.095),
    demography.age_and_die: lambda w, rng: dict(r=w.people, a=3e-3, b=0.095, rng=rng),
    demography.newborn_attitude: lambda w, rng: dict(r=w.people, dead=np.array([0, 5]),
                                                     n_households=w.homes.n),
    demography.newborns: lambda w, rng: dict(r=_busy(w.people), slots=np.array([0, 5]),
                                             attitude=np.array([0.4, 0.5]), rng=rng,
                                             female_share=0.5, mass_org_share=0.5),
    employment.hiring_logodds: lambda w, rng: dict(r=w.people, u=U(w),
                                                   referred=w.people.employed),
    employment.retirements: lambda w, rng: dict(r=w.people, retired=w.people.age > 40),
    employment.staffing_targets: lambda w, rng: dict(company=3, services=2, cooperatives=1),
    employment.outsider_departures: lambda w, rng: dict(outsiders={2: 5, 3: 4, 5: 3},
                                                        rate=0.3, rng=rng),
    employment.search_probability: lambda w, rng: dict(
        nonlabour_per_adult=finances.nonlabour_per_adult(w), wage=2000.0, weight=1.0,
        minimum=0.05),
    employment.separations: lambda w, rng: dict(r=w.people, rate=0.3, rng=rng),
    employment.seekers: lambda w, rng: dict(r=w.people, search_p=np.full(w.people.n, 0.5),
                                            working=w.people.age >= 18, rng=rng),
    employment.weighted_pick: lambda w, rng: dict(candidates=np.arange(20),
                                                  logw=np.zeros(20), k=5,
                                                  uniforms=rng.random(20)),
    employment.hire: lambda w, rng: dict(r=w.people, who=np.flatnonzero(seekers(w))[:3],
                                         sector=1),
    employment.fill_openings: lambda w, rng: dict(
        r=w.people, searching=seekers(w), logodds=np.zeros(w.people.n), openings={1: 3, 3: 2},
        rng=rng),
    employment.outside_hires: lambda w, rng: dict(r=w.people, searching=seekers(w),
                                                  logodds=np.zeros(w.people.n), rate=0.5,
                                                  rng=rng),
    employment.training_step: lambda w, rng: dict(r=w.people, searching=seekers(w), seats=5,
                                                  months=3, placement_share=0.5, rng=rng),
    employment.layoffs: lambda w, rng: dict(r=w.people, sector=int(w.people.sector.max()),
                                            keep=0, rng=rng),
    employment.staff: lambda w, rng: dict(r=w.people, sector=0),
    employment.company_target: lambda w, rng: dict(company_jobs=10, levers=w.levers, u=U(w)),
    employment.local_openings: lambda w, rng: dict(
        r=w.people, enterprise_rate=30.0, targets={2: 5, 3: 5, 5: 2}, outsiders={2: 1},
        local_share=0.8, rng=rng),
    fee_collection.collect_fees: lambda w, rng: dict(model=w, attitude=ATT(w),
                                                     collective_share=0.5, enforcement=0.3,
                                                     rng=rng),
    fee_collection.fee_history: lambda w, rng: dict(model=w, levers=w.levers,
                                                    attitude=ATT(w), periods=3, rng=rng),
    fee_collection.decide: lambda w, rng: dict(
        amount=20.0, income=finances.household_income(w), attitude=ATT(w),
        neighbours=np.full(w.homes.n, 0.5), model=w, enforcement=0.2, penalty=0.5),
    fee_collection.settle: lambda w, rng: dict(model=w, bill=bill(w), out=outcome(w)),
    fee_collection.pay_on_behalf: lambda w, rng: dict(model=w, per_household=20.0),
    fee_collection.summarise: lambda w, rng: dict(bill=bill(w), out=outcome(w), recovered=1.0,
                                                  on_behalf=2.0, n=w.homes.n, willingness=0.5),
    fees.pay_probability: lambda w, rng: dict(p=0.2, theta=0.5, motive=np.array([0.1, 0.9]),
                                              temperature=0.3),
    fees.motive: lambda w, rng: dict(attitude=ATT(w), quality=0.5,
                                     burden_pct=np.ones(w.homes.n),
                                     neighbour_paid=np.full(w.homes.n, 0.5),
                                     grievance=w.homes.grievance + 0.2, u=U(w)),
    fees.billing_round: lambda w, rng: dict(p_pay=np.full(w.homes.n, 0.5), lock=w.homes.lock,
                                            p_detect=0.5, lock_periods=6, rng=rng),
    fees.neighbour_share: lambda w, rng: dict(paid=w.homes.paid_last,
                                              building=w.homes.building,
                                              n_buildings=w.n_buildings),
    fees.household_attitude: lambda w, rng: dict(
        attitude=w.people.attitude, household=w.people.household, adult=w.people.age >= 16,
        n_households=w.homes.n),
    fees.adult_attitude: lambda w, rng: dict(people=w.people, n_households=w.homes.n),
    fees.period_bill: lambda w, rng: dict(levers=w.levers,
                                          property_fee_per_household_month=20.0,
                                          collective_share=0.4),
    finances.open_accounts: lambda w, rng: dict(model=w),
    finances.startup_funds: lambda w, rng: dict(model=w),
    finances.cooperatives_month: lambda w, rng: dict(model=w, month=12, cadre_factor=0.9,
                                                     collective_share=0.4),
    finances.community_month: lambda w, rng: dict(model=w),
    finances.company_month: lambda w, rng: dict(model=w, cadre_factor=0.9),
    finances.corporatise: lambda w, rng: dict(model=_corporate(w), rng=rng),
    finances.readiness: lambda w, rng: dict(model=w, village=1),
    finances.year_end: lambda w, rng: dict(model=w, coop=next(iter(w.cooperatives)),
                                           retention=0.5, next_fees=20000.0),
    finances.status_quo_dividend: lambda w, rng: dict(income_per_member=2000.0,
                                                      collective_share=0.3, retention=0.5,
                                                      fee_per_member=100.0),
    finances.cover_deficit: lambda w, rng: dict(model=_in_deficit(w)),
    finances.hold_activities: lambda w, rng: dict(model=w, events=1, sessions=2),
    finances.nonlabour_per_household: lambda w, rng: dict(model=w),
    finances.pensioners: lambda w, rng: dict(model=w),
    finances.pensions_per_household: lambda w, rng: dict(model=w),
    finances.collective_payments: lambda w, rng: dict(
        flows=w.ledger.flows, funds={c.fund_account for c in w.cooperatives}),
    finances.professionalism_floor: lambda w, rng: dict(status="spun_off", u=U(w)),
    finances.household_income: lambda w, rng: dict(model=w),
    finances.dividends_per_household: lambda w, rng: dict(model=w),
    finances.rent_per_household: lambda w, rng: dict(model=w),
    finances.nonlabour_per_adult: lambda w, rng: dict(model=w),
    finances.wages_rent_pensions: lambda w, rng: dict(model=w),
    influence.round_draws: lambda w, rng: dict(key=KEY, month=MONTH, r=1, n=w.people.n),
    influence.rounds_numpy: lambda w, rng: dict(
        x=w.people.attitude, mu=np.full(w.people.n, 0.3), epsilon=0.5, sampler=sampler(w),
        rounds=2, key=KEY, month=MONTH),
    influence.rounds_compiled: lambda w, rng: dict(
        x=w.people.attitude, mu=np.full(w.people.n, 0.3), epsilon=0.5, sampler=sampler(w),
        rounds=2, key=KEY, month=MONTH),
    influence.use_compiled: lambda w, rng: dict(),
    influence.influence_month: lambda w, rng: dict(
        x=w.people.attitude, mu=np.full(w.people.n, 0.3), epsilon=0.5, sampler=sampler(w),
        rounds=2, key=KEY, month=MONTH),
    maturity.ratio: lambda w, rng: dict(part=3.0, whole=4.0),
    maturity.window_sum: lambda w, rng: dict(records=w.processes.state.records, key="raised"),
    maturity.mean_of: lambda w, rng: dict(parts=[0.2, float("nan"), 0.4]),
    maturity.subscores: lambda w, rng: dict(e=maturity.evidence(w, w.processes.state.records,
                                                                0.5)),
    maturity.evidence: lambda w, rng: dict(model=w, records=w.processes.state.records,
                                           quality=0.5),
    maturity.scheme_conformity: lambda w, rng: dict(levers=w.levers),
    maturity.maturity_index: lambda w, rng: dict(scores=w.processes.state.scores,
                                                 weights=(1, 1, 1, 1, 1)),
    maturity.maturity_level: lambda w, rng: dict(index=0.5),
    organisations.found_due: lambda w, rng: dict(model=_unfounded(w), month=MONTH),
    organisations.found_mass_organisations: lambda w, rng: dict(model=_unfounded(w),
                                                                month=MONTH),
    organisations.rebuild_branches: lambda w, rng: dict(model=_by_building(w), month=MONTH,
                                                        areas_formed=3),
    organisations.hold_meetings: lambda w, rng: dict(model=w, month=MONTH, quality=0.5,
                                                     rng=rng),
    organisations.hold_probability: lambda w, rng: dict(model=w, quality=0.5),
    organisations.hold_elections: lambda w, rng: dict(model=_election_due(w), month=MONTH,
                                                      quality=0.5, turnout=0.6, challengers=1,
                                                      rng=rng),
    organisations.owners_committee_month: lambda w, rng: dict(model=_spun_off(w), month=MONTH,
                                                              households_pay=True),
    participation.propensity: lambda w, rng: dict(attitude=ATT(w), grievance=w.homes.grievance,
                                                  u=U(w)),
    participation.take_part: lambda w, rng: dict(p=np.full(10, 0.5), rng=rng),
    participation.volunteering: lambda w, rng: dict(r=w.people, service=True, posts=True,
                                                    u=U(w), rng=rng),
    participation.join_mass_organisations: lambda w, rng: dict(r=w.people, founded_share=1.0,
                                                               u=_eager(U(w)), rng=rng),
    party.activity: lambda w, rng: dict(r=w.people, base=0.4, posts_extra=0.3, posts=True,
                                        age_limit=75.0, mobile_factor=0.5, rng=rng),
    party.zones: lambda w, rng: dict(r=w.people, n_buildings=w.n_buildings, areas=5,
                                     areas_formed=3, n_villages=4),
    party.vanguard_reach: lambda w, rng: dict(active=w.people.party, zone=w.people.village,
                                              n_zones=4, contacts=8),
    party.recruit: lambda w, rng: dict(r=w.people, k=3, rng=rng),
    stability.reform_shock: lambda w, rng: dict(old=w.levers,
                                                new=w.levers.__class__(leadership="elected"),
                                                shocks=dict(zip(stability.REFORMS,
                                                                U(w).reform_shocks,
                                                                strict=True)),
                                                share_change=-0.5, area_change=0.4),
    stability.readiness_gap: lambda w, rng: dict(attitude=ATT(w), readiness=0.5),
    stability.relax: lambda w, rng: dict(grievance=w.homes.grievance + 1.0, memory_months=6.0),
    stability.complaints: lambda w, rng: dict(grievance=np.full(w.homes.n, 0.5), rng=rng),
    stability.grieve_households: lambda w, rng: dict(grievance=w.homes.grievance,
                                                     mask=w.homes.paid_last, amount=0.3),
    stability.grieve_residents: lambda w, rng: dict(grievance=w.homes.grievance,
                                                    household=w.people.household,
                                                    residents=np.array([0, 1, 1]), amount=0.3),
    petitions.route: lambda w, rng: dict(raising=np.arange(10), attitude=ATT(w),
                                         ch=CHANNELS, group_routing=0.5, rng=rng),
    petitions.resolve: lambda w, rng: dict(cases=np.arange(10), capacity=4, n=w.homes.n,
                                           rng=rng),
    petitions.without: lambda w, rng: dict(cases=np.arange(10), removed=np.array([2, 5]), n=20),
    petitions.handle: lambda w, rng: dict(grievance=w.homes.grievance + 1.0,
                                          raising=np.arange(20), attitude=ATT(w), ch=CHANNELS,
                                          relief=0.5, group_routing=0.5, rng=rng),
    petitions.home_visits: lambda w, rng: dict(grievance=w.homes.grievance + ATT(w),
                                               capacity=5, relief=0.3),
    transition.targets: lambda w, rng: dict(levers=w.levers),
    transition.in_force: lambda w, rng: dict(levers=_by_building(w).levers,
                                             phase=transition.Phase(1.0, 0, 24, 6)),
    transition.advance: lambda w, rng: dict(phase=transition.Phase(1.0, 0, 24, 6),
                                            complaint_share=0.1, stall_share=0.2),
}
CHANNELS = petitions.Channels(committee=4, village=3, reception=2, committee_exists=True,
                              village_exists=True, groups=True)


def _busy(r):
    """Residents whose every flag is set, so that a newborn's fresh state shows as a write."""
    for name in ("party", "employed", "trained", "active_member", "mass_org_member", "volunteer",
                 "wants_mass_orgs"):
        getattr(r, name)[:] = True
    return r


def _unfounded(w):
    """The world with its mass organisations gone (so that founding founds them again)."""
    for organisation in list(w.mass_organisations):
        organisation.remove()
    return w


def _corporate(w):
    """The world with corporatised cooperatives in force."""
    w.levers = dataclasses.replace(w.levers, cooperative_mode="corporate")
    return w


def _in_deficit(w):
    """The world with the community's account overdrawn."""
    w.ledger.transfer("community", "outside", w.ledger.balance["community"] + 1e5, "test")
    return w


def _spun_off(w):
    """The world with a spun-off company of poor quality."""
    w.company.status, w.company.quality = "spun_off", 0.1
    return w


def _eager(u):
    """Uncertainties with everyone who wants a mass organisation joining at once."""
    return dataclasses.replace(u, mass_org_join_rate=1.0)


def _by_building(w):
    """The world with branches by building in force (so that rebuilding changes them)."""
    w.levers = dataclasses.replace(w.levers, branch_basis="building")
    return w


def _election_due(w):
    """The world with the committee's election due this month."""
    w.committee.last_election_month = MONTH - 12 * w.levers.election_interval_years
    return w


# ---- the harness ------------------------------------------------------------------------
class Trap:
    """Stands in for a generator that must not be used: any use fails the test."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        raise AssertionError(f"drew from {self._name}.{attr}, not from the rng it was given")


def _agent_state(agent) -> dict:
    return {k: _copy(v) for k, v in vars(agent).items() if k != "model" and k[0] != "_"}


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray | list | dict) else value


# model attributes the snapshot reads in its own way (agents, generators) or that no process
# touches (Mesa's bookkeeping, the data collector, the static network)
MODEL_SKIP = {"rng", "random", "datacollector", "layers", "resident_agents", "household_agents",
              "scenario_given", "overrides", "params", "running", "steps", "time",
              "agent_id_counter"}  # Mesa counts the agents any founding creates


def snapshot_model(model: resettle.CommunityModel, path: str, out: dict) -> None:
    """Everything a process could change: every public attribute of the model (its arrays,
    ledger, levers, the schedule's MonthState, the table's rows...), which agents exist and
    each organisation's and cadre's state."""
    for cls, agents in model.agents_by_type.items():
        key = f"{path}.agents.{cls.__name__}"
        if cls in (Resident, Household):
            out[key] = sorted(a.unique_id for a in agents)
        else:
            out[key] = {a.unique_id: _agent_state(a) for a in agents}
    for name, value in vars(model).items():
        if name.startswith("_") or name in MODEL_SKIP:
            continue
        if isinstance(value, mesa.Agent):
            out[f"{path}.{name}"] = value.unique_id
        elif name == "ledger":
            out[f"{path}.ledger"] = (dict(value.balance), dict(value.flows))
        elif name == "processes":
            snapshot(value.state, f"{path}.processes.state", out)
        else:
            snapshot(value, f"{path}.{name}", out)


def snapshot(value, path: str, out: dict) -> dict:
    """Every piece of mutable state reachable from ``value``, by path."""
    if isinstance(value, np.ndarray):
        out[path] = value.copy()
    elif isinstance(value, str | int | float | bool | tuple | frozenset) or value is None:
        out[path] = value
    elif isinstance(value, resettle.CommunityModel):
        snapshot_model(value, path, out)
    elif isinstance(value, AbstractAgentSet):
        out[path] = {a.unique_id: _agent_state(a) for a in value}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            snapshot(getattr(value, f.name), f"{path}.{f.name}", out)
    elif isinstance(value, mesa.Agent):
        out[path] = value.unique_id
    elif isinstance(value, list | dict | deque) or hasattr(value, "__dict__"):
        items = value.items() if isinstance(value, dict) else (
            enumerate(value) if isinstance(value, list | deque) else vars(value).items())
        out[f"{path}#len"] = len(value) if isinstance(value, list | dict | deque) else None
        for key, item in items:
            snapshot(item, f"{path}.{key}", out)
    return out


def same(a, b) -> bool:
    """Equal values, arrays and NaNs included."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.all((a == b) | ((a != a) & (b != b))))
    if isinstance(a, mesa.Agent) and isinstance(b, mesa.Agent):
        return a.unique_id == b.unique_id and same(_agent_state(a), _agent_state(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return same(dataclasses.asdict(a), dataclasses.asdict(b))
    return a == b or (a != a and b != b)


def state_of(kwargs: dict) -> dict:
    out: dict = {}
    for name, value in kwargs.items():
        snapshot(value, name, out)
    return out


def call(fn: Callable) -> tuple[object, dict, dict, list[str]]:
    """Call ``fn`` on a fresh world: (result, state before, state after, traps hit)."""
    w = world()
    rng = np.random.default_rng(CALL_SEED)
    kwargs = CASES[fn](w, rng)
    before = state_of(kwargs)
    generators = {"the model's rng": lambda: w.rng.bit_generator.state,
                  "the model's streams": w.streams.states,
                  "the model's random": w.random.getstate,
                  "numpy's global generator": lambda: repr(np.random.get_state()),  # noqa: NPY002
                  "Python's global generator": random.getstate}
    states = {name: read() for name, read in generators.items()}
    own = w.rng, w.random
    w.rng, w.random = Trap("model.rng"), Trap("model.random")
    try:
        result = fn(**kwargs)
    finally:
        w.rng, w.random = own
    moved = [name for name, read in generators.items() if read() != states[name]]
    return result, before, state_of(kwargs), moved


def changed_paths(before: dict, after: dict) -> set[str]:
    keys = before.keys() | after.keys()
    return {k for k in keys if k not in before or k not in after or not same(before[k],
                                                                             after[k])}


def covered(path: str, declared: tuple[str, ...]) -> bool:
    return any(path == d or path.startswith(d + ".") for d in declared)


def public_functions() -> list[Callable]:
    """Every public function defined in a module of resettle.sim.submodels."""
    found = []
    for info in pkgutil.iter_modules(submodels.__path__):
        module = importlib.import_module(f"{submodels.__name__}.{info.name}")
        if info.name == "contract":
            continue
        found += [f for name, f in inspect.getmembers(module, inspect.isfunction)
                  if f.__module__ == module.__name__ and not name.startswith("_")]
    return found


def name(fn: Callable) -> str:
    return f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"


# ---- the contract -----------------------------------------------------------------------
def test_every_submodel_function_has_a_case() -> None:
    missing = sorted(name(f) for f in public_functions() if f not in CASES)
    assert not missing, f"add a case for: {missing}"
    assert len(CASES) == len(public_functions())


@pytest.mark.parametrize("fn", list(CASES), ids=name)
class TestSubmodelContract:
    def test_draws_only_from_its_rng(self, fn: Callable) -> None:
        *_, moved = call(fn)
        assert not moved, f"{name(fn)} moved {moved}"

    def test_writes_only_what_it_declares(self, fn: Callable) -> None:
        _, before, after, _ = call(fn)
        undeclared = sorted(p for p in changed_paths(before, after)
                            if not covered(p, declared_writes(fn)))
        assert not undeclared, f"{name(fn)} changed {undeclared} without declaring it"

    def test_seeded_reproducible(self, fn: Callable) -> None:
        first, _, after1, _ = call(fn)
        second, _, after2, _ = call(fn)
        assert same(first, second)
        assert not changed_paths(after1, after2)

    def test_returns_or_declares(self, fn: Callable) -> None:
        result, *_ = call(fn)
        assert result is not None or declared_writes(fn), f"{name(fn)} does nothing visible"

    def test_declared_paths_start_at_its_arguments(self, fn: Callable) -> None:
        params = set(inspect.signature(fn).parameters)
        for path in declared_writes(fn):
            assert path.split(".")[0] in params, f"{name(fn)}: {path} names no argument"


def test_the_harness_catches_an_undeclared_write() -> None:
    """The contract can fail: a function that writes a column it does not declare."""
    def sloppy(r, rng):
        r.employed[:] = rng.random(r.n) < 0.5
        return r.n

    CASES[sloppy] = lambda w, rng: dict(r=w.people, rng=rng)
    try:
        _, before, after, _ = call(sloppy)
        assert changed_paths(before, after) == {"r.employed"}
        assert not covered("r.employed", declared_writes(sloppy))
    finally:
        del CASES[sloppy]


@pytest.mark.parametrize("draw", [
    lambda model: np.random.random(),  # noqa: NPY002 - the point of the test
    lambda model: random.random(),
    lambda model: model.cadres.shuffle(),  # through the AgentSet's own reference
    lambda model: model.processes.streams["fees.billing"].random(),  # a process's own stream
    lambda model: model.streams["a new stream"].random(),
], ids=["numpy global", "python global", "agentset shuffle", "a process's stream",
        "a new stream"])
def test_the_harness_catches_any_other_generator(draw) -> None:
    def sneaky(model):
        draw(model)
        return 1

    CASES[sneaky] = lambda w, rng: dict(model=w)
    try:
        *_, moved = call(sneaky)
        assert moved
    finally:
        del CASES[sneaky]


@pytest.mark.parametrize("write", [
    lambda model: model.processes.state.fee.update(fee_compliance=2.0),
    lambda model: model.processes.state.paid_own_property_fee.fill(True),
    lambda model: setattr(model, "levers", model.params.switch_levers or
                          dataclasses.replace(model.levers, leadership="elected")),
    lambda model: model.company.revenue_12m.append(1.0),
], ids=["state.fee", "state.paid_own_property_fee", "levers", "company revenue"])
def test_the_harness_sees_writes_to_the_schedule_and_levers(write) -> None:
    def meddler(model):
        write(model)
        return 1

    CASES[meddler] = lambda w, rng: dict(model=w)
    try:
        _, before, after, _ = call(meddler)
        assert changed_paths(before, after)
    finally:
        del CASES[meddler]


def test_the_harness_catches_the_models_generator() -> None:
    def hidden(model):
        return model.rng.random()

    CASES[hidden] = lambda w, rng: dict(model=w)
    try:
        with pytest.raises(AssertionError, match=r"model\.rng"):
            call(hidden)
    finally:
        del CASES[hidden]
