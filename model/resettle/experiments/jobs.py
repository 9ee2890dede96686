"""One replication of one scenario: the unit of work behind every way of running the model.

``run``, ``compare``, ``switch-year``, sweeps and the EMA adapter all build :class:`Job`\\ s and
hand them to :func:`run_job`, in this process or on any ``concurrent.futures`` executor
(``resettle.experiments.executors``). Seeds are drawn before jobs are made, so a job's result
does not depend on where or when it runs.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

import pandas as pd

from resettle.outcomes import RUN_COLUMNS
from resettle.params.scenario import Scenario
from resettle.sim.snapshot import agent_snapshot, organisation_snapshot


@dataclass(frozen=True)
class Job:
    """One replication of one scenario.

    ``overrides`` (parameter name, value) are applied to ``scenario`` in the worker (a sweep's
    design point); ``months`` stops the run early (default: the scenario's horizon);
    ``keep_months`` and ``metrics`` cut the monthly table down to what the caller keeps
    (default: every row and column); ``snapshots`` adds the end-of-run agent tables; ``key``
    and ``point`` name the run within a sweep.
    """

    scenario: Scenario
    replication: int
    seed: int
    overrides: tuple[tuple[str, object], ...] = ()
    months: int | None = None
    keep_months: tuple[int, ...] | None = None
    metrics: tuple[str, ...] | None = None
    snapshots: bool = False
    key: str = ""
    point: int | None = None


@dataclass
class JobResult:
    """What a job produced: its monthly table (cut as the job asked) and, if asked, the
    end-of-run snapshots of residents and organisations."""

    monthly: pd.DataFrame
    agents: pd.DataFrame | None = None
    organisations: pd.DataFrame | None = None


def run_job(job: Job) -> JobResult:
    """Run ``job``. Raises what the model raises (e.g. ScenarioError for a bad override).

    The model is imported here, in the process that runs the job: a driver that hands its
    jobs to worker processes never imports it (its start-up stays short)."""
    from resettle.sim.model import CommunityModel

    scenario = job.scenario.replace(**dict(job.overrides)) if job.overrides else job.scenario
    model = CommunityModel(scenario, rng=job.seed, replication=job.replication)
    table = model.run(months=job.months)
    if job.keep_months is not None:
        table = table[table["month"].isin(job.keep_months)].reset_index(drop=True)
    if job.metrics is not None:
        table = table[[*RUN_COLUMNS, *job.metrics]]
    if not job.snapshots:
        return JobResult(table)
    return JobResult(table, agent_snapshot(model), organisation_snapshot(model))


@dataclass
class JobFailure:
    """A job that raised: the error's traceback, as text (taken in the worker)."""

    traceback: str


def try_job(job: Job) -> JobResult | JobFailure:
    """:func:`run_job`, with an error caught where it happens and returned as its traceback
    text: a sweep records it and goes on, whatever the error (even one that could not be sent
    back from a worker process as an exception)."""
    try:
        return run_job(job)
    except Exception:
        return JobFailure(traceback.format_exc())


def make_jobs(scenarios: list[Scenario], seeds: list[int], snapshots: bool = False,
              first: int = 0) -> list[Job]:
    """Every scenario x replication from ``first`` on; replication i uses ``seeds[i]`` in every
    scenario (common random numbers)."""
    return [Job(s, i, seeds[i], snapshots=snapshots) for s in scenarios
            for i in range(first, len(seeds))]
