"""Theory checks for the attitude submodel: Deffuant–Weisbuch bounded confidence and helpers.

Published results checked:
- Fortunato (2004), Int. J. Mod. Phys. C 15: on any graph, DW with ε > 1/2 ends in consensus.
- Deffuant, Neau, Amblard & Weisbuch (2000), Adv. Complex Syst. 3: with uniform opinions the
  population settles into about 1/(2ε) major clusters (Ben-Naim, Krapivsky & Redner 2003,
  Physica D 183, put the mean-field count at 1/(2.155ε) ≈ 4.6 for ε = 0.1), plus minor
  clusters of a few agents, mostly at the extremes.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from resettle.sim.network import ContactSampler, Layer
from resettle.sim.submodels.attitude import (
    bounded_confidence,
    deffuant_weisbuch,
    disjoint_pairs,
    exposure_drift,
    influence_round,
    plasticity,
    random_matching,
)

ROOT_SEED = 20261124
N_AGENTS = 1000
MU = 0.5


def _rngs(n: int, offset: int = 0) -> list[np.random.Generator]:
    """Independent generators for ``n`` replications from the fixed root seed."""
    return [np.random.default_rng(s)
            for s in np.random.SeedSequence([ROOT_SEED, offset]).spawn(n)]


def _clusters(x: np.ndarray, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Cluster label per agent and cluster sizes, splitting sorted opinions at gaps > ``gap``."""
    s = np.sort(x)
    breaks = np.flatnonzero(np.diff(s) > gap)
    cuts = (s[breaks] + s[breaks + 1]) / 2
    labels = np.searchsorted(cuts, x)
    return labels, np.bincount(labels, minlength=len(cuts) + 1)


def _cluster_sizes(x: np.ndarray, gap: float) -> np.ndarray:
    """Sizes of the groups left when sorted opinions are split at gaps wider than ``gap``."""
    return _clusters(x, gap)[1]


# --------------------------------------------------------------------------------------------
# Deffuant–Weisbuch on the complete graph (random perfect matchings, constant μ)
# --------------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("epsilon", [0.5, 0.6])
def test_consensus_above_one_half(epsilon: float) -> None:
    """Fortunato (2004): ε ≥ 1/2 gives one cluster (consensus) from uniform opinions."""
    rounds, extra = 300, 100
    n_seeds = 20
    for rng in _rngs(n_seeds, offset=int(epsilon * 100)):
        x = rng.random(N_AGENTS)
        deffuant_weisbuch(x, epsilon, MU, rounds, rng)
        before = x.copy()
        deffuant_weisbuch(x, epsilon, MU, extra, rng)
        # Converged: further rounds move nobody appreciably.
        assert np.max(np.abs(x - before)) < 1e-9
        # Every seed must agree: the mean-field consensus threshold is ε ≈ 0.27
        # (Ben-Naim et al. 2003), so at ε ≥ 0.5 a split would be a model error, not bad luck.
        # "Tiny" spread: 1e-6 is far below any opinion scale in the model.
        assert len(_cluster_sizes(x, epsilon / 2)) == 1
        assert np.ptp(x) < 1e-6


