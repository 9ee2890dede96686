"""Speed benchmark: resettle's vectorised model against a plain per-agent Mesa version.

Measures, each case in a fresh process (so peak memory is per case):

* resettle, one full run (15 years = 180 months) at each size (default 4,200 residents =
  Dongyu with the built-in defaults; 42,000 and 420,000 by overrides), set-up (building the
  model) and run (``model.run()``) timed separately;
* the plain Mesa version (``benchmarks/plain_mesa.py``) at 4,200 residents for a shorter
  horizon (``--plain-months``);

then prints a Markdown table: seconds (best and median of the repeats, after a warm-up;
wall clock by ``time.perf_counter`` and CPU time by ``time.process_time``), resident-months
per second, microseconds per resident-month, peak resident memory (ru_maxrss of the case's
process; the interpreter with its imports is reported separately), whether the cost per
resident-month stays flat across sizes, and the speed ratio resettle / plain.

    .venv/bin/python benchmarks/bench_run.py                      # full (about 2 minutes)
    .venv/bin/python benchmarks/bench_run.py --quick              # smoke check (< 1 minute)
    .venv/bin/python benchmarks/bench_run.py --sizes 4200 42000 --repeats 5 \\
        --out benchmarks/results.json --profile
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (4200, 42000, 420000)
BIG = 200_000  # sizes from here on get ``--big-repeats`` repeats
RESIDENTS_PER_HOUSEHOLD = 2.4


# ---- one case, run in its own process ----------------------------------------------------
def overrides(residents: int) -> dict:
    """Size overrides: households ~ residents / 2.4; temporary residents and party members
    scale with the community; the default size gives no overrides (the Dongyu defaults)."""
    import resettle

    c = resettle.Scenario().community
    if residents == c.residents:
        return {}
    f = residents / c.residents
    return {"residents": residents,
            "households": round(residents / RESIDENTS_PER_HOUSEHOLD),
            "temporary_residents": round(c.temporary_residents * f),
            "party_members": round(c.party_members * f)}


def build(kind: str, residents: int, seed: int, extra: dict | None = None):
    """A fresh model of ``kind`` ('resettle' or 'plain'); ``extra``: more parameter values
    (resettle only)."""
    if kind == "resettle":
        import resettle

        return resettle.CommunityModel(rng=seed, **overrides(residents), **(extra or {}))
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    from plain_mesa import PlainCommunity

    return PlainCommunity(rng=seed, **overrides(residents))


def maxrss_mb() -> float:
    """Peak resident set size of this process so far, MB (ru_maxrss is KiB on Linux)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024.0 if sys.platform != "darwin" else rss / 2**20


def measure(kind: str, residents: int, months: int | None, repeats: int,
            extra: dict | None = None) -> dict:
    """Warm up on a small model, then time set-up and run ``repeats`` times (``months``
    None: resettle's full horizon; ``extra``: parameter values, as ``build``), by the wall
    clock (``time.perf_counter``) and by this process's CPU time (``time.process_time``).
    Memory: ru_maxrss after the imports, and at the end."""
    import mesa  # noqa: F401  (imports first, so that base_mb is interpreter + imports)
    import pandas  # noqa: F401

    import resettle  # noqa: F401

    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import plain_mesa  # noqa: F401

    base_mb = maxrss_mb()
    load = os.getloadavg()[0]
    warm = build(kind, min(residents, 4200), 0, extra)
    warm.run(3)
    del warm
    gc.collect()
    times: dict[str, list[float]] = {k: [] for k in ("setup_s", "run_s", "setup_cpu_s",
                                                     "run_cpu_s")}
    for i in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        model = build(kind, residents, i + 1, extra)
        t1, c1 = time.perf_counter(), time.process_time()
        model.run(months)
        t2, c2 = time.perf_counter(), time.process_time()
        times["setup_s"].append(t1 - t0)
        times["run_s"].append(t2 - t1)
        times["setup_cpu_s"].append(c1 - c0)
        times["run_cpu_s"].append(c2 - c1)
        horizon = model.steps
        del model
        gc.collect()
    return {"model": kind, "residents": residents, "months": horizon, "repeats": repeats,
            **times, "base_rss_mb": base_mb, "peak_rss_mb": maxrss_mb(),
            "load_before": load, "load_after": os.getloadavg()[0]}


