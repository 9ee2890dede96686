"""Shared by the pattern and emergence tests: 20 paired replications of the shipped scenarios
at a 1,200-resident size (common random numbers: replication i of every condition uses seed i
of ``replication_seeds(20261124, 20)``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import resettle
from resettle.sim.seeds import replication_seeds

ROOT_SEED = 20261124
N_SEEDS = 20
SEEDS = replication_seeds(ROOT_SEED, N_SEEDS)
MOST = 18  # of 20 replications: two may go against a pattern
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
MID = dict(residents=1200, households=500, party_members=28, cadres=10, temporary_residents=230)


def scheme(name: str, years: int = 3, **kw) -> resettle.Scenario:
    """A shipped scenario at the 1,200-resident size, over ``years``, with ``kw`` replaced."""
    sc = resettle.load_scenario(SCENARIOS / f"{name}.toml")
    return sc.replace(horizon_years=years, **{**MID, **kw})


def run_all(sc: resettle.Scenario, n: int = N_SEEDS) -> list[pd.DataFrame]:
    """One run for each of the first ``n`` seeds; monthly tables indexed by month."""
    return [resettle.CommunityModel(sc, rng=s).run().set_index("month") for s in SEEDS[:n]]
