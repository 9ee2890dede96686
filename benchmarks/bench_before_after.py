"""Before/after timing of one 15-year Dongyu run, for interleaving two versions of the code.

On a noisy machine only runs made within the same minute compare. Check the old version out
beside this one and alternate the two::

    git worktree add /tmp/base eca6351
    for i in 1 2 3 4 5 6; do
        .venv/bin/python benchmarks/bench_before_after.py after
        PYTHONPATH=/tmp/base/model .venv/bin/python benchmarks/bench_before_after.py before
    done

Each call warms up with one run (numba, caches), then prints its label, the set-up time and the
best of three ``CommunityModel(rng=7).run()`` times (seconds, ``time.perf_counter``).
"""

from __future__ import annotations

import gc
import sys
import time

import resettle


def best_of(repeats: int = 3) -> tuple[float, float]:
    """(set-up, run) seconds of the fastest of ``repeats`` runs."""
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        model = resettle.CommunityModel(rng=7)
        t1 = time.perf_counter()
        model.run()
        t2 = time.perf_counter()
        if t2 - t1 < best[1]:
            best = (t1 - t0, t2 - t1)
    return best


if __name__ == "__main__":
    resettle.CommunityModel(rng=0).run()  # warm-up
    setup, run = best_of()
    print(sys.argv[1] if len(sys.argv) > 1 else "run", f"{setup:.3f} {run:.3f}")
