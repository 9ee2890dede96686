"""The rule of ``--precision H`` (``resettle compare`` and ``resettle decide``): replications in
rounds until every reported 95% CI half-width is at most H, from a least N up to a most N.

The stopping rule is that of a fixed-width sequential interval (Chow & Robbins 1965): stop at
the first round whose widest half-width is at most the target. Its coverage is the nominal 95%
as the target goes to 0 and can be a little lower for wide targets. Each round's N is the
normal-approximation N the widest interval needs (its width falling as 1/sqrt(N)), more than
the last N, at most ``MAX_GROWTH`` times it and at most the most N. Seeds are spawned by index,
so the first N replications of a later round are those of the earlier rounds and the result
at the N where the rounds stop is that of a plain run with that N. The commands say what
their half-widths are: all describe Monte-Carlo (replication) noise only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from resettle.errors import ScenarioError

MAX_GROWTH = 4  # assumption: a round at most quadruples N (the needed N is a noisy estimate)


def check_precision(target: float, least: int, most: int) -> None:
    """Refuse a target or bounds that cannot work, in one line naming the option."""
    if not target > 0 or not math.isfinite(target):
        raise ScenarioError(f"--precision {target}: give a half-width > 0, e.g. 0.01")
    if least < 2:
        raise ScenarioError(f"--min-reps {least}: at least 2 replications are needed")
    if most < least:
        raise ScenarioError(f"--max-reps {most}: must be at least --min-reps ({least})")


def next_reps(n: int, widest: float, target: float, most: int) -> int:
    """The next round's N: what the widest interval needs if its width falls as 1/sqrt(N),
    more than ``n``, at most MAX_GROWTH times ``n`` and at most ``most``."""
    needed = math.ceil(n * (widest / target) ** 2)
    return min(most, MAX_GROWTH * n, max(needed, n + 1))


def next_round(rounds: Sequence[tuple[int, float]], target: float, least: int,
               most: int) -> int | None:
    """The N of the round after ``rounds`` (each (N, widest half-width), in order): ``least``
    first; None once a round met the target or ran ``most`` (the rounds are over)."""
    if not rounds:
        return least
    n, widest = rounds[-1]
    if widest <= target or n >= most:
        return None
    return next_reps(n, widest, target, most)


def reached(rounds: Sequence[tuple[int, float]], target: float) -> bool:
    """Whether the last round met the target."""
    return bool(rounds) and rounds[-1][1] <= target


def round_message(rounds: Sequence[tuple[int, float]], target: float, least: int,
                  most: int) -> str:
    """One line on the last of ``rounds`` for the terminal: its N, its widest half-width
    against the target, and what comes next."""
    n, widest = rounds[-1]
    after = next_round(rounds, target, least, most)
    if after is not None:
        outcome = f"next round N = {after}"
    else:
        outcome = "target reached" if widest <= target else f"not reached at --max-reps {most}"
    return (f"precision round {len(rounds)}: N = {n}, widest 95% half-width {widest:.4g} "
            f"(target {target:g}; Monte-Carlo noise only): {outcome}")