@pytest.mark.slow
def test_major_cluster_count_at_epsilon_0_1() -> None:
    """Deffuant et al. (2000): ε = 0.1 gives about 1/(2ε) = 4–5 major clusters."""
    epsilon = 0.1
    rounds, extra = 2000, 500
    n_seeds = 40
    # Converged DW clusters sit at least ε apart (closer ones would still interact and merge)
    # and each has near-zero width, so any split gap between the two gives the same partition;
    # ε/2 is the midpoint.
    split_gap = epsilon / 2
    # Minor clusters hold ~1% of agents or less in mean field (Ben-Naim et al. 2003) and major
    # ones ~2ε = 20%; 5% separates the two (in the measured size histogram few clusters fall
    # between 3% and 8%, and thresholds of 2% or 10% give the same 4–5 share within one seed).
    major_share = 0.05
    counts = []
    for rng in _rngs(n_seeds, offset=10):
        x = rng.random(N_AGENTS)
        deffuant_weisbuch(x, epsilon, MU, rounds, rng)
        sizes_before = _cluster_sizes(x, split_gap)
        before = x.copy()
        deffuant_weisbuch(x, epsilon, MU, extra, rng)
        labels, sizes = _clusters(x, split_gap)
        is_major = sizes >= major_share * N_AGENTS
        in_major = is_major[labels]
        # Converged: the partition is unchanged, and every major cluster has collapsed to a
        # point that no longer moves. (Minor clusters of m agents meet each other only about
        # m/N times a round, so they still creep together; they do not affect the count.)
        assert np.array_equal(sizes, sizes_before)
        assert np.max(np.abs(x - before)[in_major]) < 1e-9
        assert all(np.ptp(x[labels == c]) < 1e-9 for c in np.flatnonzero(is_major))
        counts.append(int(is_major.sum()))
    counts_arr = np.array(counts)
    share_4_5 = np.mean((counts_arr == 4) | (counts_arr == 5))
    # 1/(2.155ε) ≈ 4.6 lies between 4 and 5, so finite-N (N = 1000) fluctuations of the
    # initial density decide between them; they can also, rarely, merge or split a major
    # cluster. We allow up to 10% of seeds outside 4–5 but none as far as two clusters away.
    # (Exploration outside this test, 280 other seeds at N = 1000: ~3% of runs end with 3
    # major clusters, none with 2 or 6+; so with 40 seeds a false alarm has < 1% chance.
    # At N = 4000 all 100 runs gave 4 or 5, as expected of a finite-size effect.)
    assert share_4_5 >= 0.9, np.bincount(counts_arr)
    assert counts_arr.min() >= 3 and counts_arr.max() <= 6, np.bincount(counts_arr)
    assert 4.0 <= counts_arr.mean() <= 5.0, counts_arr.mean()


@pytest.mark.parametrize("epsilon", [0.05, 0.2, 0.6])
def test_dw_conserves_mean_and_range(epsilon: float) -> None:
    """Constant-μ DW rounds conserve the mean opinion and keep opinions within the start range."""
    for rng in _rngs(5, offset=20):
        x0 = rng.random(501)  # odd n: one agent sits out each round
        x = x0.copy()
        deffuant_weisbuch(x, epsilon, 0.3, 200, rng)
        assert abs(x.mean() - x0.mean()) < 1e-12
        assert x.min() >= x0.min() - 1e-12
        assert x.max() <= x0.max() + 1e-12
        assert not np.array_equal(x, x0)  # something did move


