"""Running scenarios: replications with spawned seeds, shared across scenarios (CRN)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from resettle.parallel import Job, run_jobs
from resettle.scenario import Scenario
from resettle.seeds import replication_seeds


@dataclass
class RunResult:
    """Monthly table, end-of-run agent snapshots and seeds of a set of runs."""

    monthly: pd.DataFrame
    agents: pd.DataFrame | None
    organisations: pd.DataFrame | None
    seeds: list[int]


def make_jobs(scenarios: list[Scenario], seeds: list[int], snapshots: bool) -> list[Job]:
    """Every scenario x replication; replication i uses ``seeds[i]`` in every scenario."""
    return [Job(s, i, seed, snapshots) for s in scenarios for i, seed in enumerate(seeds)]


def run_scenarios(scenarios: list[Scenario], reps: int, root_seed: int, progress: bool = True,
                  workers: int = 1, snapshots: bool = True) -> RunResult:
    """Every scenario ``reps`` times with seeds spawned from ``root_seed``."""
    seeds = replication_seeds(root_seed, reps)
    results = run_jobs(make_jobs(scenarios, seeds, snapshots), workers, progress)
    monthly = pd.concat([r[0] for r in results], ignore_index=True)
    if not snapshots:
        return RunResult(monthly, None, None, seeds)
    return RunResult(monthly, pd.concat([r[1] for r in results], ignore_index=True),
                     pd.concat([r[2] for r in results], ignore_index=True), seeds)
