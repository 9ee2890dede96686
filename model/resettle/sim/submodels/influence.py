"""A month of social influence (Deffuant–Weisbuch rounds on the contact network), fast.

Every random number of the rounds comes from a counter-based generator
(``seeds.philox4x32``, keyed by the ``influence`` process's key): resident ``i`` in round ``r``
of month ``m`` reads the four words of counter (i, r, m, 0) — one for which layer, one for
which tie, and two for a 53-bit priority (which proposed pairs go ahead: a pair is kept when
its priority is the lowest among the pairs touching either of its nodes). So a resident's
draws depend on the seed, the month, the round and the resident's slot only, not on how many
residents there are or which of them have ties, and the compiled loop computes them a round
at a time in a loop of its own, with no array of the month's draws made first. The rounds
run either in plain numpy (the reference) or, when numba is installed, in a compiled loop
that gives the same numbers.
``RESETTLE_NO_NUMBA=1`` forces the reference.
"""

from __future__ import annotations

import os

import numpy as np

from resettle.sim.network import ContactSampler
from resettle.sim.seeds import fine_uniform, philox4x32, word_uniform
from resettle.sim.submodels.attitude import bounded_confidence, pairs_by_priority
from resettle.sim.submodels.contract import writes

WORD_LIMIT = 2 ** 32  # the month and the round each fill a 32-bit word of the counter

try:  # numba is a dependency, but the model must also run where it cannot be installed
    from numba import njit
except ImportError:  # pragma: no cover - exercised only without numba
    njit = None


def round_draws(key: np.ndarray, month: int, r: int, n: int) -> tuple[np.ndarray, ...]:
    """Round ``r``'s uniforms for residents 0..n-1: (which layer, which tie) of shape (2, n),
    and the priorities (n,); the words of counter (i, r, month, 0) under ``key``."""
    w0, w1, w2, w3 = philox4x32(np.arange(n, dtype=np.uint64), np.uint64(r), np.uint64(month),
                                np.uint64(0), key[0], key[1])
    return np.stack([word_uniform(w0), word_uniform(w1)]), fine_uniform(w2, w3)


@writes("x")
def rounds_numpy(x, mu, epsilon, sampler: ContactSampler, rounds: int, key: np.ndarray,
                 month: int) -> int:
    """Reference implementation: vectorised per round. Updates ``x``; returns pairs moved."""
    n, moved = len(x), 0
    nodes = np.arange(n)
    cum = sampler.cumulative()
    for r in range(rounds):
        u, prio = round_draws(key, month, r, n)
        partner = sampler.partners(u, cum)
        ok = (partner >= 0) & (partner != nodes)
        a, b = pairs_by_priority(nodes[ok], partner[ok], n, prio[ok])
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


def _fill_draws(u_layer, u_tie, prio, r, month, key):
    """Round ``r``'s uniforms for every node, from the words of counter (i, r, month, 0): a
    plain loop, which the compiler turns into vector instructions."""
    for i in range(prio.shape[0]):
        w0, w1, w2, w3 = compiled_words(np.uint64(i), np.uint64(r), np.uint64(month),
                                        np.uint64(0), key[0], key[1])
        u_layer[i], u_tie[i] = compiled_word_uniform(w0), compiled_word_uniform(w1)
        prio[i] = compiled_fine_uniform(w2, w3)


def _propose(partner, lowest, u_layer, u_tie, prio, shares, start, degree, targets):
    """Each node's contact (the arithmetic of ContactSampler.partners: the first layer whose
    share exceeds the layer uniform, then tie ``u·degree`` in it), and per node the lowest
    priority among the proposals touching it (2 where none).

    The first layer whose share exceeds u is the number of shares at most u, since the shares
    rise and the last is 1 (a node with no tie at all has NaN shares and no contact)."""
    last, n_layers = targets.shape[0] - 1, shares.shape[1]
    lowest[:] = 2.0
    for i in range(partner.shape[0]):
        u = u_layer[i]
        if not shares[i, n_layers - 1] > u:  # no tie at all
            partner[i] = -1
            continue
        level = 0
        for k in range(n_layers - 1):
            level += shares[i, k] <= u
        j = targets[min(start[level, i] + np.int64(u_tie[i] * degree[level, i]), last)]
        partner[i] = j
        if j != i:
            lowest[i] = min(lowest[i], prio[i])
            lowest[j] = min(lowest[j], prio[i])