@st.composite
def _disjoint_pair_case(draw: st.DrawFn):
    n = draw(st.integers(2, 40))
    x = draw(hnp.arrays(np.float64, n, elements=st.floats(0.0, 1.0)))
    order = np.array(draw(st.permutations(range(n))), dtype=np.int64)
    m = draw(st.integers(0, n // 2))
    u, v = order[:m], order[m:2 * m]
    mu_u = draw(hnp.arrays(np.float64, m, elements=st.floats(0.0, 0.5)))
    mu_v = draw(hnp.arrays(np.float64, m, elements=st.floats(0.0, 0.5)))
    epsilon = draw(st.floats(0.0, 1.0))
    return x, u, v, mu_u, mu_v, epsilon


@settings(max_examples=200, deadline=None)
@given(_disjoint_pair_case())
def test_bounded_confidence_update_rule(case) -> None:
    """DW pair update: close pairs move μ·gap toward each other, others stay, count returned."""
    x0, u, v, mu_u, mu_v, epsilon = case
    x = x0.copy()
    moved = bounded_confidence(x, u, v, epsilon, mu_u, mu_v)
    gap = x0[v] - x0[u]
    close = np.abs(gap) < epsilon
    assert moved == int(close.sum())
    untouched = np.ones(len(x0), dtype=bool)
    untouched[u[close]] = False
    untouched[v[close]] = False
    np.testing.assert_array_equal(x[untouched], x0[untouched])
    np.testing.assert_allclose(x[u], x0[u] + np.where(close, mu_u * gap, 0.0), atol=1e-12)
    np.testing.assert_allclose(x[v], x0[v] - np.where(close, mu_v * gap, 0.0), atol=1e-12)
    # μ ≤ ½ each: a pair never overshoots, so both stay within the pair's old range.
    lo, hi = np.minimum(x0[u], x0[v]), np.maximum(x0[u], x0[v])
    for y in (x[u], x[v]):
        assert np.all(y >= lo - 1e-12) and np.all(y <= hi + 1e-12)


@settings(max_examples=200, deadline=None)
@given(_disjoint_pair_case(), st.floats(0.0, 0.5))
def test_bounded_confidence_symmetric_mu_conserves_pair_sums(case, mu: float) -> None:
    """With equal μ on both sides each pair's sum, hence the total opinion, is conserved."""
    x0, u, v, _, _, epsilon = case
    x = x0.copy()
    bounded_confidence(x, u, v, epsilon, mu, mu)
    np.testing.assert_allclose(x[u] + x[v], x0[u] + x0[v], atol=1e-12)
    assert abs(x.sum() - x0.sum()) < 1e-12


# --------------------------------------------------------------------------------------------
# Pairing helpers
# --------------------------------------------------------------------------------------------

@st.composite
def _candidate_pairs(draw: st.DrawFn):
    n = draw(st.integers(1, 30))
    m = draw(st.integers(0, 60))
    u = draw(hnp.arrays(np.int64, m, elements=st.integers(-1, n - 1)))
    v = draw(hnp.arrays(np.int64, m, elements=st.integers(-1, n - 1)))
    seed = draw(st.integers(0, 2**32 - 1))
    return n, u, v, seed


@settings(max_examples=300, deadline=None)
@given(_candidate_pairs())
def test_disjoint_pairs_is_a_matching_of_candidates(case) -> None:
    """disjoint_pairs keeps valid candidate pairs only, with no node used twice."""
    n, u, v, seed = case
    ku, kv = disjoint_pairs(u, v, n, np.random.default_rng(seed))
    assert len(ku) == len(kv)
    assert np.all(ku >= 0) and np.all(kv >= 0)
    assert np.all(ku != kv)
    nodes = np.concatenate([ku, kv])
    assert len(np.unique(nodes)) == len(nodes)
    valid = (u >= 0) & (v >= 0) & (u != v)
    cand = list(zip(u[valid].tolist(), v[valid].tolist(), strict=True))
    for pair in zip(ku.tolist(), kv.tolist(), strict=True):
        assert pair in cand
        cand.remove(pair)  # multiset inclusion
    # A valid candidate sharing no node with any other valid candidate is always kept.
    uv, vv = u[valid], v[valid]
    use = np.bincount(np.concatenate([uv, vv]), minlength=n)
    lonely = (use[uv] == 1) & (use[vv] == 1)
    kept = set(zip(ku.tolist(), kv.tolist(), strict=True))
    for pair in zip(uv[lonely].tolist(), vv[lonely].tolist(), strict=True):
        assert pair in kept


def test_disjoint_pairs_resolves_conflicts_at_random() -> None:
    """Between two candidate pairs sharing a node, each is kept about half the time."""
    u, v = np.array([0, 1]), np.array([1, 2])
    n_rep = 4000
    first_kept = 0
    for rng in _rngs(n_rep, offset=30):
        ku, _ = disjoint_pairs(u, v, 3, rng)
        assert len(ku) == 1
        first_kept += int(ku[0] == 0)
    # Binomial(4000, ½): SD = 0.0079 in share; 5 SD (0.04) keeps a false alarm below 1e-6.
    assert abs(first_kept / n_rep - 0.5) < 5 * np.sqrt(0.25 / n_rep)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 100, 1001])
def test_random_matching_covers_each_node_at_most_once(n: int) -> None:
    """random_matching pairs ⌊n/2⌋ disjoint couples, every node at most once."""
    for rng in _rngs(5, offset=40 + n):
        u, v = random_matching(n, rng)
        assert len(u) == len(v) == n // 2
        nodes = np.concatenate([u, v])
        assert len(np.unique(nodes)) == len(nodes)
        assert np.all((nodes >= 0) & (nodes < n))
        assert len(nodes) == n - (n % 2)


