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


def _choose_partners(partner, r, start, degree, targets, weights, u):
    """Each node's contact in round ``r`` (the arithmetic of ContactSampler.partners)."""
    n_layers = start.shape[0]
    for i in range(partner.shape[0]):
        total = 0.0
        for level in range(n_layers):
            if degree[level, i] > 0:
                total += weights[level]
        partner[i] = -1
        acc = 0.0
        for level in range(n_layers):
            if degree[level, i] > 0:
                acc += weights[level]
            if acc / total > u[r, 0, i] if total > 0 else False:
                tie = start[level, i] + np.int64(u[r, 1, i] * degree[level, i])
                partner[i] = targets[min(tie, targets.shape[0] - 1)]
                break


def _rounds_loop(x, mu, epsilon, start, degree, targets, weights, u, prio):
    """The same rounds as ``rounds_numpy`` as explicit loops (compiled by numba)."""
    n = x.shape[0]
    partner = np.empty(n, np.int64)
    lowest = np.empty(n)
    moved = 0
    for r in range(u.shape[0]):
        choose(partner, r, start, degree, targets, weights, u)
        lowest[:] = 2.0
        for i in range(n):
            j = partner[i]
            if j >= 0 and j != i:
                lowest[i] = min(lowest[i], prio[r, i])
                lowest[j] = min(lowest[j], prio[r, i])
        for i in range(n):
            j = partner[i]
            if j >= 0 and j != i and lowest[i] == prio[r, i] and lowest[j] == prio[r, i]:
                gap = x[j] - x[i]
                if abs(gap) < epsilon:
                    x[i] += mu[i] * gap
                    x[j] -= mu[j] * gap
                    moved += 1
    return moved


if njit is not None:
    choose = njit(cache=True, nogil=True)(_choose_partners)
    _compiled = njit(cache=True, nogil=True)(_rounds_loop)
else:  # pragma: no cover
    choose = _compiled = None


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
