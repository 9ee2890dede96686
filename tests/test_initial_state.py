"""The initial state of the model matches the Dongyu community of BRIEF §2.

Facts the seed gives exactly (4 villages, 1,750 households, 98 party members, the property
fee, the start-up funds, the asset ranges) are checked exactly; facts the model draws at
random (ages, schooling, mass-organisation demand, employment) are checked in every one of
20 replications from the project's root seed, with tolerances explained where they are set.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import resettle
from resettle.params.sections import VILLAGES
from resettle.sim.population import group_masks, working_age
from resettle.sim.seeds import replication_seeds
from resettle.sim.submodels.cadres import business_factor

ROOT_SEED = 20261124
SEEDS = replication_seeds(ROOT_SEED, 20)


@pytest.fixture(scope="module")
def models() -> list[resettle.CommunityModel]:
    """Twenty Dongyu models (built-in defaults = Scheme 1) at month 0, one per replication."""
    return [resettle.CommunityModel(rng=s) for s in SEEDS]


@pytest.fixture(scope="module")
def model(models) -> resettle.CommunityModel:
    """The first replication, for facts that do not depend on the draw."""
    return models[0]


@pytest.fixture(scope="module")
def first_year_flows() -> list[dict]:
    """The ledger flows of each of the first 12 months of a Scheme 1 run (month 1 first)."""
    m = resettle.CommunityModel(resettle.Scenario().replace(horizon_years=1), rng=SEEDS[0])
    flows = []
    for _ in range(12):
        m.step()
        flows.append(m.month_flows)
    return flows


# ---- villages, households, residents, buildings ---------------------------------------------

def test_four_villages_named_as_in_the_seed(model) -> None:
    assert VILLAGES == ("Liduan", "Waiduan", "Liu", "Linjia")
    assert model.village_names == VILLAGES
    assert sorted(np.unique(model.people.village).tolist()) == [0, 1, 2, 3]
    assert {h.village for h in model.households} == set(VILLAGES)
    assert sorted(c.name for c in model.cooperatives) == sorted(VILLAGES)


def test_1750_households(models) -> None:
    for m in models:
        assert m.homes.n == 1750
        assert len(m.households) == 1750
        assert m.metrics().loc[0, "households"] == 1750


def test_residents_are_the_scenarios_4000_plus(models) -> None:
    expected = resettle.Scenario().community.residents
    assert expected > 4000  # §1: "4,000+" permanent residents
    for m in models:
        assert m.people.n == expected
        assert len(m.residents) == expected
        assert m.metrics().loc[0, "residents"] == expected


def test_household_sizes_sum_to_residents(models) -> None:
    for m in models:
        assert m.homes.size.min() >= 1
        assert int(m.homes.size.sum()) == m.people.n
        np.testing.assert_array_equal(np.bincount(m.people.household, minlength=m.homes.n),
                                      m.homes.size)


def test_every_household_in_exactly_one_building(models) -> None:
    for m in models:
        h, r = m.homes, m.people
        per = m.params.community.households_per_building
        assert h.building.shape == (h.n,)
        # buildings are numbered 0..n_buildings-1, all occupied, none over capacity; each
        # village has a block of whole buildings, so there are at most sum(ceil(size/per))
        assert set(np.unique(h.building).tolist()) == set(range(m.n_buildings))
        village_sizes = np.bincount(h.village)
        assert math.ceil(h.n / per) <= m.n_buildings <= int(np.sum(-(-village_sizes // per)))
        assert np.bincount(h.building).max() <= per
        # all members of a household live in their household's building
        np.testing.assert_array_equal(r.building, h.building[r.household])


def _villages_per_building(m) -> np.ndarray:
    h = m.homes
    return np.array([len(np.unique(h.village[h.building == b])) for b in range(m.n_buildings)])


def test_full_clustering_gives_single_village_buildings() -> None:
    # village blocks are whole buildings, so at village_clustering=1 no building is shared,
    # also at Dongyu's 1,750 households where blocks (438, 438, 437, 437) are not multiples
    # of 30; and each village occupies one contiguous run of buildings
    for s in SEEDS:
        m = resettle.CommunityModel(rng=s, village_clustering=1.0)
        np.testing.assert_array_equal(_villages_per_building(m), 1)
        h = m.homes
        for v in range(len(VILLAGES)):
            b = np.unique(h.building[h.village == v])
            np.testing.assert_array_equal(b, np.arange(b.min(), b.max() + 1))


def test_no_clustering_mixes_villages_in_buildings() -> None:
    # Random placement: a building of 30 households is single-village with probability
    # 4 * 0.25**30 ~ 1e-18 and misses a given village with probability 0.75**30 ~ 2e-4, so
    # every building mixes villages and nearly all hold all four.
    for s in SEEDS:
        m = resettle.CommunityModel(rng=s, village_clustering=0.0)
        per_building = _villages_per_building(m)
        assert per_building.min() >= 2
        assert (per_building == 4).mean() >= 0.9


# ---- party members and cadres -----------------------------------------------------------------

def test_98_party_members_mostly_older(models) -> None:
    gaps = []
    for m in models:
        r = m.people
        assert int(r.party.sum()) == 98
        assert r.age[r.party].min() >= 18.0
        adult_mean = r.age[r.age >= 18].mean()
        member_mean = r.age[r.party].mean()
        # 'mostly older' (§1): members are on average well above the adult mean (47 years
        # at the default age shares) and most are 50 or older. Measured over these seeds the
        # gap is 10-16 years and the 50+ share 0.64-0.8; 8 years and one half leave room for
        # the sampling spread of 98 members (sd of their mean age about 1.2 years).
        assert member_mean - adult_mean > 8.0
        assert (r.age[r.party] >= 50).mean() > 0.5
        gaps.append(member_mean)
    # the draw targets party_member_mean_age = 60; the mean of 20 replications has a standard
    # error of about 0.3 years, so 1.5 years is ~5 standard errors
    assert abs(np.mean(gaps) - 60.0) < 1.5


def test_cadres_over_50_with_three_quarters_low_schooling(models) -> None:
    for m in models:
        cadres = list(m.cadres)
        assert len(cadres) == 20
        assert not any(c.dispatched for c in cadres)  # the town's secretary comes in month 1
        # §2.3 'average age over 50': mean 53, sd 5 per cadre -> sd of the mean of 20 is 1.1,
        # so a replication below 50 has probability ~0.4%; none of these 20 is.
        assert np.mean([c.age for c in cadres]) > 50.0
        low = np.mean([c.schooling <= 1 for c in cadres])  # junior high or less
        assert abs(low - 0.75) <= 1 / len(cadres) + 1e-12
        college = np.mean([c.schooling == 3 for c in cadres])
        assert college <= 0.1  # 'very few' college
    assert models[0].metrics().loc[0, "cadre_mean_age"] > 50.0


# ---- cooperatives and money ---------------------------------------------------------------

def test_four_cooperatives_with_assets_and_retained_funds(models) -> None:
    c = resettle.Scenario().community
    for m in models:
        coops = sorted(m.cooperatives, key=lambda k: k.village)
        assert len(coops) == 4
        per_capita = [k.assets / k.members for k in coops]
        assert all(31000.0 <= x <= 38300.0 for x in per_capita)  # §1 feature 1
        assert len(set(per_capita)) == 4  # differing by village
        np.testing.assert_allclose(per_capita, c.assets_per_capita, rtol=1e-12)
        for k in coops:
            assert k.members == int((m.people.village == k.village).sum())
            retained = c.collective_retained_per_capita[k.village]
            assert 14000.0 <= retained <= 17000.0  # the collective share's book value
            # the fund's cash: two years of the collective's part (30%) of the assets' return
            # under the business cadres drawn at the start
            u = resettle.Scenario().uncertainties
            business = business_factor(m.cadres, u)
            assert 0.5 < business < 1.5
            cash = (c.collective_cash_years * k.assets * u.asset_return_rate * business
                    * c.collective_share)
            assert m.ledger.balance[k.fund_account] == pytest.approx(cash, rel=1e-12)


def test_property_fee_420000_a_year_paid_by_collectives(first_year_flows) -> None:
    assert resettle.Scenario().community.property_fee_per_year == 420000.0
    on_behalf = [sum(a for (_, dst, kind), a in f.items()
                     if kind == "property fee on behalf" and dst == "property_company")
                 for f in first_year_flows]
    np.testing.assert_allclose(on_behalf, 420000.0 / 12, rtol=1e-9)
    assert sum(on_behalf) == pytest.approx(420000.0, rel=1e-9)


def test_startup_funds_arrive_in_month_one(first_year_flows) -> None:
    month1 = first_year_flows[0]
    assert month1[("outside", "community", "start-up (district)")] == 600000.0
    assert month1[("outside", "community", "start-up (town)")] == 200000.0
    village = {src: a for (src, dst, kind), a in month1.items()
               if kind == "start-up (village)" and dst == "community"}
    assert sorted(village) == sorted(f"cooperative:{v}" for v in VILLAGES)
    assert all(a == 200000.0 for a in village.values())
    later = [k for f in first_year_flows[1:] for k in f if k[2].startswith("start-up")]
    assert later == []


# ---- residents' wishes and jobs ---------------------------------------------------------------

def test_mass_organisation_demand_is_55_percent(models) -> None:
    n = models[0].people.n
    sd = math.sqrt(0.55 * 0.45 / n)  # binomial sd of a share of n = 4,200 draws: 0.0077
    shares = [m.people.wants_mass_orgs.mean() for m in models]
    for x in shares:  # each within 4 sd (a 6e-5 chance per replication of a false alarm)
        assert abs(x - 0.55) < 4 * sd
    assert abs(np.mean(shares) - 0.55) < 4 * sd / math.sqrt(len(shares))
    assert models[0].metrics().loc[0, "mass_organisations"] == 0  # none exist yet (§2.4)


def test_4050_group_has_lower_initial_employment_than_under_40s(models) -> None:
    emp = resettle.Scenario().community.initial_employment
    for m in models:
        row = m.metrics().loc[0]
        assert row["employment_4050"] < row["employment_under40"]
        g = group_masks(m.people.age, m.people.female)
        working = working_age(m.people.age, m.people.female, m.params.community)
        assert not m.people.employed[~working].any()  # nobody outside working age has a job
        for key, target in (("under40", emp[0]), ("4050", emp[2])):
            mask = g[key] & working
            k = int(mask.sum())  # about 1,300 and 600 people
            # binomial sd of the drawn share is at most 0.02 here; 4 sd
            assert abs(m.people.employed[mask].mean() - target) < 4 * math.sqrt(
                target * (1 - target) / k)