def test_random_matching_partner_is_uniform() -> None:
    """Node 0's partner is uniform over the other n−1 nodes (uniform perfect matching)."""
    n, n_rep = 6, 5000
    counts = np.zeros(n, dtype=np.int64)
    for rng in _rngs(n_rep, offset=50):
        u, v = random_matching(n, rng)
        partner = np.concatenate([v, u])[np.flatnonzero(np.concatenate([u, v]) == 0)]
        counts[partner] += 1
    assert counts[0] == 0
    share = counts[1:] / n_rep
    # Each share is Binomial(5000, 1/5)/5000: SD 0.0057; 5 SD per node (Bonferroni over 5).
    assert np.all(np.abs(share - 0.2) < 5 * np.sqrt(0.2 * 0.8 / n_rep))


# --------------------------------------------------------------------------------------------
# Plasticity and exposure drift
# --------------------------------------------------------------------------------------------

def test_plasticity_one_up_to_18() -> None:
    """Plasticity is exactly 1 at ages ≤ 18, whatever the decay."""
    ages = np.array([0.0, 5.0, 17.9, 18.0])
    for decay in (0.0, 0.03, 1.0):
        np.testing.assert_array_equal(plasticity(ages, decay), np.ones_like(ages))


def test_plasticity_zero_decay_is_flat() -> None:
    """With decay 0 attitudes never harden: plasticity 1 at every age."""
    np.testing.assert_array_equal(plasticity(np.arange(0.0, 101.0), 0.0), np.ones(101))


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-3, 1.0), st.floats(18.0, 110.0), st.floats(1e-3, 50.0))
def test_plasticity_strictly_decreasing_after_18(decay: float, a: float, step: float) -> None:
    """For decay > 0, plasticity falls strictly with age past 18 and stays in (0, 1]."""
    pa, pb = plasticity(np.array([a, a + step]), decay)
    assert pb < pa <= 1.0
    assert pb > 0.0


@settings(max_examples=300, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 50), elements=st.floats(0.0, 1.0)),
       st.data())
def test_exposure_drift_stays_in_unit_interval_and_never_lowers(x0, data) -> None:
    """Exposure drift keeps attitudes in [0, 1] and never moves anyone down."""
    gain = data.draw(hnp.arrays(np.float64, len(x0), elements=st.floats(-2.0, 3.0)))
    x = x0.copy()
    exposure_drift(x, gain)
    assert np.all(x >= x0)
    assert np.all((x >= 0.0) & (x <= 1.0))
    # No exposure (gain ≤ 0, clipped to 0) leaves the attitude unchanged.
    np.testing.assert_array_equal(x[gain <= 0], x0[gain <= 0])


def test_exposure_drift_closes_gap_by_gain() -> None:
    """Gain g closes a share g of the distance to 1; gain ≥ 1 reaches citizen attitude."""
    x = np.array([0.0, 0.2, 0.5, 0.9, 0.3])
    gain = np.array([0.5, 0.25, 1.0, 0.1, 7.0])
    expected = np.array([0.5, 0.4, 1.0, 0.91, 1.0])
    exposure_drift(x, gain)
    np.testing.assert_allclose(x, expected, atol=1e-15)


# --------------------------------------------------------------------------------------------
# Partner choice and influence rounds
# --------------------------------------------------------------------------------------------

def _fixed_layer(partner: np.ndarray) -> Layer:
    """A Layer in which node i's only tie is ``partner[i]`` (none where it is -1)."""
    has = partner >= 0
    indptr = np.concatenate([[0], np.cumsum(has)]).astype(np.int64)
    return Layer(indptr=indptr, indices=partner[has].astype(np.int64))


def choose_partners(layers: list[np.ndarray], weights: np.ndarray,
                    rng: np.random.Generator) -> np.ndarray:
    """One ContactSampler round over layers given as one fixed partner per node."""
    return ContactSampler([_fixed_layer(p) for p in layers], weights).draw(rng)


