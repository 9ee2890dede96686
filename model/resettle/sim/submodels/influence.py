"""A month of social influence (Deffuant–Weisbuch rounds on the contact network), fast.

Every random number of the month is drawn first with the model's generator: for each round,
two uniforms per node (which layer, which tie) and one priority per node (which proposed
pairs go ahead: a pair is kept when its priority is the lowest among the pairs touching
either of its nodes). The rounds are then deterministic given those draws, and run either in
plain numpy (the reference) or, when numba is installed, in a compiled loop that gives the
same numbers. ``RESETTLE_NO_NUMBA=1`` forces the reference.
"""

from __future__ import annotations

import os

import numpy as np

from resettle.sim.network import ContactSampler
from resettle.sim.submodels.attitude import bounded_confidence, pairs_by_priority
from resettle.sim.submodels.contract import writes

try:  # numba is a dependency, but the model must also run where it cannot be installed
    from numba import njit
except ImportError:  # pragma: no cover - exercised only without numba
    njit = None


def month_draws(sampler: ContactSampler, n: int, rounds: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The month's uniforms: (rounds, 2, n) for contacts, (rounds, n) pair priorities."""
    return rng.random((rounds, 2, sampler.n)), rng.random((rounds, n))


@writes("x")
def rounds_numpy(x, mu, epsilon, sampler: ContactSampler, u, prio) -> int:
    """Reference implementation: vectorised per round. Updates ``x``; returns pairs moved."""
    n, moved = len(x), 0
    nodes = np.arange(n)
    cum = sampler.cumulative()
    for r in range(u.shape[0]):
        partner = sampler.partners(u[r], cum)
        ok = (partner >= 0) & (partner != nodes)
        a, b = pairs_by_priority(nodes[ok], partner[ok], n, prio[r][ok])
        moved += bounded_confidence(x, a, b, epsilon, mu[a], mu[b])
    return moved


def _layer_shares(degree, weights):
    """Per node (rows) and layer (columns), the cumulative share of the layer weights among
    the layers where the node has ties (NaN where those weights have no positive total): the
    arithmetic of ContactSampler.cumulative, done once a month, not for every node and round."""
    n_layers, n = degree.shape
    shares = np.empty((n, n_layers))
    for i in range(n):
        total = 0.0
        for level in range(n_layers):
            if degree[level, i] > 0:
                total += weights[level]
        acc = 0.0
        for level in range(n_layers):
            if degree[level, i] > 0:
                acc += weights[level]
            shares[i, level] = acc / total if total > 0 else np.nan
    return shares


def _propose(partner, lowest, r, shares, start, degree, targets, u, prio):
    """Each node's contact in round ``r`` (the arithmetic of ContactSampler.partners: the
    first layer whose share exceeds u[r, 0], then tie ``u[r, 1]·degree``), and per node the
    lowest priority among the proposals touching it (2 where none)."""
    last = targets.shape[0] - 1
    lowest[:] = 2.0
    for i in range(partner.shape[0]):
        partner[i] = -1
        for level in range(shares.shape[1]):
            if shares[i, level] > u[r, 0, i]:
                tie = start[level, i] + np.int64(u[r, 1, i] * degree[level, i])
                j = targets[min(tie, last)]
                partner[i] = j
                if j != i:
                    lowest[i] = min(lowest[i], prio[r, i])
                    lowest[j] = min(lowest[j], prio[r, i])
                break


def _move_kept(x, mu, epsilon, partner, lowest, r, prio):
    """Bounded-confidence update of round ``r``'s kept pairs (a proposal whose priority is the
    lowest at both its nodes) that are closer than ``epsilon``; returns how many moved.

    Written without branches (every node computes its pair's update, and writes it back only
    where the pair moves; a node without a partner reads and rewrites node 0), since whether a
    pair moves is a coin flip that a branch would often mispredict."""
    moved = 0
    for i in range(x.shape[0]):
        j = max(partner[i], 0)
        gap = x[j] - x[i]
        move = ((partner[i] >= 0) & (j != i) & (lowest[i] == prio[r, i])
                & (lowest[j] == prio[r, i]) & (abs(gap) < epsilon))
        x_i, x_j = x[i] + mu[i] * gap, x[j] - mu[j] * gap
        x[i] = x_i if move else x[i]
        x[j] = x_j if move else x[j]
        moved += move
    return moved


def _rounds_loop(x, mu, epsilon, start, degree, targets, weights, u, prio):
    """The same rounds as ``rounds_numpy`` as explicit loops (compiled by numba)."""
    n = x.shape[0]
    partner = np.empty(n, np.int64)
    lowest = np.empty(n)
    shares = layer_shares(degree, weights)
    moved = 0
    for r in range(u.shape[0]):
        propose(partner, lowest, r, shares, start, degree, targets, u, prio)
        moved += move_kept(x, mu, epsilon, partner, lowest, r, prio)
    return moved


if njit is not None:
    layer_shares = njit(cache=True, nogil=True)(_layer_shares)
    propose = njit(cache=True, nogil=True)(_propose)
    move_kept = njit(cache=True, nogil=True)(_move_kept)
    _compiled = njit(cache=True, nogil=True)(_rounds_loop)
else:  # pragma: no cover
    layer_shares = propose = move_kept = _compiled = None


@writes("x")
def rounds_compiled(x, mu, epsilon, sampler: ContactSampler, u, prio) -> int:
    """The compiled loop (numba)."""
    return int(_compiled(x, mu, float(epsilon), sampler.start, sampler.degree, sampler.targets,
                         sampler.weights, u, prio))


def use_compiled() -> bool:
    """Whether the compiled loop is available and not switched off."""
    return _compiled is not None and os.environ.get("RESETTLE_NO_NUMBA", "") in ("", "0")


@writes("x")
def influence_month(x: np.ndarray, mu: np.ndarray, epsilon: float, sampler: ContactSampler,
                    rounds: int, rng: np.random.Generator) -> int:
    """All of a month's influence rounds; updates ``x`` and returns the pairs that moved."""
    u, prio = month_draws(sampler, len(x), rounds, rng)
    run = rounds_compiled if use_compiled() else rounds_numpy
    return run(x, mu, epsilon, sampler, u, prio)
