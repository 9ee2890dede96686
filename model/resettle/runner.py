"""Running scenarios: replications with spawned seeds, shared across scenarios (CRN)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from tqdm import tqdm

from resettle.model import CommunityModel
from resettle.scenario import Scenario
from resettle.seeds import replication_seeds
from resettle.snapshot import agent_snapshot, organisation_snapshot


@dataclass
class RunResult:
    """Monthly table, end-of-run agent snapshots and seeds of a set of runs."""

    monthly: pd.DataFrame
    agents: pd.DataFrame
    organisations: pd.DataFrame
    seeds: list[int]


def run_one(scenario: Scenario, seed: int, replication: int = 0) -> CommunityModel:
    """One replication of one scenario, run to its horizon."""
    model = CommunityModel(scenario, rng=seed, replication=replication)
    model.run()
    return model


def run_scenarios(scenarios: list[Scenario], reps: int, root_seed: int,
                  progress: bool = True) -> RunResult:
    """Every scenario ``reps`` times; replication i uses the same seed in every scenario."""
    seeds = replication_seeds(root_seed, reps)
    jobs = [(s, i, seed) for s in scenarios for i, seed in enumerate(seeds)]
    monthly, agents, orgs = [], [], []
    bar = tqdm(jobs, desc="runs", unit="run", disable=not progress or len(jobs) < 2)
    for scenario, i, seed in bar:
        model = run_one(scenario, seed, i)
        monthly.append(model.metrics())
        agents.append(agent_snapshot(model))
        orgs.append(organisation_snapshot(model))
    return RunResult(pd.concat(monthly, ignore_index=True), pd.concat(agents, ignore_index=True),
                     pd.concat(orgs, ignore_index=True), seeds)