def _layer_partners(n: int, n_layers: int) -> list[np.ndarray]:
    """Layer l proposes partner (i + l + 1) mod n, so the layer is recoverable from the id."""
    i = np.arange(n)
    return [(i + layer + 1) % n for layer in range(n_layers)]


def test_contact_sampler_none_when_no_layer_has_partner() -> None:
    """A node with no partner in any layer gets -1; others get a partner from some layer."""
    n = 8
    layers = [np.full(n, -1) for _ in range(3)]
    layers[1][[2, 5]] = [3, 6]
    layers[2][5] = 7
    weights = np.array([0.5, 0.3, 0.2])
    for rng in _rngs(50, offset=60):
        chosen = choose_partners(layers, weights, rng)
        none = np.ones(n, dtype=bool)
        none[[2, 5]] = False
        assert np.all(chosen[none] == -1)
        assert chosen[2] == 3
        assert chosen[5] in (6, 7)


@pytest.mark.parametrize("missing_first", [False, True])
def test_contact_sampler_layer_rates_match_weights(missing_first: bool) -> None:
    """Layers are chosen at rates equal to the weights, renormalised over available layers."""
    n, n_rep = 20_000, 20
    weights = np.array([5.0, 3.0, 1.5, 0.5])  # unnormalised on purpose
    layers = _layer_partners(n, len(weights))
    expected = weights / weights.sum()
    if missing_first:
        layers[0] = np.full(n, -1)
        expected = np.concatenate([[0.0], weights[1:] / weights[1:].sum()])
    counts = np.zeros(len(weights), dtype=np.int64)
    for rng in _rngs(n_rep, offset=70 + int(missing_first)):
        chosen = choose_partners(layers, weights, rng)
        assert np.all(chosen >= 0)
        layer = (chosen - np.arange(n) - 1) % n
        counts += np.bincount(layer, minlength=len(weights))
    total = n * n_rep
    share = counts / total
    # Pooled over 400,000 draws each share is a binomial proportion with SD ≤ 0.00079;
    # 5 SD per layer keeps the chance of a false alarm below 1e-5 over four layers.
    sd = np.sqrt(expected * (1 - expected) / total)
    assert np.all(np.abs(share - expected) <= 5 * sd + 1e-12), (share, expected)
    if missing_first:
        assert counts[0] == 0


def test_influence_round_on_perfect_matching() -> None:
    """An influence round along a perfect matching updates every pair once with its own μ."""
    n = 1000
    for rng in _rngs(10, offset=80):
        perm = rng.permutation(n)
        partners = np.empty(n, dtype=np.int64)
        partners[perm[0::2]] = perm[1::2]
        partners[perm[1::2]] = perm[0::2]
        x0 = rng.random(n)
        mu = plasticity(rng.uniform(0.0, 80.0, n), 0.03) * 0.5
        x = x0.copy()
        moved = influence_round(x, partners, 2.0, mu, rng)  # ε = 2: every pair is close
        assert moved == n // 2
        np.testing.assert_allclose(x, x0 + mu * (x0[partners] - x0), atol=1e-12)


def test_influence_round_constant_mu_conserves_mean() -> None:
    """With constant μ an influence round on arbitrary proposals conserves the mean opinion."""
    n = 1000
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    for rng in _rngs(10, offset=90):
        layers = [np.where(rng.random(n) < 0.7, rng.integers(0, n, n), -1) for _ in weights]
        partners = choose_partners(layers, weights, rng)
        x0 = rng.random(n)
        x = x0.copy()
        moved = influence_round(x, partners, 0.3, np.full(n, 0.5), rng)
        assert 0 < moved <= n // 2
        assert abs(x.sum() - x0.sum()) < 1e-10
        assert np.count_nonzero(x != x0) <= 2 * moved
        # ε = 0: nobody is close enough, nothing moves.
        assert influence_round(x, partners, 0.0, np.full(n, 0.5), rng) == 0
