"""Benchmark of `resettle compare`: N replications of two scenarios over 15 years.

    .venv/bin/python benchmarks/bench_compare.py [--reps 100] [--workers 1 2] [--out FILE]

Times the runs (process pool), the statistics and the report (tables, figures, Markdown and
HTML) separately, and the driver's imports in a fresh interpreter; checks that every worker
count gives the same table. Goals: issue 3, 100 replications x 2 scenarios under 30 s on 2
cores; issue 11, the whole compare under 8 s, simulating under 3 s. Results go to
benchmarks/RESULTS.md by hand, with the machine and date.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import resettle
from resettle.experiments.compare import analyse, run_comparison
from resettle.reports.compare import write_comparison

ROOT = Path(__file__).resolve().parents[1]


def one(workers: int, reps: int) -> tuple[dict, pd.DataFrame]:
    """Time one comparison of Scheme 1 and Scheme 2 with ``workers`` processes."""
    scenarios = [resettle.load_scenario(ROOT / "scenarios" / f"scheme{i}.toml") for i in (1, 2)]
    start = time.perf_counter()
    comp = run_comparison(scenarios, reps=reps, seed=0, workers=workers, progress=False)
    total = time.perf_counter() - start
    t0 = time.perf_counter()
    analyse(comp)
    stats_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        write_comparison(comp, Path(folder) / "report")
        report_s = time.perf_counter() - t0
    runs = 2 * reps
    return {"workers": workers, "reps": reps, "runs": runs, "total_s": round(total, 2),
            "statistics_s": round(stats_s, 2), "report_s": round(report_s, 2),
            "driver_imports_s": round(driver_imports(), 2),
            "runs_per_s": round(runs / (total - stats_s), 2),
            "load_after": os.getloadavg()[0]}, comp.monthly


def driver_imports() -> float:
    """Seconds a fresh interpreter takes to import what ``resettle compare`` imports before it
    starts its workers (the command line, the comparison and its report)."""
    code = ("import time; t = time.perf_counter(); import resettle.cli.commands, "
            "resettle.experiments.compare, resettle.reports.compare; "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return float(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rows, tables = [], []
    for workers in args.workers:
        row, table = one(workers, args.reps)
        rows.append(row)
        tables.append(table)
        print(row, flush=True)
    same = all(t.equals(tables[0]) for t in tables[1:])
    result = {"date": time.strftime("%Y-%m-%d"), "machine": platform.platform(),
              "cpus": os.cpu_count(), "python": platform.python_version(),
              "identical_tables": same, "cases": rows}
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
