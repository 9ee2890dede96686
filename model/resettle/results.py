"""``resettle run``'s results directory: tables, snapshot, manifest and figure."""

from __future__ import annotations

import time
from pathlib import Path

from resettle.catalogue import as_flat_dict
from resettle.errors import ScenarioError
from resettle.outputs import git_commit, now, versions, write_atomically, write_json
from resettle.plotting import headline_figure
from resettle.runner import RunResult, run_scenarios
from resettle.scenario import Scenario, load_scenario


def load_for_run(paths: list[Path], years: int | None) -> list[Scenario]:
    """Load scenario files, apply ``--years``, refuse duplicate names."""
    scenarios = []
    for path in paths:
        scenario = load_scenario(path)
        if years is not None:
            try:
                scenario = scenario.replace(horizon_years=years)
            except ScenarioError as err:
                raise ScenarioError(f"{path}: --years {years}: {err}") from None
        scenarios.append(scenario)
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(f"scenario names must differ, got {names}")
    return scenarios


def write_table(frame, path: Path, fmt: str) -> str:
    """Write a table as Parquet or CSV; returns the file name."""
    target = path.with_suffix(f".{fmt}")
    if fmt == "csv":
        frame.to_csv(target, index=False)
    else:
        frame.to_parquet(target, index=False)
    return target.name


def manifest(scenarios: list[Scenario], reps: int, root_seed: int, result: RunResult,
             seconds: float, argv: list[str] | None) -> dict:
    """What a run came from: scenarios (files and every value), seeds, versions, timing."""
    return {
        "created": now(), "command": argv, "root_seed": root_seed, "replications": reps,
        "seeds": result.seeds,
        "seeding": "numpy.random.SeedSequence(root_seed).spawn(replications); replication i "
                   "uses seeds[i] in every scenario (common random numbers)",
        "scenarios": [{"name": s.name, "description": s.description, "files": list(s.files),
                       "horizon_years": s.horizon_years, "switch_year": s.switch_year,
                       "parameters": as_flat_dict(s),
                       "switch_levers": s.to_dict()["switch_levers"]} for s in scenarios],
        "versions": versions(), "git_commit": git_commit(), "seconds": round(seconds, 2),
    }


def write_run(scenarios: list[Scenario], reps: int, root_seed: int, out: Path, fmt: str,
              force: bool, progress: bool = True, argv: list[str] | None = None) -> Path:
    """Run everything, then write the directory atomically."""
    from resettle.outputs import check_destination

    check_destination(out, force)
    start = time.perf_counter()
    result = run_scenarios(scenarios, reps, root_seed, progress=progress)
    info = manifest(scenarios, reps, root_seed, result, time.perf_counter() - start, argv)

    def fill(tmp: Path) -> None:
        info["files"] = [write_table(result.monthly, tmp / "monthly", fmt),
                         write_table(result.agents, tmp / "agents", fmt),
                         write_table(result.organisations, tmp / "organisations", fmt),
                         headline_figure(result.monthly, tmp / "headline.png").name]
        write_json(tmp / "manifest.json", info)

    return write_atomically(out, fill, force)
