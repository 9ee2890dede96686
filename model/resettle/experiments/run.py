"""Running scenarios: replications with spawned seeds, shared across scenarios (common random
numbers). ``resettle run`` and ``resettle compare`` run through :func:`run_scenarios`."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

from resettle.experiments.executors import run_jobs
from resettle.experiments.jobs import make_jobs
from resettle.params.scenario import Scenario
from resettle.sim.seeds import replication_seeds


@dataclass
class RunResult:
    """Monthly table, end-of-run agent snapshots (when asked) and seeds of a set of runs."""

    scenarios: list[Scenario]
    root_seed: int
    seeds: list[int]
    monthly: pd.DataFrame
    agents: pd.DataFrame | None = None
    organisations: pd.DataFrame | None = None
    seconds: float = 0.0

    @property
    def reps(self) -> int:
        """Replications per scenario."""
        return len(self.seeds)


def run_scenarios(scenarios: list[Scenario], reps: int, root_seed: int, progress: bool = True,
                  workers: int = 1, snapshots: bool = True) -> RunResult:
    """Every scenario ``reps`` times with seeds spawned from ``root_seed``."""
    start = time.perf_counter()
    seeds = replication_seeds(root_seed, reps)
    results = run_jobs(make_jobs(scenarios, seeds, snapshots), workers, progress)
    result = RunResult(list(scenarios), root_seed, seeds,
                       pd.concat([r.monthly for r in results], ignore_index=True))
    if snapshots:
        result.agents = pd.concat([r.agents for r in results], ignore_index=True)
        result.organisations = pd.concat([r.organisations for r in results], ignore_index=True)
    result.seconds = time.perf_counter() - start
    return result
