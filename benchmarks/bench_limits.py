"""What bounds the speed of a run: random numbers drawn per resident-month, and what laying
replications end to end in one numpy program could gain (issue 11's design question).

Measures, on this machine:

* **draws**: the 64-bit random numbers each process's stream draws in one month (read from
  the Philox counters after the month; ``resettle.sim.seeds``), per resident, and the time
  numpy's Philox takes per double, hence the time a run spends generating them at least;
* **where a month's time goes**: each process of ``MonthlyProcesses.run`` (and the monthly
  table's row), from cProfile's record of its calls from ``run`` (so the list follows the
  code), in µs per month (under the profiler, which inflates small calls);
* **batching headroom**: the model's cost per resident-month at 4,200 residents (Dongyu, one
  replication) and at ``--batch`` × 4,200 residents in one model (the array sizes a batch of
  that many replications laid end to end would have). The second can be no more than the
  first divided by the gain a batch of replications as one numpy array program could bring
  on this machine, since the per-replication parts of a batch can only add work.

    .venv/bin/python benchmarks/bench_limits.py                 # about 2 minutes
    .venv/bin/python benchmarks/bench_limits.py --months 24 --repeats 3 --batch 10 \\
        --out benchmarks/results_limits.json
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_run import overrides  # noqa: E402  (the benchmarks' one rule for scaling a community)

DRAW_MONTH = 25  # a month after the start-up year, when every process is under way
PHILOX_SAMPLE = 5_000_000  # doubles timed for the generator's speed


def draws_in_month(scenario: str, seed: int) -> dict:
    """64-bit draws per stream in month DRAW_MONTH of one run (from the Philox counters: each
    counter step is a block of four), and the social-influence rounds' counter-based draws
    (since 2026-12-02: one Philox4x32 block of four 32-bit words per resident and round,
    counted as two 64-bit draws)."""
    import resettle
    from resettle.params.scenario import load_scenario

    model = resettle.CommunityModel(load_scenario(scenario), rng=seed)
    model.run(DRAW_MONTH)
    streams = model.streams
    used = {}
    for name in streams.names():
        state = streams[name].bit_generator.state if streams._month_of[name] == DRAW_MONTH \
            else None
        if state is not None:
            used[name] = int(state["state"]["counter"][0]) * 4 - (4 - state["buffer_pos"])
    if hasattr(streams, "counter_key"):  # the influence rounds draw from a counter-based key
        rounds = model.params.uncertainties.contacts_per_month
        used["influence (counter-based)"] = 2 * rounds * model.people.n
    return {"residents": model.people.n, "by_stream": dict(sorted(used.items(),
                                                                  key=lambda kv: -kv[1]))}


def philox_ns_per_double() -> float:
    """Best of three: numpy's Philox generating doubles, nanoseconds each."""
    import numpy as np

    gen = np.random.Generator(np.random.Philox(0))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        gen.random(PHILOX_SAMPLE)
        best = min(best, time.perf_counter() - start)
    return best / PHILOX_SAMPLE * 1e9


def process_costs(scenario: str, seed: int, months: int) -> dict[str, float]:
    """µs per month of each callee of ``MonthlyProcesses.run`` and of ``CommunityModel._record``
    over ``months`` months, under cProfile, largest first."""
    import resettle
    from resettle.params.scenario import load_scenario

    model = resettle.CommunityModel(load_scenario(scenario), rng=seed)
    profile = cProfile.Profile()
    profile.runcall(model.run, months)
    stats = pstats.Stats(profile).stats
    costs = {}
    for (file, _, name), (_, _, _, _, callers) in stats.items():
        for (caller_file, _, caller), timing in callers.items():
            if (caller_file.endswith("sim/schedule.py") and caller == "run") or \
                    (caller_file.endswith("sim/model.py") and caller == "_record"):
                costs[f"{Path(file).stem}.{name}"] = timing[3] / months * 1e6
    return dict(sorted(costs.items(), key=lambda kv: -kv[1]))


def cost_per_resident_month(residents: int, months: int, repeats: int) -> float:
    """Best wall-clock microseconds per resident-month of ``months`` months (set-up apart)."""
    import resettle

    best = float("inf")
    for seed in range(repeats + 1):  # the first is a warm-up (numba's cache, imports)
        model = resettle.CommunityModel(rng=seed, **overrides(residents))
        start = time.perf_counter()
        model.run(months)
        if seed:
            best = min(best, time.perf_counter() - start)
    return best / (residents * months) * 1e6


def measure(args: argparse.Namespace) -> dict:
    """Every measurement of the module docstring."""
    from resettle.params.scenario import Scenario

    base = Scenario().community.residents
    draws = draws_in_month(args.scenario, args.seed)
    per_resident = sum(draws["by_stream"].values()) / draws["residents"]
    ns = philox_ns_per_double()
    costs = process_costs(args.scenario, args.seed, args.months)
    single = cost_per_resident_month(base, args.months, args.repeats)
    batched = cost_per_resident_month(base * args.batch, args.months, args.repeats)
    return {"date": date.today().isoformat(), "machine": platform.processor() or
            platform.machine(), "python": platform.python_version(),
            "scenario": Path(args.scenario).name,
            "draws": draws, "draws_per_resident_month": per_resident,
            "philox_ns_per_double": ns, "process_us_per_month": costs,
            "draw_floor_ns_per_resident_month": per_resident * ns,
            "us_per_resident_month": {str(base): single, str(base * args.batch): batched},
            "batching_headroom": single / batched, "batch": args.batch,
            "months": args.months, "repeats": args.repeats}


def report(result: dict) -> str:
    """The measurements as Markdown."""
    top = list(result["draws"]["by_stream"].items())[:8]
    lines = [f"Draws in month {DRAW_MONTH} ({Path(result['scenario']).name}): "
             f"{result['draws_per_resident_month']:.1f} 64-bit numbers per resident-month; "
             f"numpy's Philox takes {result['philox_ns_per_double']:.1f} ns per double, so "
             f"generating them costs at least {result['draw_floor_ns_per_resident_month']:.0f} "
             "ns per resident-month.", "", "| stream | draws in the month |", "|---|---:|"]
    lines += [f"| {name} | {n:,} |" for name, n in top]
    lines += ["", "| process (callee of MonthlyProcesses.run or _record) | µs per month |",
              "|---|---:|"]
    lines += [f"| {name} | {us:,.0f} |" for name, us in result["process_us_per_month"].items()
              if us >= 1]
    costs = result["us_per_resident_month"]
    lines += ["", "| residents in one model | µs per resident-month (best) |", "|---:|---:|"]
    lines += [f"| {int(k):,} | {v:.3f} |" for k, v in costs.items()]
    lines += ["", f"A batch of {result['batch']} replications laid end to end could gain at "
              f"most {result['batching_headroom']:.2f}× on this machine."]
    return "\n".join(lines)


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(HERE.parent / "scenarios" / "scheme1.toml"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--out", type=Path, help="write the measurements as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Measure, print Markdown, optionally write JSON."""
    args = parse(argv)
    result = measure(args)
    print(report(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