def in_fresh_process(*args) -> dict:
    """``measure(*args)`` in a new interpreter (spawn), so ru_maxrss is this case's alone."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(measure, *args).result()


# ---- summaries -----------------------------------------------------------------------------
def summarise(case: dict) -> dict:
    """Best and median times, throughput and cost per resident-month (wall and CPU)."""
    rm = case["residents"] * case["months"]
    out = {**case, "resident_months": rm,
           "total_best_s": min(a + b for a, b in zip(case["setup_s"], case["run_s"],
                                                     strict=True)),
           "model_rss_mb": case["peak_rss_mb"] - case["base_rss_mb"]}
    for key in ("setup_s", "run_s", "setup_cpu_s", "run_cpu_s"):
        stem = key.removesuffix("_s")
        out[f"{stem}_best_s"] = min(case[key])
        out[f"{stem}_median_s"] = statistics.median(case[key])
    for clock, stem in (("wall", "run"), ("cpu", "run_cpu")):
        out[f"rm_per_s_{clock}_best"] = rm / out[f"{stem}_best_s"]
        out[f"rm_per_s_{clock}_median"] = rm / out[f"{stem}_median_s"]
        out[f"us_per_rm_{clock}_best"] = 1e6 * out[f"{stem}_best_s"] / rm
    return out


def scaling(rows: list[dict]) -> dict:
    """Does the cost per resident-month of resettle's run stay flat across sizes? Flat: the
    most expensive size costs at most 1.5 times the cheapest (by best-run CPU time)."""
    own = sorted((r for r in rows if r["model"] == "resettle"), key=lambda r: r["residents"])
    if len(own) < 2:
        return {}
    out: dict = {}
    for clock in ("wall", "cpu"):
        cost = {r["residents"]: r[f"us_per_rm_{clock}_best"] for r in own}
        out[clock] = {"us_per_resident_month": cost,
                      "max_over_min": max(cost.values()) / min(cost.values())}
    out["flat"] = out["cpu"]["max_over_min"] <= 1.5
    return out


def speed_ratio(rows: list[dict]) -> dict | None:
    """resettle / plain: resident-months per second of the run, both at the plain size, best
    run against best run and median against median, by wall clock and by CPU time."""
    plain = [r for r in rows if r["model"] == "plain"]
    if not plain:
        return None
    own = [r for r in rows if r["model"] == "resettle" and r["residents"] == plain[0]["residents"]]
    if not own:
        return None
    return {f"{clock}_{stat}": own[0][f"rm_per_s_{clock}_{stat}"]
            / plain[0][f"rm_per_s_{clock}_{stat}"]
            for clock in ("wall", "cpu") for stat in ("best", "median")}


def table(rows: list[dict]) -> str:
    """The Markdown table of all cases."""
    head = ("| model | residents | months | repeats | set-up s best / median | "
            "run s best / median | run CPU s best | set-up + run s best | "
            "resident-months/s best run (wall / CPU) | µs per resident-month (wall / CPU) | "
            "peak RSS MB (after imports) | load avg |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['residents']:,} | {r['months']} | {r['repeats']} | "
            f"{r['setup_best_s']:.3f} / {r['setup_median_s']:.3f} | "
            f"{r['run_best_s']:.3f} / {r['run_median_s']:.3f} | {r['run_cpu_best_s']:.3f} | "
            f"{r['total_best_s']:.3f} | "
            f"{r['rm_per_s_wall_best']:,.0f} / {r['rm_per_s_cpu_best']:,.0f} | "
            f"{r['us_per_rm_wall_best']:.2f} / {r['us_per_rm_cpu_best']:.2f} | "
            f"{r['peak_rss_mb']:,.0f} ({r['base_rss_mb']:,.0f}) | "
            f"{r['load_before']:.1f}-{r['load_after']:.1f} |")
    return "\n".join(lines)


# ---- profile -------------------------------------------------------------------------------
def profile_run(top: int = 10) -> dict:
    """cProfile of one full default resettle run (set-up excluded). Top ``top`` resettle
    functions by cumulative time, leaving out the driver chain (model.run -> step ->
    MonthlyProcesses.run, each >= 80% of the total), and top ``top`` of all functions
    (numpy's included) by own time."""
    import resettle

    model = resettle.CommunityModel(rng=1)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    model.run()
    prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof, stream=io.StringIO()).stats  # type: ignore[attr-defined]
    total = max(ct for _, _, _, ct, _ in stats.values())
    rows = [{"function": f"{Path(file).name}:{line}({name})", "calls": nc,
             "tottime_s": tt, "cumtime_s": ct, "in_resettle": "/resettle/" in file}
            for (file, line, name), (_, nc, tt, ct, _) in stats.items()]
    cumulative = sorted((r for r in rows if r["in_resettle"] and r["cumtime_s"] < 0.8 * total),
                        key=lambda r: -r["cumtime_s"])[:top]
    own = sorted(rows, key=lambda r: -r["tottime_s"])[:top]
    return {"wall_s": wall, "profiled_total_s": total, "cumulative": cumulative, "tottime": own}


def profile_text(prof: dict) -> str:
    """The two top-10 lists as Markdown tables."""
    total = prof["profiled_total_s"]
    out = [f"cProfile of one default resettle run: {total:.2f} s profiled "
           f"({prof['wall_s']:.2f} s wall with the profiler on)"]
    for key, col, title in (("cumulative", "cumtime_s", "resettle functions by cumulative time"),
                            ("tottime", "tottime_s", "all functions by own (total) time")):
        out += [f"\nTop {len(prof[key])} {title}:\n",
                "| function | calls | own s | cumulative s | % of run |",
                "|---|---:|---:|---:|---:|"]
        for r in prof[key]:
            out.append(f"| `{r['function']}` | {r['calls']} | {r['tottime_s']:.3f} | "
                       f"{r['cumtime_s']:.3f} | {100 * r[col] / total:.1f} |")
    return "\n".join(out)


