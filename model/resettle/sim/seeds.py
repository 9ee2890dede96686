"""Seeds: one root seed, spawned per replication with numpy's SeedSequence (Python ints only)."""

from __future__ import annotations

import numpy as np


def as_seed(rng: object) -> int:
    """A Python int seed for Mesa: numpy ints converted, None replaced by fresh OS entropy."""
    if rng is None:
        return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1)
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise TypeError(f"rng must be an integer seed, got {type(rng).__name__}")
    return int(rng)


def replication_seeds(root: int, n: int) -> list[int]:
    """``n`` independent seeds from ``root``: SeedSequence(root).spawn(n), as Python ints.

    Replication i gets the same seed in every scenario (common random numbers).
    """
    children = np.random.SeedSequence(int(root)).spawn(n)
    return [int(c.generate_state(1, np.uint64)[0] >> 1) for c in children]
