"""The compiled influence loop gives exactly the reference numpy result, and whole runs agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import resettle
from resettle.sim.network import ContactSampler, GroupSampler, has_neighbour, tie_matrix
from resettle.sim.seeds import replication_seeds
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
    rng = np.random.default_rng(seed)
    u, prio = influence.month_draws(sampler, r.n, 6, rng)
    mu = 0.3 * np.exp(-0.04 * np.maximum(r.age - 18, 0))
    x_ref, x_fast = r.attitude.copy(), r.attitude.copy()
    moved_ref = influence.rounds_numpy(x_ref, mu, epsilon, sampler, u, prio)
    moved_fast = influence.rounds_compiled(x_fast, mu, epsilon, sampler, u, prio)
    assert moved_ref == moved_fast > 0
    np.testing.assert_array_equal(x_ref, x_fast)
    assert not np.array_equal(x_ref, r.attitude)  # something did move


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