# ---- driver --------------------------------------------------------------------------------
def source_state() -> dict:
    """Which resettle source was measured: git HEAD (read only) and a hash of model/*.py, so
    a run can tell whether the model changed under it (others may be editing it)."""
    root = HERE.parent
    digest = hashlib.sha1()
    for path in sorted((root / "model").rglob("*.py")):
        digest.update(path.read_bytes())
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "model"],
                               capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        head, dirty = "?", ""
    return {"git_head": head or "?", "model_uncommitted_changes": bool(dirty),
            "model_sha1": digest.hexdigest()[:12]}


def environment() -> dict:
    """Python, packages and machine."""
    versions = {}
    for pkg in ("resettle", "mesa", "numpy", "scipy", "pandas"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "?"
    return {"date": date.today().isoformat(), "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.processor(),
            "cpus": os.cpu_count(), "load_average_1_5_15": os.getloadavg(),
            "packages": versions, "source": source_state()}


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke check: 4,200 residents only, 2 repeats, 6 plain months")
    ap.add_argument("--sizes", type=int, nargs="+", default=None,
                    help=f"resettle sizes in residents (default {DEFAULT_SIZES})")
    ap.add_argument("--repeats", type=int, default=None,
                    help="timed repeats per size below 200,000 residents (default 5)")
    ap.add_argument("--big-repeats", type=int, default=1,
                    help="timed repeats for sizes of 200,000 residents or more (default 1)")
    ap.add_argument("--plain-months", type=int, default=None,
                    help="horizon of the plain Mesa runs (default 24)")
    ap.add_argument("--plain-repeats", type=int, default=None, help="default 3")
    ap.add_argument("--plain-size", type=int, default=4200)
    ap.add_argument("--no-plain", action="store_true", help="skip the plain Mesa version")
    ap.add_argument("--profile", action="store_true",
                    help="also cProfile one default resettle run and print the top 10")
    ap.add_argument("--out", type=Path, default=None, help="write all results as JSON here")
    args = ap.parse_args(argv)
    quick = args.quick
    args.sizes = args.sizes or ([4200] if quick else list(DEFAULT_SIZES))
    args.repeats = args.repeats or (2 if quick else 5)
    args.plain_months = args.plain_months or (6 if quick else 24)
    args.plain_repeats = args.plain_repeats or (2 if quick else 3)
    return args


def cases(args: argparse.Namespace) -> list[tuple]:
    """(kind, residents, months, repeats) of every case, in order."""
    out = [("resettle", n, None, args.big_repeats if n >= BIG else args.repeats)
           for n in sorted(args.sizes)]
    if not args.no_plain:
        # right after resettle at the same size, so both see the machine in a similar state
        at = next((k + 1 for k, c in enumerate(out) if c[1] == args.plain_size), len(out))
        out.insert(at, ("plain", args.plain_size, args.plain_months, args.plain_repeats))
    return out


def main(argv: list[str] | None = None) -> dict:
    """Run the cases, print the table, optionally write JSON."""
    args = parse(argv)
    env = environment()
    rows = []
    for case in cases(args):
        print(f"... {case[0]} at {case[1]:,} residents, {case[3]} repeat(s)", file=sys.stderr,
              flush=True)
        rows.append(summarise(in_fresh_process(*case)))
    env["load_average_after"] = os.getloadavg()
    env["source_after"] = source_state()
    if env["source_after"]["model_sha1"] != env["source"]["model_sha1"]:
        print("WARNING: model/ changed while the benchmark ran; rerun for consistent numbers",
              file=sys.stderr)
    result = {"environment": env, "command": " ".join(sys.argv), "cases": rows,
              "scaling": scaling(rows), "speed_ratio_resettle_over_plain": speed_ratio(rows)}
    print(table(rows))
    report(result)
    if args.profile:
        result["profile"] = profile_run()
        print("\n" + profile_text(result["profile"]))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return result


def report(result: dict) -> None:
    """Scaling and speed-ratio lines under the table."""
    sc, ratio = result["scaling"], result["speed_ratio_resettle_over_plain"]
    if sc:
        for clock in ("wall", "cpu"):
            costs = ", ".join(f"{n:,}: {c:.2f}"
                              for n, c in sc[clock]["us_per_resident_month"].items())
            print(f"\nresettle µs per resident-month ({clock}) by size: {costs}; max/min "
                  f"{sc[clock]['max_over_min']:.2f}", end="")
        verdict = "flat (linear scaling)" if sc["flat"] else "NOT flat"
        print(f"\n-> by CPU time: {verdict}")
    if ratio is not None:
        goal = "meets" if ratio["cpu_best"] >= 20 else "misses"
        print(f"speed ratio resettle / plain Mesa (resident-months/s of the run): wall "
              f"{ratio['wall_best']:.1f}x best/best, {ratio['wall_median']:.1f}x median/median; "
              f"CPU {ratio['cpu_best']:.1f}x best/best, {ratio['cpu_median']:.1f}x "
              f"median/median ({goal} the 20x goal by CPU best/best)")


if __name__ == "__main__":
    main()
