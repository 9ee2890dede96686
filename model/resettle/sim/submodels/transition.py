"""Step by step: how far the switch's fee and branch levers have phased in.

A reform changes the levers at once, except that a switch may phase in over ``phase_months``
("pilot first, step by step, steady advance", §4): the collectives' share of the property fee
falls from where it was to where the new levers put it, in equal monthly steps, and the branches
by building are formed area by area. The phase advances only in months in which no more than
``stall_complaint_share`` of households complained the month before: a reform that outruns
residents' readiness stalls.

The levers' own values are the phase's targets: ``collective_share`` is 1 when the collectives
pay the fee (Scheme 1) and 0 when households do; the areas are ``building_areas`` when
branches are by building, else 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Phase:
    """Where a phase-in started, how long it takes, and how far it has come (months)."""

    start_share: float
    start_areas: int
    months: int
    progress: int = 0

    @property
    def done(self) -> bool:
        """Whether the phase-in is complete."""
        return self.progress >= self.months


def targets(levers) -> tuple[float, int]:
    """(collectives' share of the property fee, building areas with a branch) the levers ask."""
    share = 1.0 if levers.property_fee_payer == "collective" else 0.0
    areas = levers.building_areas if levers.branch_basis == "building" else 0
    return share, areas


def in_force(levers, phase: Phase | None) -> tuple[float, int]:
    """The share and areas in force now: the targets, or part of the way during a phase-in."""
    share, areas = targets(levers)
    if phase is None or phase.done:
        return share, areas
    f = phase.progress / phase.months
    return (phase.start_share + (share - phase.start_share) * f,
            phase.start_areas + math.floor((areas - phase.start_areas) * f))


def advance(phase: Phase | None, complaint_share: float, stall_share: float) -> Phase | None:
    """One month on: the phase advances unless last month's complaints stalled it."""
    if phase is None or phase.done or complaint_share > stall_share:
        return phase
    return Phase(phase.start_share, phase.start_areas, phase.months, phase.progress + 1)
