"""Seeds: one root seed, spawned per replication with numpy's SeedSequence (Python ints only);
within a run, one independent random stream per process.

A process's stream is ``SeedSequence(seed, spawn_key=(crc32(name),))``: it depends only on the
run's seed and the process's name. Changing what one process draws (a lever that makes it
draw more or fewer numbers) leaves every other process's draws unchanged, so two scenarios
run with one seed stay paired draw by draw (common random numbers), and a process added later
changes no existing stream.
"""

from __future__ import annotations

import zlib

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


def stream_key(name: str) -> int:
    """The stable number of a process's stream (CRC-32 of its name)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """A run's random streams by process name (``streams["demography.deaths"]``), each made on
    first use from the run's seed and kept for the run."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._made: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._made:
            sequence = np.random.SeedSequence(self.seed, spawn_key=(stream_key(name),))
            self._made[name] = np.random.default_rng(sequence)
        return self._made[name]

    def names(self) -> list[str]:
        """The streams used so far."""
        return sorted(self._made)

    def states(self) -> dict[str, dict]:
        """Each stream's generator state (to check that nothing drew from it)."""
        return {name: g.bit_generator.state for name, g in sorted(self._made.items())}
