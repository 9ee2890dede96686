"""Organisational maturity: an index in [0, 1] from five sub-scores, and five levels.

* structure — share of the target organisations that exist: general branch, residents'
  committee, the four mass organisations, the new branches (§4);
* routine — meetings held in the last 12 months over the seed's norm (§1(3), §6), capped at 1;
* cadres — mean cadre competence (§2.3, §4);
* separation — separation of community and enterprise (社企分开, §2 problem 1): moves with
  time constant ``transition_months`` toward the share of {corporate cooperatives, independent
  property company, households paying their own fee, branches by building (so no village
  branch runs a cooperative)};
* democracy — ½·(leadership elected, approached with the same time constant) + ½·(share of
  due elections held on time; 0 before the residents' committee exists).

The index is the weighted mean (``maturity_weights``). Levels cut it at 0.2/0.4/0.6/0.8
(assumption): 1 village-like, 2 transitional, 3 developing, 4 consolidating, 5 mature urban.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from resettle.outcomes import SUBSCORES

LEVELS = ("village-like", "transitional", "developing", "consolidating", "mature urban")
LEVEL_CUTS = (0.2, 0.4, 0.6, 0.8)  # assumption: equal-width levels


def structure_score(general_branch: bool, committee: bool, mass_orgs: int, new_branches: int,
                    target_new_branches: int) -> float:
    """Share of the target organisations in place (mass organisations count one each)."""
    parts = [float(general_branch), float(committee), *([1.0] * mass_orgs),
             *([0.0] * (4 - mass_orgs)), min(1.0, new_branches / max(target_new_branches, 1))]
    return float(np.mean(parts))


def separation_target(levers) -> float:
    """Share of the four separation conditions the levers in force meet."""
    return float(np.mean([levers.cooperative_mode == "corporate",
                          levers.property_company != "community",
                          levers.property_fee_payer == "households",
                          levers.branch_basis == "building"]))


def approach(current: float, target: float, months: float) -> float:
    """One month of exponential approach toward ``target`` with time constant ``months``."""
    return current + (target - current) / months


def routine_score(held_12m: float, norm_12m: float) -> float:
    """Meetings held over the norm, capped at 1."""
    return min(1.0, held_12m / norm_12m) if norm_12m > 0 else 0.0


def democracy_score(elected_progress: float, due: int, on_time: int,
                    committee_exists: bool) -> float:
    """½ elected leadership + ½ elections on schedule."""
    if not committee_exists:
        return 0.5 * elected_progress
    return 0.5 * elected_progress + 0.5 * (on_time / due if due else 1.0)


def maturity_index(scores: dict[str, float], weights: tuple[float, ...]) -> float:
    """Weighted mean of the sub-scores."""
    w = np.asarray(weights, dtype=float)
    return float(np.dot(w, [scores[k] for k in SUBSCORES]) / w.sum())


def maturity_level(index: float) -> int:
    """Level 1..5 of an index in [0, 1]."""
    return 1 + int(np.searchsorted(LEVEL_CUTS, index, side="right"))


def subscores(model, meetings: Iterable[tuple[int, float]], separation: float, elected: float,
              quality: float) -> dict[str, float]:
    """The five sub-scores now, from the organisations present, the (held, norm) meetings of
    the last months, the separation and elected-leadership progress, and cadre quality."""
    committee, meetings = model.committee, list(meetings)
    others = sum(1 for b in model.branches if b.basis == "other")
    return {
        "structure": structure_score(model.general_branch is not None, committee is not None,
                                     len(model.mass_organisations), others,
                                     model.levers.new_branches),
        "routine": routine_score(sum(h for h, _ in meetings), sum(n for _, n in meetings)),
        "cadres": quality,
        "separation": separation,
        "democracy": democracy_score(elected, committee.elections_due if committee else 0,
                                     committee.elections_on_time if committee else 0,
                                     committee is not None),
    }
