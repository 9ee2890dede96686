"""Residents taking part: volunteers, members of the mass organisations, turnout and attendance.

* Each month an adult volunteers (service station, patrols, helping neighbours: §6) with
  probability ``volunteer_rate × attitude`` while the community runs its volunteer service;
  party members with a post ("one member one post", §6) ``volunteer_post_factor`` times as often.
* Residents who want mass organisations (§2.4: 55%) join a founded one with probability
  ``mass_org_join_rate × attitude × (share of the four founded)`` a month, and stay members.
* A household takes part in a vote of the representatives' congress, or sends someone to a
  community meeting, with probability ``turnout_base + turnout_attitude·(x - ½) -
  turnout_grievance·(1 - e^-G)`` (clipped to [0, 1]), x its adults' attitude and G its
  grievance.
"""

from __future__ import annotations

import numpy as np

from resettle.sim.population import ADULT_AGE
from resettle.sim.submodels.contract import writes


def propensity(attitude: np.ndarray, grievance: np.ndarray, u) -> np.ndarray:
    """Each household's probability of taking part in a vote or a meeting."""
    p = (u.turnout_base + u.turnout_attitude * (attitude - 0.5)
         + u.turnout_grievance * np.expm1(-grievance))
    return np.clip(p, 0.0, 1.0)


def take_part(p: np.ndarray, rng: np.random.Generator) -> float:
    """The share of households that took part (each with its probability ``p``)."""
    return float((rng.random(len(p)) < p).mean()) if len(p) else 0.0


@writes("r.volunteer")
def volunteering(r, service: bool, posts: bool, u, rng: np.random.Generator) -> int:
    """Who volunteers this month (adults; none without the volunteer service); returns how
    many."""
    p = u.volunteer_rate * r.attitude
    if posts:  # without posts every factor is 1 (p unchanged)
        p *= np.where(r.party, u.volunteer_post_factor, 1.0)
    r.volunteer[:] = service & (r.age >= ADULT_AGE) & (rng.random(r.n) < p)
    return int(r.volunteer.sum())


@writes("r.mass_org_member")
def join_mass_organisations(r, founded_share: float, u, rng: np.random.Generator) -> int:
    """Residents who want them join the founded mass organisations; returns how many joined."""
    p = u.mass_org_join_rate * r.attitude * founded_share
    joining = r.wants_mass_orgs & ~r.mass_org_member & (r.age >= ADULT_AGE) & (rng.random(r.n) < p)
    r.mass_org_member |= joining
    return int(joining.sum())
