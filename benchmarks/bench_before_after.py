"""Before/after timing of one 15-year Dongyu run, for interleaving two versions of the code.

On a noisy machine only runs made within the same minute compare. Check the old version out
beside this one and alternate the two::

    git worktree add /tmp/base eca6351
    for i in 1 2 3 4 5 6; do
        .venv/bin/python benchmarks/bench_before_after.py after
        PYTHONPATH=/tmp/base/model .venv/bin/python benchmarks/bench_before_after.py before
    done

Each call is ``bench_run.measure`` of the default community (a warm-up, then three timed
runs) and prints its label with the set-up and run seconds of the fastest run, wall clock and
CPU. ``--set NAME=VALUE`` changes a parameter, e.g. ``--set contacts_per_month=30`` for the
influence rounds of a typical sampled world (``scenarios/worlds``: uniform on [0, 60]).
"""

from __future__ import annotations

import argparse
import json

from bench_run import measure

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("label", nargs="?", default="run")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    extra = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    m = measure("resettle", 4200, None, 3, extra)
    best = min(range(len(m["run_s"])), key=m["run_s"].__getitem__)
    print(args.label, f"{m['setup_s'][best]:.3f} {m['run_s'][best]:.3f}",
          f"cpu {min(m['run_cpu_s']):.3f}")
