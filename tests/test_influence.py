"""The compiled influence loop gives exactly the reference numpy result, and whole runs agree."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import resettle
from resettle.sim.network import (
    ContactSampler,
    GroupSampler,
    csr_from_edges,
    has_neighbour,
    tie_matrix,
)
from resettle.sim.seeds import counter_key, philox4x32, replication_seeds
from resettle.sim.submodels import influence

pytestmark = pytest.mark.skipif(influence._compiled is None, reason="numba not installed")


@pytest.mark.parametrize("seed", replication_seeds(20261124, 5))
@pytest.mark.parametrize("epsilon", [0.05, 0.1, 0.3, 1.0])
def test_compiled_rounds_equal_reference(seed: int, epsilon: float) -> None:
    """Same draws → bit-identical attitudes and the same number of pairs moved."""
    model = resettle.CommunityModel(rng=seed, residents=900, households=380, party_members=20)
    r = model.people
    work = np.where(r.employed, r.sector, -1)
    sampler = ContactSampler([GroupSampler(work)], np.array([0.25, 0.2, 0.4, 0.15]),
                             model.processes.static_rows)
    key, month = counter_key(seed, "influence"), 17
    mu = 0.3 * np.exp(-0.04 * np.maximum(r.age - 18, 0))
    x_ref, x_fast = r.attitude.copy(), r.attitude.copy()
    moved_ref = influence.rounds_numpy(x_ref, mu, epsilon, sampler, 6, key, month)
    moved_fast = influence.rounds_compiled(x_fast, mu, epsilon, sampler, 6, key, month)
    assert moved_ref == moved_fast > 0
    np.testing.assert_array_equal(x_ref, x_fast)
    assert not np.array_equal(x_ref, r.attitude)  # something did move


# Random123's tests/kat_vectors, the three "philox4x32 10" lines: counter, key, the four words
PHILOX_KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@pytest.mark.parametrize(("counter", "key", "words"), PHILOX_KNOWN_ANSWERS)
def test_philox_gives_the_published_known_answers(counter, key, words) -> None:
    """The generator is Philox4x32-10: its words equal Random123's known answers, computed on
    numpy scalars, on numpy arrays and inside the compiled loop alike."""
    args = [np.uint64(v) for v in (*counter, *key)]
    assert tuple(int(w) for w in philox4x32(*args)) == words
    arrays = [np.full(3, v) for v in args]
    assert all((w == e).all() for w, e in zip(philox4x32(*arrays), words, strict=True))
    assert tuple(int(w) for w in influence.compiled_words(*args)) == words


def test_a_residents_draws_depend_on_its_slot_round_and_month_only() -> None:
    """Round draws for 50 residents are the first 50 of those for 900 (no dependence on how
    many are drawn for), and differ between rounds, months and keys."""
    key = counter_key(7, "influence")
    u, prio = influence.round_draws(key, 12, 2, 900)
    u_small, prio_small = influence.round_draws(key, 12, 2, 50)
    np.testing.assert_array_equal(u[:, :50], u_small)
    np.testing.assert_array_equal(prio[:50], prio_small)
    for other in (influence.round_draws(key, 12, 3, 50), influence.round_draws(key, 13, 2, 50),
                  influence.round_draws(counter_key(8, "influence"), 12, 2, 50)):
        assert not np.isin(other[1], prio_small).any()
        assert not np.isin(other[0], u_small).any()
    assert 0 <= u.min() and u.max() < 1 and 0 <= prio.min() and prio.max() < 1
    assert len(np.unique(prio)) == 900  # 53-bit priorities: no ties


def test_round_draws_are_uniform() -> None:
    """Over 200,000 draws, each of the three uniforms is uniform on [0, 1) (Kolmogorov–Smirnov,
    p > 0.001) and the three are uncorrelated (|r| < 0.01, about 4.5 standard errors)."""
    from scipy import stats

    u, prio = influence.round_draws(counter_key(3, "influence"), 5, 0, 200_000)
    draws = np.vstack([u, prio])
    for row in draws:
        assert stats.kstest(row, "uniform").pvalue > 1e-3
    corr = np.corrcoef(draws)
    assert np.abs(corr[np.triu_indices(3, 1)]).max() < 0.01


def test_compiled_draws_are_the_reference_words() -> None:
    """The compiled loop's draws equal ``round_draws`` (``seeds.philox4x32`` on arrays). Numba's
    cache of ``influence.py`` does not notice an edit to ``seeds.py``: if this fails after one,
    delete ``model/resettle/sim/submodels/__pycache__/influence.*.nb*`` and run again."""
    key, n = counter_key(11, "influence"), 1000
    u_layer, u_tie, prio = np.empty(n), np.empty(n), np.empty(n)
    influence.fill_draws(u_layer, u_tie, prio, 3, 40, key)
    u, expected_prio = influence.round_draws(key, 40, 3, n)
    np.testing.assert_array_equal(np.stack([u_layer, u_tie]), u, err_msg="stale numba cache?")
    np.testing.assert_array_equal(prio, expected_prio, err_msg="stale numba cache?")


def edge_sampler() -> ContactSampler:
    """Seven residents and four layers built to reach every branch of the contact choice: ties
    in layer 0 (0-1, 2-3), an empty layer 1, layer 2 with weight 0 holding the only ties of 4
    and 5 (their weights sum to 0: no contact), co-worker groups in layer 3 ({0, 1}, {2, 3}:
    a resident may draw itself), and resident 6 with no tie at all."""
    n, none = 7, np.empty(0, np.int64)
    layers = [csr_from_edges(n, np.array([0, 2]), np.array([1, 3])), csr_from_edges(n, none, none),
              csr_from_edges(n, np.array([4]), np.array([5])),
              GroupSampler(np.array([0, 0, 1, 1, -1, -1, -1]))]
    return ContactSampler(layers, np.array([0.25, 0.5, 0.0, 0.25]))


def test_compiled_contact_choice_equals_the_reference_at_its_edges() -> None:
    """``propose`` (the first layer whose share exceeds u, found as the number of shares at most
    u) gives ``ContactSampler.partners``'s contacts, and the lowest priority at each resident,
    at u = 0, u exactly at every share, the largest uniform, and a uniform in each gap."""
    sampler = edge_sampler()
    n, cum = sampler.n, sampler.cumulative()
    shares = influence.layer_shares(sampler.degree, sampler.weights)
    np.testing.assert_array_equal(shares, cum.T)  # NaN for 4, 5 and 6 alike
    top = 1 - 2.0 ** -32
    values = sorted({0.0, top, *cum[np.isfinite(cum)].tolist()})
    values += [(a + b) / 2 for a, b in itertools.pairwise(values)]
    prio = np.linspace(0.1, 0.7, n)
    seen = set()
    for u_layer in values:
        for u_tie in (0.0, 0.5, top):
            u = np.array([[u_layer] * n, [u_tie] * n])
            expected = sampler.partners(u, cum)
            partner, lowest = np.empty(n, np.int64), np.empty(n)
            influence.propose(partner, lowest, u[0], u[1], prio, shares, sampler.start,
                              sampler.degree, sampler.targets)
            np.testing.assert_array_equal(partner, expected)
            nodes = np.arange(n)
            ok = (expected >= 0) & (expected != nodes)
            want = np.full(n, 2.0)
            want[nodes[ok]] = prio[ok]
            np.minimum.at(want, expected[ok], prio[ok])
            np.testing.assert_array_equal(lowest, want)
            seen.update(zip(nodes.tolist(), expected.tolist(), strict=True))
    assert {(0, 0), (0, 1), (4, -1), (5, -1), (6, -1)} <= seen  # self, tie, no contact


def test_whole_run_same_with_and_without_numba(monkeypatch: pytest.MonkeyPatch) -> None:
    """A two-year run gives the same table with the compiled loop and with the reference."""
    scenario = resettle.Scenario(horizon_years=2)
    fast = resettle.CommunityModel(scenario, rng=7).run()
    monkeypatch.setenv("RESETTLE_NO_NUMBA", "1")
    assert not influence.use_compiled()
    slow = resettle.CommunityModel(scenario, rng=7).run()
    pd.testing.assert_frame_equal(fast, slow)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_has_neighbour_matches_a_loop_over_ties(seed: int) -> None:
    """``has_neighbour`` (used for referrals) against a plain loop, on the model's own tie
    layers with a random selection, including nodes without ties."""
    model = resettle.CommunityModel(rng=seed, residents=300, households=120, party_members=10)
    layers = model.processes.tie_layers
    rng = np.random.default_rng(seed)
    mask = rng.random(model.people.n) < 0.05
    nodes = np.flatnonzero(rng.random(model.people.n) < 0.5)
    expected = [any(mask[j] for layer in layers
                    for j in layer.indices[layer.indptr[i]:layer.indptr[i + 1]]) for i in nodes]
    ties = tie_matrix(layers, model.people.n)
    got = has_neighbour(ties, mask, nodes)
    np.testing.assert_array_equal(got, expected)
    assert 0 < got.sum() < len(nodes)  # both outcomes occur
    assert not has_neighbour(ties, np.zeros_like(mask), nodes).any()
    assert len(has_neighbour(ties, mask, nodes[:0])) == 0
