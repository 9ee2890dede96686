"""Attitude, villager (0) to citizen (1): bounded-confidence influence plus exposure drift.

Social influence is the Deffuant–Weisbuch model (Deffuant et al. 2000): two contacts whose
attitudes differ by less than the confidence bound ε move toward each other by a share μ of
the gap. Here μ is scaled per person by an age plasticity ``exp(-decay·max(age-18, 0))``
(attitudes harden with age: Krosnick & Alwin 1989). Contacts are drawn each round from the
household, building, village and workplace layers; pairs in a round are made disjoint, so a
round equals that many sequential pair updates.

Exposure drift moves a person toward 1 by ``gain·(1-x)``, the gain summing what they were
exposed to this month (publicity, culture events, the community school, party members'
vanguard contacts, an urban job, having paid one's own property fee), again scaled by
plasticity.
"""

from __future__ import annotations

import numpy as np


def plasticity(age: np.ndarray, decay: float) -> np.ndarray:
    """Openness to change by age: 1 up to 18, then falling exponentially with ``decay``/year."""
    return np.exp(-decay * np.maximum(age - 18.0, 0.0))


def disjoint_pairs(u: np.ndarray, v: np.ndarray, n: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Keep a random subset of candidate pairs in which no node appears twice.

    Each pair draws a random priority; a pair is kept when it has the lowest priority among
    all pairs touching either of its nodes. The kept pairs form a random matching (a subset
    of what a greedy pass in priority order would keep: a pair whose node lost to an earlier
    pair is dropped rather than re-matched). Self-pairs and pairs with a missing partner
    (-1) are dropped.
    """
    ok = (u >= 0) & (v >= 0) & (u != v)
    return pairs_by_priority(u[ok], v[ok], n, rng.random(int(ok.sum())))


def pairs_by_priority(u: np.ndarray, v: np.ndarray, n: int,
                      priority: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valid pairs (u, v) kept where ``priority`` is lowest among pairs touching their nodes."""
    lowest = np.full(n, 2.0)
    if np.all(u[1:] > u[:-1]):  # each node proposes at most once (the model's case)
        lowest[u] = priority
    else:
        np.minimum.at(lowest, u, priority)
    np.minimum.at(lowest, v, priority)
    keep = (lowest[u] == priority) & (lowest[v] == priority)
    return u[keep], v[keep]


def random_matching(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A uniformly random perfect matching of ``n`` nodes (one node left out when n is odd)."""
    perm = rng.permutation(n)
    m = n // 2
    return perm[:m], perm[m:2 * m]


def bounded_confidence(x: np.ndarray, u: np.ndarray, v: np.ndarray, epsilon: float,
                       mu_u: np.ndarray | float, mu_v: np.ndarray | float) -> int:
    """Deffuant–Weisbuch update of disjoint pairs (u, v) in place; returns how many moved."""
    gap = x[v] - x[u]
    close = np.abs(gap) < epsilon
    mu_u = np.broadcast_to(mu_u, u.shape)[close]
    mu_v = np.broadcast_to(mu_v, v.shape)[close]
    uc, vc, gc = u[close], v[close], gap[close]
    x[uc] += mu_u * gc
    x[vc] -= mu_v * gc
    return int(close.sum())


def deffuant_weisbuch(x: np.ndarray, epsilon: float, mu: float, rounds: int,
                      rng: np.random.Generator) -> np.ndarray:
    """The plain model: ``rounds`` random matchings of everyone, constant μ. Updates ``x``."""
    for _ in range(rounds):
        u, v = random_matching(len(x), rng)
        bounded_confidence(x, u, v, epsilon, mu, mu)
    return x


def influence_round(x: np.ndarray, partners: np.ndarray, epsilon: float, mu: np.ndarray,
                    rng: np.random.Generator) -> int:
    """One round of social influence along the proposed partners (made disjoint first)."""
    u, v = disjoint_pairs(np.arange(len(x)), partners, len(x), rng)
    return bounded_confidence(x, u, v, epsilon, mu[u], mu[v])


def exposure_drift(x: np.ndarray, gain: np.ndarray) -> None:
    """Move toward citizen attitude: ``x += gain·(1-x)``, gain clipped to [0, 1]. In place."""
    x += np.clip(gain, 0.0, 1.0) * (1.0 - x)
