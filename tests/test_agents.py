"""Agents: a contract every agent kind meets (Axelrod style: one test class, run for every
kind), the resident and household views on the model's arrays, Mesa tooling, the global
random generators, and the founding and restructuring of organisations."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import mesa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mesa.datacollection import DataCollector

import resettle
from resettle.sim.agents import (
    Cadre,
    Cooperative,
    GeneralBranch,
    Household,
    MassOrganisation,
    PartyBranch,
    PropertyCompany,
    Resident,
    ResidentsCommittee,
)
from resettle.sim.agents.mass_organisation import KINDS
from resettle.sim.seeds import replication_seeds
from resettle.sim.submodels import finances

SEEDS = replication_seeds(20261124, 20)
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SMALL = dict(residents=400, households=170, party_members=10, cadres=8)
TINY = dict(residents=60, households=24, party_members=4, cadres=8)
MONTHS = 12  # by month 12 every default organisation exists (committee 3, mass orgs 3-12)

# kind -> how many exist after MONTHS months of the default (Scheme 1) small community;
# None where the number is not fixed by the levers (cadres retire and are recruited)
EXPECTED = {Resident: 400, Household: 170, Cadre: None, PartyBranch: 4 + 2, GeneralBranch: 1,
            Cooperative: 4, PropertyCompany: 1, ResidentsCommittee: 1, MassOrganisation: 4}


def small_model(seed: int = SEEDS[0], months: int = MONTHS, **kw) -> resettle.CommunityModel:
    """The small community after ``months`` months."""
    m = resettle.CommunityModel(resettle.Scenario().replace(horizon_years=2), rng=seed,
                                **{**SMALL, **kw})
    m.run(months=months)
    return m


@pytest.fixture(scope="module")
def model() -> resettle.CommunityModel:
    return small_model()


def public_state(agent: mesa.Agent) -> dict:
    """An agent's own attributes and properties (not Mesa's: model, rng, pos...), agents
    replaced by their unique ids."""
    base = (set(dir(mesa.Agent)) | {"model", "pos"}) - {"unique_id"}
    names = {n for n in vars(agent) if not n.startswith("_") and n not in base}
    names |= {n for n in dir(type(agent))
              if isinstance(getattr(type(agent), n), property) and n not in base}
    state = {}
    for name in sorted(names):
        value = getattr(agent, name)
        if isinstance(value, mesa.Agent):
            value = ("agent", value.unique_id)
        elif isinstance(value, list) and value and isinstance(value[0], mesa.Agent):
            value = [a.unique_id for a in value]
        state[name] = value
    return state


def states(model, kind) -> list[dict]:
    """Public state of every agent of ``kind``, ordered by unique id."""
    agents = sorted(model.agents_by_type.get(kind, []), key=lambda a: a.unique_id)
    return [public_state(a) for a in agents]


@pytest.mark.parametrize("kind", list(EXPECTED), ids=lambda k: k.__name__)
class TestAgentContract:
    """What every kind of agent guarantees."""

    def test_present(self, model, kind) -> None:
        agents = model.agents_by_type.get(kind, [])
        assert len(agents) >= 1
        if EXPECTED[kind] is not None:
            assert len(agents) == EXPECTED[kind]
        assert len(states(model, kind)[0]) >= 2  # the state compared below is not just an id

    def test_registered_with_its_model(self, model, kind) -> None:
        ids = {a.unique_id for a in model.agents}
        for agent in model.agents_by_type[kind]:
            assert agent.model is model
            assert isinstance(agent, mesa.Agent)
            assert agent.unique_id in ids

    def test_unique_ids_are_unique(self, model, kind) -> None:
        ids = [a.unique_id for a in model.agents_by_type[kind]]
        assert len(ids) == len(set(ids))

    def test_seeded_reproducible(self, model, kind) -> None:
        twin = small_model()
        assert states(twin, kind) == states(model, kind)

    def test_different_seed_changes_something(self, model, kind) -> None:
        # only kinds whose state is drawn: organisations founded on schedule are identical
        if kind in (Resident, Household, Cadre):
            assert states(small_model(SEEDS[1]), kind) != states(model, kind)

    def test_picklable(self, model, kind) -> None:
        clone = pickle.loads(pickle.dumps(model))
        assert states(clone, kind) == states(model, kind)
        agent = next(iter(model.agents_by_type[kind]))
        alone = pickle.loads(pickle.dumps(agent))  # with its model, as Mesa agents are
        assert public_state(alone) == public_state(agent)


def test_later_organisations_absent_at_month_zero() -> None:
    m = small_model(months=0)
    for kind in (GeneralBranch, ResidentsCommittee, MassOrganisation):
        assert len(m.agents_by_type.get(kind, [])) == 0
    assert len(m.branches) == 4  # the four village branches of Dongyu today (§1(1))
    assert not any(c.dispatched for c in m.cadres)


def test_founding_dated_organisations_carry_their_month(model) -> None:
    assert model.general_branch.founded_month == model.levers.general_branch_month
    assert model.committee.founded_month == model.levers.residents_committee_month
    for branch in model.branches:
        assert branch.founded_month in (0, model.levers.general_branch_month)


# ---- AgentSets ---------------------------------------------------------------------------------

def test_agentsets_are_selectable(model) -> None:
    r, h = model.people, model.homes
    assert len(model.residents.select(lambda a: a.party_member)) == int(r.party.sum()) > 0
    assert len(model.residents.select(lambda a: a.employed)) == int(r.employed.sum())
    liu = model.households.select(lambda a: a.village == "Liu")
    assert len(liu) == int((h.village == model.village_names.index("Liu")).sum()) > 0
    assert len(model.cadres.select(lambda c: c.dispatched)) == 1  # appointed leadership
    index = np.array(model.residents.get("index"))
    np.testing.assert_array_equal(np.array(model.residents.get("attitude")), r.attitude[index])
    assert len(model.branches.select(lambda b: b.basis == "village")) == 4


# ---- residents and households are views on the arrays -------------------------------------------

def test_resident_properties_read_the_arrays(model) -> None:
    r = model.people
    for agent in list(model.residents)[:50]:
        i = agent.index
        assert agent.age == r.age[i]
        assert agent.female == bool(r.female[i])
        assert agent.schooling == r.school[i]
        assert agent.village == model.village_names[r.village[i]]
        assert agent.building == r.building[i]
        assert agent.household.index == r.household[i]
        assert agent.party_member == bool(r.party[i])
        assert agent.employed == bool(r.employed[i])
        assert agent.trained == bool(r.trained[i])
        assert agent.attitude == r.attitude[i]


@settings(max_examples=50, deadline=None)
@given(value=st.floats(-5.0, 5.0, allow_nan=False))
def test_setting_attitude_writes_the_array_clipped(value: float) -> None:
    m = resettle.CommunityModel(rng=SEEDS[2], **TINY)
    agent = m.resident_agents[7]
    others = np.delete(m.people.attitude, 7)
    agent.attitude = value
    assert m.people.attitude[7] == min(max(value, 0.0), 1.0)
    assert agent.attitude == m.people.attitude[7]
    np.testing.assert_array_equal(np.delete(m.people.attitude, 7), others)


def test_setting_attitude_to_nan_is_rejected() -> None:
    m = resettle.CommunityModel(rng=SEEDS[2], **TINY)
    before = m.people.attitude.copy()
    with pytest.raises(ValueError, match="NaN"):
        m.resident_agents[0].attitude = float("nan")
    np.testing.assert_array_equal(m.people.attitude, before)


@pytest.mark.parametrize("kind,field", [(Resident, "employed"), (Resident, "age"),
                                        (Household, "arrears"), (Household, "grievance")])
def test_array_views_cannot_be_assigned(model, kind, field) -> None:
    """A view's value lives in the model's arrays: assigning it is refused, not silently
    hidden behind an instance attribute."""
    agent = next(iter(model.agents_by_type[kind]))
    before = getattr(agent, field)
    with pytest.raises(AttributeError, match="cannot be set"):
        setattr(agent, field, before + 1)
    assert getattr(agent, field) == before and field not in vars(agent)


def test_household_members_are_its_residents(model) -> None:
    r = model.people
    for hh in model.households:
        members = hh.members
        assert [a.index for a in members] == np.flatnonzero(r.household == hh.index).tolist()
        assert len(members) == hh.size
        assert all(a.household is hh for a in members)
        assert all(a.building == hh.building and a.village == hh.village for a in members)
        assert all(a in model.residents for a in members)  # the living agents, after deaths


# ---- Mesa tooling and randomness -------------------------------------------------------------

def test_datacollector_collects_one_row_per_resident(model) -> None:
    dc = DataCollector(agenttype_reporters={Resident: {"attitude": "attitude"}})
    dc.collect(model)
    frame = dc.get_agenttype_vars_dataframe(Resident)
    assert len(frame) == model.people.n
    ids = frame.index.get_level_values("AgentID")
    assert sorted(ids) == sorted(a.unique_id for a in model.residents)
    by_id = {a.unique_id: a.attitude for a in model.residents}
    assert frame["attitude"].tolist() == [by_id[i] for i in ids]


def _refuse(*args, **kwargs):
    raise AssertionError("global random generator used")


NUMPY_GLOBAL = ("random", "rand", "randn", "randint", "random_sample", "choice", "shuffle",
                "permutation", "normal", "uniform", "binomial", "poisson", "multinomial",
                "standard_normal", "exponential", "seed")
STDLIB_GLOBAL = ("random", "randint", "randrange", "choice", "choices", "shuffle", "sample",
                 "uniform", "gauss", "normalvariate", "seed", "getrandbits")


def test_no_global_random_generator(monkeypatch) -> None:
    # the legacy global state is read on purpose: it must be untouched by a run
    np_state, py_state = np.random.get_state(), random.getstate()  # noqa: NPY002
    for name in NUMPY_GLOBAL:
        monkeypatch.setattr(np.random, name, _refuse)
    for name in STDLIB_GLOBAL:
        monkeypatch.setattr(random, name, _refuse)
    sc = resettle.load_scenario(SCENARIOS / "phased.toml").replace(horizon_years=1, switch_year=0)
    m = resettle.CommunityModel(sc, rng=SEEDS[3], **SMALL)
    m.run(months=4)
    monkeypatch.undo()
    after = np.random.get_state()  # noqa: NPY002
    assert after[0] == np_state[0] and after[2:] == np_state[2:]
    np.testing.assert_array_equal(after[1], np_state[1])
    assert random.getstate() == py_state


# ---- organisations founded on the levers' schedule ----------------------------------------------

@pytest.mark.parametrize(("committee_month", "interval"), [(3, 3), (5, 2), (1, 7), (2, 1)])
def test_mass_organisations_founded_on_schedule(committee_month: int, interval: int) -> None:
    months = committee_month + 3 * interval + 2
    m = resettle.CommunityModel(resettle.Scenario().replace(horizon_years=3), rng=SEEDS[4],
                                residents_committee_month=committee_month,
                                mass_org_interval_months=interval, **TINY)
    counts = m.run(months=months)["mass_organisations"].to_numpy()
    founded = sorted((o.founded_month, o.kind) for o in m.mass_organisations)
    assert founded == [(committee_month + k * interval, kind) for k, kind in enumerate(KINDS)]
    expected = [0 if t < committee_month else min(4, 1 + (t - committee_month) // interval)
                for t in range(months + 1)]
    np.testing.assert_array_equal(counts, expected)


def test_no_mass_organisations_when_switched_off() -> None:
    m = resettle.CommunityModel(resettle.Scenario().replace(horizon_years=2), rng=SEEDS[5],
                                mass_organisations=False, **TINY)
    frame = m.run()
    assert len(m.mass_organisations) == 0
    assert (frame["mass_organisations"] == 0).all()
    assert m.committee is not None  # the committee itself is still founded


@pytest.mark.parametrize("areas", [4, 5])
def test_branches_by_building_replace_the_village_branches(areas: int) -> None:
    m = resettle.CommunityModel(resettle.Scenario().replace(horizon_years=1), rng=SEEDS[6],
                                branch_basis="building", building_areas=areas, **SMALL)
    assert sorted(b.basis for b in m.branches) == ["village"] * 4  # Dongyu today (§1(1))
    m.step()
    by_basis = {b: sorted(x.zone for x in m.branches if x.basis == b)
                for b in ("village", "building", "other")}
    assert by_basis == {"village": [], "building": list(range(areas)),
                        "other": [-1] * m.levers.new_branches}
    assert m.rows[-1]["branches"] == areas + m.levers.new_branches


def test_switch_replaces_village_branches_in_the_month_after_the_switch() -> None:
    sc = resettle.load_scenario(SCENARIOS / "phased.toml").replace(horizon_years=2,
                                                                  switch_year=1,
                                                                  switch_phase_months=0)
    m = resettle.CommunityModel(sc, rng=SEEDS[7], **SMALL)
    m.run(months=12)
    assert sorted(b.basis for b in m.branches if b.basis != "other") == ["village"] * 4
    m.step()
    assert sorted(b.basis for b in m.branches if b.basis != "other") == ["building"] * 5
    assert m.levers == sc.switch_levers


def test_phased_switch_forms_building_branches_area_by_area() -> None:
    """§4 step by step: over the phase the building areas get their branches one by one and
    the village branches stay until the last area has one; the fee share falls in steps."""
    sc = resettle.load_scenario(SCENARIOS / "phased.toml").replace(
        horizon_years=4, switch_year=1, switch_phase_months=10, stall_complaint_share=1.0)
    m = resettle.CommunityModel(sc, rng=SEEDS[7], **SMALL)
    m.run(months=12)
    areas, shares = [], []
    for _ in range(11):
        m.step()
        areas.append(sum(b.basis == "building" for b in m.branches))
        shares.append(m.processes.state.collective_share)
        villages = sum(b.basis == "village" for b in m.branches)
        assert villages == (0 if areas[-1] == 5 else 4)
    assert areas == sorted(areas) and areas[0] < 5 and areas[-1] == 5
    assert shares == sorted(shares, reverse=True) and shares[0] == pytest.approx(0.9)
    assert shares[-1] == 0.0


def test_contact_graph_is_the_static_network() -> None:
    """model.contact_graph() is a networkx Graph of residents whose edges name their layers."""
    model = resettle.CommunityModel(rng=3, residents=300, households=120, party_members=10)
    graph = model.contact_graph()
    assert graph.number_of_nodes() == model.people.n
    layers = {name for _, _, data in graph.edges(data=True) for name in data["layers"]}
    assert layers == {"household", "building", "village"}
    r = model.people
    for a, b, data in graph.edges(data=True):
        if "household" in data["layers"]:
            assert r.household[a] == r.household[b]
        if data["layers"] == ["village"]:
            assert r.village[a] == r.village[b]


def test_village_branches_manage_cooperatives_until_corporatised() -> None:
    """Under Scheme 1 the village branches run the cooperatives; corporatisation ends it."""
    model = resettle.CommunityModel(rng=3, residents=300, households=120, party_members=10)
    village = [b for b in model.branches if b.basis == "village"]
    assert len(village) == 4 and all(b.manages_cooperative for b in village)
    corporate = resettle.CommunityModel(resettle.Scenario(horizon_years=10), rng=3,
                                        residents=300, households=120, party_members=10,
                                        cooperative_mode="corporate")
    assert all(b.manages_cooperative for b in corporate.branches if b.basis == "village")
    corporate.run()  # each board replaces its secretary in 24 months on average
    assert not any(b.manages_cooperative for b in corporate.branches)
    assert not any(c.chaired_by_secretary for c in corporate.cooperatives)


def test_members_short_of_readiness_keep_their_secretary_longer() -> None:
    """A corporatised cooperative's members replace the secretary-chair with probability
    min(1, mean adult attitude / readiness_attitude) / transition_months a month."""
    model = resettle.CommunityModel(rng=4, residents=300, households=120, party_members=10,
                                    cooperative_mode="corporate")
    r = model.people
    r.attitude[:] = np.where(r.village == 0, 0.0, np.where(r.village == 1, 0.25, 0.9))
    assert [finances.readiness(model, v) for v in range(4)] == [0.0, 0.5, 1.0, 1.0]
    rng, months = np.random.default_rng(0), model.params.uncertainties.transition_months
    replaced = np.zeros(4)
    for _ in range(4000):  # draw the month 4,000 times from the same state
        for c in model.cooperatives:
            c.chaired_by_secretary = True
        finances.corporatise(model, rng)
        replaced += [not c.chaired_by_secretary for c in
                     sorted(model.cooperatives, key=lambda k: k.village)]
    share = replaced / 4000  # binomial sd at most sqrt(p(1-p)/4000) = 0.0032
    assert share[0] == 0.0
    np.testing.assert_allclose(share[1:], [0.5 / months, 1 / months, 1 / months], atol=0.013)
