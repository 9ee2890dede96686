"""Matters households raise (信访), where they go, and whether they are resolved; home visits.

A household with grievance raises a matter in a month (``stability.complaints``). Before the
residents' committee exists every matter goes through the village channel (the village branch
and its cooperative: "decisions still go through the village committees", §2 problem 5). Once
the committee exists, a household of attitude x takes its matter to the committee with
probability x (villager-minded households keep to their village), raised to
``x + (1 - x)·group_routing`` once residents' groups have replaced the villagers' committees
(§4); the others go to their village branch while branches are by village, else straight to
the community's reception of letters and visits (§6). Each channel resolves up to its capacity
in a random order: the committee ``cases_per_cadre_month`` per community cadre, the village
branches ``village_cases_per_branch_month`` each, the reception ``reception_cases_month``; the
committee's and the reception's capacity scale with the competence of the community's cadres.
Matters the committee or a branch could not resolve go on to the reception; what the reception
cannot resolve leaves the community (escalated to the sub-district). A resolved matter relieves
``resolution_relief`` of its household's grievance.

Home visits (§6) reach the households with the highest grievance first ("key, poor and
special households"), as many as the community's cadres (``visits_per_cadre_month`` each,
scaled by competence) and volunteers (``visits_per_volunteer_month``) can make; a visit relieves
``home_visit_relief`` of the household's grievance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resettle.sim.seeds import random_subset, slot_uniforms
from resettle.sim.submodels.contract import writes

COMMITTEE, VILLAGE, RECEPTION = 0, 1, 2  # channels


@dataclass(frozen=True)
class Channels:
    """Which channels exist and what each can resolve this month."""

    committee: float  # capacity, 0 without a residents' committee
    village: float  # capacity, 0 without village branches
    reception: float  # capacity, 0 without the reception
    committee_exists: bool
    village_exists: bool
    groups: bool  # residents' groups replace the villagers' committees


def route(raising: np.ndarray, attitude: np.ndarray, ch: Channels, group_routing: float,
          rng: np.random.Generator) -> np.ndarray:
    """The channel each raising household (indices) takes its matter to (one draw per
    household, made whether or not there is a committee to choose)."""
    u = slot_uniforms(rng, len(attitude), raising)
    other = VILLAGE if ch.village_exists else RECEPTION
    if not ch.committee_exists:
        return np.full(len(raising), other)
    x = attitude[raising]
    p_committee = x + (1.0 - x) * group_routing if ch.groups else x
    return np.where(u < p_committee, COMMITTEE, other)


def resolve(cases: np.ndarray, capacity: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Which of ``cases`` (households, of ``n``) a channel resolves: up to ``capacity``, in a
    random order."""
    return random_subset(rng, n, cases, min(len(cases), int(capacity)))


@dataclass(frozen=True)
class PetitionOutcome:
    """This month's matters, by household index: raised; taken to the committee; resolved by
    the committee, a village branch or the reception; escalated out of the community."""

    raised: np.ndarray
    via_committee: np.ndarray
    by_committee: np.ndarray
    by_village: np.ndarray
    by_reception: np.ndarray
    escalated: np.ndarray

    @property
    def resolved(self) -> np.ndarray:
        """Every matter resolved, by whichever channel."""
        return np.concatenate([self.by_committee, self.by_village, self.by_reception])

    @property
    def resolved_in_community(self) -> int:
        """Matters resolved by the residents' committee or the reception (not the villages)."""
        return len(self.by_committee) + len(self.by_reception)


def without(cases: np.ndarray, removed: np.ndarray, n: int) -> np.ndarray:
    """``cases`` (distinct indices below ``n``) less ``removed``, in ascending order."""
    keep = np.zeros(n, bool)
    keep[cases] = True
    keep[removed] = False
    return np.flatnonzero(keep)


@writes("grievance")
def handle(grievance: np.ndarray, raising: np.ndarray, attitude: np.ndarray, ch: Channels,
           relief: float, group_routing: float, rng: np.random.Generator) -> PetitionOutcome:
    """Route, resolve and relieve this month's matters. ``grievance`` is per household."""
    channel = route(raising, attitude, ch, group_routing, rng)
    via_committee = raising[channel == COMMITTEE]
    n = len(grievance)
    by_committee = resolve(via_committee, ch.committee, n, rng)
    by_village = resolve(raising[channel == VILLAGE], ch.village, n, rng)
    waiting = without(raising, np.concatenate([by_committee, by_village]), n)
    by_reception = resolve(waiting, ch.reception, n, rng)
    outcome = PetitionOutcome(raised=raising, via_committee=via_committee,
                              by_committee=by_committee, by_village=by_village,
                              by_reception=by_reception,
                              escalated=without(waiting, by_reception, n))
    grievance[outcome.resolved] *= 1.0 - relief
    return outcome


@writes("grievance")
def home_visits(grievance: np.ndarray, capacity: float, relief: float) -> int:
    """Visit the ``capacity`` households with the highest grievance (those with any); returns
    how many were visited."""
    k = min(int(capacity), int((grievance > 0).sum()))
    if k <= 0:
        return 0
    visited = np.argpartition(-grievance, k - 1)[:k]
    grievance[visited] *= 1.0 - relief
    return k