def _move_kept(x, mu, epsilon, partner, lowest, prio):
    """Bounded-confidence update of the kept pairs (a proposal whose priority is the lowest at
    both its nodes) that are closer than ``epsilon``; returns how many moved.

    Written without branches (every node computes its pair's update, and writes it back only
    where the pair moves; a node without a partner reads and rewrites node 0), since whether a
    pair moves is a coin flip that a branch would often mispredict."""
    moved = 0
    for i in range(x.shape[0]):
        j = max(partner[i], 0)
        gap = x[j] - x[i]
        move = ((partner[i] >= 0) & (j != i) & (lowest[i] == prio[i])
                & (lowest[j] == prio[i]) & (abs(gap) < epsilon))
        x_i, x_j = x[i] + mu[i] * gap, x[j] - mu[j] * gap
        x[i] = x_i if move else x[i]
        x[j] = x_j if move else x[j]
        moved += move
    return moved


def _rounds_loop(x, mu, epsilon, start, degree, targets, weights, rounds, key, month):
    """The same rounds as ``rounds_numpy`` as explicit loops (compiled by numba)."""
    n = x.shape[0]
    partner = np.empty(n, np.int64)
    lowest, u_layer, u_tie, prio = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    shares = layer_shares(degree, weights)
    moved = 0
    for r in range(rounds):
        fill_draws(u_layer, u_tie, prio, r, month, key)
        propose(partner, lowest, u_layer, u_tie, prio, shares, start, degree, targets)
        moved += move_kept(x, mu, epsilon, partner, lowest, prio)
    return moved


if njit is not None:  # the generator's three functions compiled, for the loop to call
    compiled_words = njit(cache=True, nogil=True, inline="always")(philox4x32)
    compiled_word_uniform = njit(cache=True, nogil=True, inline="always")(word_uniform)
    compiled_fine_uniform = njit(cache=True, nogil=True, inline="always")(fine_uniform)
    fill_draws = njit(cache=True, nogil=True)(_fill_draws)
    layer_shares = njit(cache=True, nogil=True)(_layer_shares)
    propose = njit(cache=True, nogil=True)(_propose)
    move_kept = njit(cache=True, nogil=True)(_move_kept)
    _compiled = njit(cache=True, nogil=True)(_rounds_loop)
else:  # pragma: no cover
    compiled_words = compiled_word_uniform = compiled_fine_uniform = None
    fill_draws = layer_shares = propose = move_kept = _compiled = None


@writes("x")
def rounds_compiled(x, mu, epsilon, sampler: ContactSampler, rounds: int, key: np.ndarray,
                    month: int) -> int:
    """The compiled loop (numba)."""
    return int(_compiled(x, mu, float(epsilon), sampler.start, sampler.degree, sampler.targets,
                         sampler.weights, int(rounds), key, int(month)))


def use_compiled() -> bool:
    """Whether the compiled loop is available and not switched off."""
    return _compiled is not None and os.environ.get("RESETTLE_NO_NUMBA", "") in ("", "0")


@writes("x")
def influence_month(x: np.ndarray, mu: np.ndarray, epsilon: float, sampler: ContactSampler,
                    rounds: int, key: np.ndarray, month: int) -> int:
    """All of a month's influence rounds; updates ``x`` and returns the pairs that moved."""
    if not 0 <= month < WORD_LIMIT or not 0 <= rounds < WORD_LIMIT:
        raise ValueError(f"month {month} and rounds {rounds} must lie in [0, 2^32): each is a "
                         "32-bit word of the draws' counter")
    run = rounds_compiled if use_compiled() else rounds_numpy
    return run(x, mu, epsilon, sampler, rounds, key, month)
