"""Docking: do two implementations of the model give the same distributions of outcomes?

Runs ``resettle compare`` of Scheme 1 and Scheme 2 with N replications (seeds spawned from
``--seed``) in a reference tree (another checkout, e.g. ``git worktree add /tmp/ref <commit>``,
run with its own ``model/`` on ``PYTHONPATH``) and in this tree, then for every headline metric
at years 1, 5 and 15 and each scheme compares the two samples of N run values:

* means and standard deviations;
* Welch's two-sample t-test and the two-sample Kolmogorov–Smirnov test (p-values, with Holm's
  adjustment over all the comparisons made);
* the power of the t-test to detect a difference of ``--delta`` (default 0.01) at α = 0.05,
  and the smallest difference it detects with 80% power.

The two implementations' draws differ (that is why they are docked, not compared bit for bit).
Where they share most draws (a change to one process's draws leaves the others' alone), runs
with the same seed are correlated and the tests, which assume independent samples, would be
conservative: give ``--new-seed`` another root seed so that the two samples are independent.
Writes a JSON file and prints a Markdown table.

    git worktree add /tmp/ref 38e49aa
    .venv/bin/python benchmarks/docking.py --reference /tmp/ref --reps 100 --new-seed 8 \\
        --out benchmarks/docking.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
YEARS = (1, 5, 15)
ALPHA = 0.05
POWER = 0.8


def compare_in(tree: Path, reps: int, seed: int, workers: int, out: Path) -> pd.DataFrame:
    """The monthly table of ``resettle compare scheme1 scheme2`` run with ``tree``'s model."""
    env = {**os.environ, "PYTHONPATH": str(tree / "model")}
    scenarios = [str(ROOT / "scenarios" / f"scheme{i}.toml") for i in (1, 2)]
    subprocess.run([sys.executable, "-m", "resettle.cli", "compare", *scenarios, "--reps",
                    str(reps), "--seed", str(seed), "--workers", str(workers), "--out",
                    str(out), "--quiet"], env=env, check=True, cwd=ROOT)
    return pd.read_parquet(out / "monthly.parquet")


def power_t(sd_a: float, sd_b: float, n_a: int, n_b: int, delta: float) -> float:
    """Power of a two-sided Welch t-test (normal approximation) to detect ``delta``."""
    se = np.hypot(sd_a / np.sqrt(n_a), sd_b / np.sqrt(n_b))
    if se == 0:
        return 1.0
    z = stats.norm.ppf(1 - ALPHA / 2)
    shift = delta / se
    return float(stats.norm.sf(z - shift) + stats.norm.cdf(-z - shift))


def detectable(sd_a: float, sd_b: float, n_a: int, n_b: int) -> float:
    """The smallest difference the t-test detects with power ``POWER`` at ``ALPHA``."""
    se = np.hypot(sd_a / np.sqrt(n_a), sd_b / np.sqrt(n_b))
    return float((stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(POWER)) * se)


def dock(ref: pd.DataFrame, new: pd.DataFrame, metrics: list[str], delta: float) -> pd.DataFrame:
    """One row per (scheme, metric, year): the two samples compared."""
    rows = []
    for scenario in ("scheme1", "scheme2"):
        for year in YEARS:
            a = ref[(ref.scenario == scenario) & (ref.month == 12 * year)]
            b = new[(new.scenario == scenario) & (new.month == 12 * year)]
            for metric in metrics:
                x, y = a[metric].dropna().to_numpy(), b[metric].dropna().to_numpy()
                sx, sy = float(np.std(x, ddof=1)), float(np.std(y, ddof=1))
                same = np.ptp(np.concatenate([x, y])) == 0
                rows.append({
                    "scenario": scenario, "metric": metric, "year": year, "n_ref": len(x),
                    "n_new": len(y), "mean_ref": float(x.mean()), "mean_new": float(y.mean()),
                    "sd_ref": sx, "sd_new": sy,
                    "t_p": 1.0 if same else float(stats.ttest_ind(x, y, equal_var=False).pvalue),
                    "ks_p": float(stats.ks_2samp(x, y).pvalue),
                    "power_at_delta": power_t(sx, sy, len(x), len(y), delta),
                    "detectable_80": detectable(sx, sy, len(x), len(y))})
    table = pd.DataFrame(rows)
    for test in ("t_p", "ks_p"):
        table[f"{test}_holm"] = holm(table[test].to_numpy())
    return table


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values."""
    order = np.argsort(p)
    adjusted = np.minimum(1.0, np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order]))
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return out


def markdown(table: pd.DataFrame, delta: float) -> str:
    """The table as Markdown."""
    head = (f"| scheme | metric | year | mean ref | mean new | sd ref | sd new | Welch p | KS p "
            f"| power at {delta} | detectable (80%) |\n|---|---|---:|---:|---:|---:|---:|---:|"
            "---:|---:|---:|\n")
    lines = [f"| {r.scenario} | {r.metric} | {r.year} | {r.mean_ref:.4f} | {r.mean_new:.4f} | "
             f"{r.sd_ref:.4f} | {r.sd_new:.4f} | {r.t_p:.3f} | {r.ks_p:.3f} | "
             f"{r.power_at_delta:.2f} | {r.detectable_80:.4f} |" for r in table.itertuples()]
    return head + "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", type=Path, help="the reference tree")
    ap.add_argument("--tables", type=Path, nargs=2, metavar=("REF", "NEW"),
                    help="dock two monthly.parquet files already made (instead of running)")
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--new-seed", type=int, help="this tree's root seed (default: --seed)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--delta", type=float, default=0.01)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    from resettle.outcomes import DEFAULT_METRICS

    if args.tables:
        ref, new = (pd.read_parquet(path) for path in args.tables)
    elif args.reference:
        with tempfile.TemporaryDirectory() as folder:
            ref = compare_in(args.reference, args.reps, args.seed, args.workers,
                             Path(folder) / "ref")
            new_seed = args.seed if args.new_seed is None else args.new_seed
            new = compare_in(ROOT, args.reps, new_seed, args.workers, Path(folder) / "new")
    else:
        ap.error("give --reference TREE or --tables REF NEW")
    table = dock(ref, new, list(DEFAULT_METRICS), args.delta)
    print(markdown(table, args.delta))
    worst = table[["t_p_holm", "ks_p_holm"]].min().min()
    print(f"\nsmallest Holm-adjusted p over {len(table)} comparisons x 2 tests: {worst:.3f}")
    if args.out:
        args.out.write_text(json.dumps({"reference": str(args.reference or args.tables[0]),
                                        "reps": args.reps,
                                        "seed": args.seed, "new_seed": args.new_seed,
                                        "delta": args.delta,
                                        "rows": table.to_dict("records")}, indent=1))


if __name__ == "__main__":
    main()
