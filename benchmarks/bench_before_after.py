"""Before/after timing of one 15-year Dongyu run, for interleaving two versions of the code.

On a noisy machine only runs made within the same minute compare. Check the old version out
beside this one and alternate the two::

    git worktree add /tmp/base eca6351
    for i in 1 2 3 4 5 6; do
        .venv/bin/python benchmarks/bench_before_after.py after
        PYTHONPATH=/tmp/base/model .venv/bin/python benchmarks/bench_before_after.py before
    done

Each call is ``bench_run.measure`` of the default community (a warm-up, then three timed
runs) and prints its label with the set-up and run seconds of the fastest run.
"""

from __future__ import annotations

import sys

from bench_run import measure

if __name__ == "__main__":
    m = measure("resettle", 4200, None, 3)
    best = min(range(len(m["run_s"])), key=m["run_s"].__getitem__)
    print(sys.argv[1] if len(sys.argv) > 1 else "run",
          f"{m['setup_s'][best]:.3f} {m['run_s'][best]:.3f}")
