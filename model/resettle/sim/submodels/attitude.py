"""Attitude, villager (0) to citizen (1): bounded-confidence influence plus exposure drift.

Social influence is the Deffuant–Weisbuch model (Deffuant et al. 2000): two contacts whose
attitudes differ by less than the confidence bound ε move toward each other by a share μ of
the gap. Here μ is scaled per person by an age plasticity ``exp(-decay·max(age-18, 0))``
(attitudes harden with age: Krosnick & Alwin 1989). Contacts are drawn each round from the
household, building, village and workplace layers; pairs in a round are made disjoint, so a
round equals that many sequential pair updates.

Drift moves a person toward 1 by ``gain·(1-x)`` and toward 0 by ``loss·x``, both scaled by
plasticity. The gain sums what they were exposed to this month (publicity, culture events, the
community school, party members' vanguard contacts, an urban job, having paid one's own
property fee); the loss is resentment: of a household with unresolved grievance, and of one
caught evading its bill (deterrence crowds out intrinsic motivation: Feld & Frey 2002).
"""

from __future__ import annotations

import numpy as np

from resettle.sim.population import ADULT_AGE, IS_LOCAL
from resettle.sim.seeds import random_subset
from resettle.sim.submodels import party
from resettle.sim.submodels.contract import writes


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


@writes("x")
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


@writes("x")
def deffuant_weisbuch(x: np.ndarray, epsilon: float, mu: float, rounds: int,
                      rng: np.random.Generator) -> np.ndarray:
    """The plain model: ``rounds`` random matchings of everyone, constant μ. Updates ``x``."""
    for _ in range(rounds):
        u, v = random_matching(len(x), rng)
        bounded_confidence(x, u, v, epsilon, mu, mu)
    return x


@writes("x")
def influence_round(x: np.ndarray, partners: np.ndarray, epsilon: float, mu: np.ndarray,
                    rng: np.random.Generator) -> int:
    """One round of social influence along the proposed partners (made disjoint first)."""
    u, v = disjoint_pairs(np.arange(len(x)), partners, len(x), rng)
    return bounded_confidence(x, u, v, epsilon, mu[u], mu[v])


@writes("x")
def exposure_drift(x: np.ndarray, gain: np.ndarray, loss: np.ndarray | float = 0.0) -> None:
    """Move toward citizen attitude by ``gain·(1-x)`` and back by ``loss·x`` (each clipped to
    [0, 1]). In place."""
    x += np.clip(gain, 0.0, 1.0) * (1.0 - x) - np.clip(loss, 0.0, 1.0) * x


def resentment(grievance: np.ndarray, caught: np.ndarray, u) -> np.ndarray:
    """This month's attitude loss of each household's adults: ``grievance_resentment·(1 -
    e^-G)`` plus ``enforcement_resentment`` if it was caught evading."""
    return (u.grievance_resentment * -np.expm1(-grievance)
            + u.enforcement_resentment * caught)


def work_groups(r) -> np.ndarray:
    """Each resident's local workplace (its sector), or -1 for those not working locally."""
    return np.where(r.employed & IS_LOCAL[r.sector], r.sector, -1)


def tie_weights(u, building_share: float) -> np.ndarray:
    """Weights of the household, building, village and workplace layers; branches by building
    (in ``building_share`` of the building areas) move that share of ``building_basis_tie_shift``
    of the village weight to building ties."""
    w = np.array([u.household_tie_weight, u.building_tie_weight, u.village_tie_weight,
                  u.workplace_tie_weight])
    moved = w[2] * u.building_basis_tie_shift * building_share
    w[1], w[2] = w[1] + moved, w[2] - moved
    return w


def school_attendance(age: np.ndarray, seats: int, rng: np.random.Generator) -> np.ndarray:
    """Random adults (16 and over) filling the community school's ``seats`` this month."""
    adults = np.flatnonzero(age >= ADULT_AGE)
    chosen = random_subset(rng, len(age), adults, seats)
    out = np.zeros(len(age), bool)
    out[chosen] = True
    return out


def exposure(r, u, *, events: int, school_sessions: int, mass_share: float,
             zones: tuple[np.ndarray, int], active: np.ndarray, paid_own_fee: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
    """This month's exposure of each resident to urbanising influences (before plasticity):
    publicity, the culture ``events`` held (reach grows with the share ``mass_share`` of mass
    organisations founded), the community school's sessions held, active party members of the
    resident's zone (``zones`` = (zone per resident, number of zones)), a job, and having paid
    one's own property fee (``paid_own_fee``, per resident). Draws culture, school, then
    contacts."""
    p_culture = u.culture_reach * events \
        * (u.culture_base_reach + (1 - u.culture_base_reach) * mass_share) \
        * np.where(r.wants_mass_orgs, 1.0, u.culture_reluctant_factor)
    culture = rng.random(r.n) < np.minimum(p_culture, 1.0)
    school = school_attendance(r.age, school_sessions * u.school_class_size, rng)
    reach = party.vanguard_reach(active, *zones, u.contacts_per_active_member)
    contacted = rng.random(r.n) < reach
    return (u.publicity_effect + u.culture_effect * culture + u.school_effect * school
            + u.vanguard_effect * contacted + u.job_effect * r.employed
            + u.owner_effect * paid_own_fee)
