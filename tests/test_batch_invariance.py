"""A replication's table does not depend on the batch it runs in (issue 11).

A job's draws come only from its own seed and each process's own stream
(``resettle.sim.seeds``), so its monthly table must be bit-identical whether it runs alone, in a
batch of 7 or 100 jobs of other scenarios and seeds, at any position, on one worker, on two
worker processes or on a Dask cluster. ``compare`` and ``run`` give replication i the same seed
whatever ``--reps`` is, so a replication's table is also the same in a comparison of 3 or 7.

Runs are cut to a few months (``MONTHS``): the property is about where a job runs, not how long.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resettle.experiments.executors import run_jobs
from resettle.experiments.jobs import Job, run_job
from resettle.experiments.run import run_scenarios
from resettle.params.scenario import load_scenario
from resettle.sim.seeds import replication_seeds

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
MONTHS = 4  # long enough for every process to draw (a billing period, a reform at month 1)
ROOT = 11
SEEDS = replication_seeds(ROOT, 100)


@pytest.fixture(scope="module")
def scenarios() -> list:
    return [load_scenario(SCENARIOS / f"{name}.toml") for name in ("scheme1", "scheme2",
                                                                    "phased")]


def job(scenario, replication: int) -> Job:
    return Job(scenario, replication, SEEDS[replication], months=MONTHS)


def mixed_batch(scenarios: list, size: int, target: Job, position: int) -> list[Job]:
    """``size`` jobs of every scenario and many seeds, with ``target`` at ``position``."""
    others = [job(scenarios[k % len(scenarios)], (7 * k + 1) % len(SEEDS))
              for k in range(size - 1)]
    return [*others[:position], target, *others[position:]]


@pytest.fixture(scope="module")
def target(scenarios) -> Job:
    return job(scenarios[1], 3)


@pytest.fixture(scope="module")
def alone(target) -> pd.DataFrame:
    return run_job(target).monthly


def test_a_table_is_the_same_alone_and_in_batches_of_7_and_100(scenarios, target, alone):
    for size, position in ((7, 0), (7, 4), (7, 6), (100, 57)):
        batch = mixed_batch(scenarios, size, target, position)
        results = run_jobs(batch, workers=1, progress=False)
        pd.testing.assert_frame_equal(results[position].monthly, alone, check_exact=True)


def test_a_table_is_the_same_on_two_workers_and_on_dask(scenarios, target, alone):
    distributed = pytest.importorskip("distributed")
    batch = mixed_batch(scenarios, 7, target, 2)
    on_one = run_jobs(batch, workers=1, progress=False)
    on_two = run_jobs(batch, workers=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = run_jobs(batch, progress=False, executor=client.get_executor(pure=False))
    pd.testing.assert_frame_equal(on_two[2].monthly, alone, check_exact=True)
    for one, two, dask in zip(on_one, on_two, on_dask, strict=True):
        pd.testing.assert_frame_equal(two.monthly, one.monthly, check_exact=True)
        pd.testing.assert_frame_equal(dask.monthly, one.monthly, check_exact=True)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.tuples(st.integers(0, 2), st.integers(0, len(SEEDS) - 1)),
                      min_size=0, max_size=5),
       position=st.integers(0, 5))
def test_any_batch_composition_leaves_a_table_unchanged(scenarios, target, alone, picks,
                                                        position):
    """Whatever shares its batch (any scenarios, any seeds, the target's own seed included)."""
    others = [job(scenarios[k], rep) for k, rep in picks]
    position = min(position, len(others))
    batch = [*others[:position], target, *others[position:]]
    results = run_jobs(batch, workers=1, progress=False)
    pd.testing.assert_frame_equal(results[position].monthly, alone, check_exact=True)


def test_a_replication_is_the_same_in_a_comparison_of_3_or_7(scenarios):
    """Replication i's seed does not depend on how many replications there are."""
    short = [dataclasses.replace(s, horizon_years=1) for s in scenarios[:2]]
    three = run_scenarios(short, 3, ROOT, progress=False, snapshots=False).monthly
    seven = run_scenarios(short, 7, ROOT, progress=False, snapshots=False).monthly
    keep = seven["replication"] < 3
    pd.testing.assert_frame_equal(seven[keep].reset_index(drop=True), three, check_exact=True)
