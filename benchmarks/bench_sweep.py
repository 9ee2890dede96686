"""Benchmark of `resettle sweep`: throughput with 1 and 2 workers, and the driver's peak
memory as the number of runs grows (it should stay flat: results stream to shards).

    .venv/bin/python benchmarks/bench_sweep.py [--out benchmarks/results_sweep.json]

Each case runs in its own process, so ru_maxrss is that case's driver peak. Worker processes
are separate and not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = """[sweep]
name = "bench"
scenarios = ["{root}/scenarios/scheme1.toml", "{root}/scenarios/scheme2.toml"]
design = "latin_hypercube"
samples = {samples}
replications = 2
seed = 1
horizon_years = {years}
metrics = ["attitude", "fee_compliance", "employment", "maturity", "stability"]
[parameters.enforcement_probability]
range = [0.05, 0.6]
[parameters.training_capacity]
range = [0, 100]
integer = true
"""
CASES = ((400, 1, 3), (400, 2, 3), (1000, 2, 1), (3000, 2, 1), (10000, 2, 1))


def case(runs: int, workers: int, years: int) -> dict:
    """Run one sweep in this process; report time, throughput and peak driver memory."""
    from resettle.experiments.sweep.runner import sweep_file

    work = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    (work / "spec.toml").write_text(SPEC.format(root=ROOT, samples=runs // 4, years=years))
    start = time.perf_counter()
    outcome = sweep_file(work / "spec.toml", work / "out", workers=workers)
    seconds = time.perf_counter() - start
    return {"runs": outcome.runs, "workers": workers, "horizon_years": years,
            "seconds": round(seconds, 1), "runs_per_s": round(outcome.runs / seconds, 2),
            "driver_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                        / 1024, 1), "complete": outcome.complete}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--case", nargs=3, type=int, metavar=("RUNS", "WORKERS", "YEARS"))
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if args.case:
        print(json.dumps(case(*args.case)))
        return
    rows = []
    for runs, workers, years in CASES:
        out = subprocess.run([sys.executable, __file__, "--case", str(runs), str(workers),
                              str(years)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    result = {"date": time.strftime("%Y-%m-%d"), "machine": platform.platform(),
              "cpus": os.cpu_count(), "python": platform.python_version(), "cases": rows}
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
