"""Running a sweep: resumable, streamed to Parquet shards, on any concurrent.futures Executor.

Layout of a sweep directory::

    spec.toml          the specification as given (resume reads it)
    sweep.json         the spec's fingerprint, seeds, versions, git commit; timings at the end
    points.parquet     the design points
    shards/part-*.parquet   finished runs, written atomically (tmp file, then rename)
    failures/<key>.json     runs that raised, with their traceback
    results.parquet    every finished run, sorted by key (written when all runs are done;
                       a round of ``decide --precision``: when its first replications are)

Every run has a key (point, scenario, replication) and a seed spawned from the root seed
before anything is dispatched, so results do not depend on which worker ran what. A run
counts as finished once its shard is on disk: an interrupted sweep (Ctrl-C or kill -9)
resumes with the runs that are not, and ends with exactly the tables an uninterrupted sweep
writes. Leftover temporary files and unreadable shards are discarded on resume.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from resettle.errors import SweepError
from resettle.experiments.executors import IN_FLIGHT_PER_WORKER, WorkerDeath, run_bounded
from resettle.experiments.jobs import Job, JobFailure, JobResult, check_result, try_job
from resettle.experiments.sweep.design import design_points
from resettle.experiments.sweep.spec import SweepSpec, load_sweep
from resettle.params.catalogue import scenario_record, toml_value
from resettle.sim.seeds import replication_seeds
from resettle.store.atomic import (
    check_destination,
    leftovers,
    probe,
    recover,
    write_atomically,
)
from resettle.store.lock import output_lock
from resettle.store.provenance import (
    code_difference,
    git_commit,
    now,
    provenance,
    source_digest,
    write_json,
)

FLUSH_RUNS = 50  # write a shard after this many finished runs...
FLUSH_SECONDS = 2.0  # ...or this many seconds, whichever comes first


def run_key(point: int, scenario_index: int, replication: int) -> str:
    """The run's key: sortable, unique within the sweep."""
    return f"p{point:07d}-s{scenario_index:02d}-r{replication:05d}"


def sweep_jobs(spec: SweepSpec, points: pd.DataFrame,
               replications: int | None = None) -> list[Job]:
    """Every point x scenario x replication (the first ``replications`` of the spec's, when
    given), with seeds drawn now (before dispatch; spawned by index, so replication r has one
    seed whatever their number). Each job runs to the last kept year and keeps only the kept
    years and metrics."""
    seeds = replication_seeds(spec.seed, replications or spec.replications)
    names = [f.name for f in spec.factors]
    months = tuple(12 * y for y in spec.years)
    jobs = []
    for row in points.itertuples(index=False):
        overrides = tuple((n, _plain(getattr(row, n))) for n in names)
        for s_index, scenario in enumerate(spec.scenarios):
            for rep, seed in enumerate(seeds):
                jobs.append(Job(scenario, rep, seed, overrides=overrides, months=max(months),
                                keep_months=months, metrics=spec.metrics,
                                key=run_key(row.point, s_index, rep), point=int(row.point)))
    return jobs


def _plain(value: object) -> object:
    """numpy scalars to Python values (Mesa seeds and TOML-like parameters)."""
    return value.item() if hasattr(value, "item") else value


def result_rows(job: Job, result: JobResult) -> list[dict]:
    """A finished job's rows of results.parquet: one per kept year."""
    base = {"key": job.key, "point": job.point, "scenario": job.scenario.name,
            "replication": job.replication, "seed": job.seed}
    return [{**base, "year": int(r["month"] // 12), **{m: float(r[m]) for m in job.metrics}}
            for _, r in result.monthly.iterrows()]


# ---- the directory ----------------------------------------------------------------------
def prepare(spec: SweepSpec, out: Path, spec_text: str, argv: list[str] | None = None,
            extra_files: dict[str, str] | None = None) -> pd.DataFrame:
    """Create a new sweep directory (whole, or not at all), with ``extra_files`` (name ->
    text: what a study built on the sweep keeps beside it); returns the design points."""
    points = design_points(spec)
    info = provenance(command=argv, root_seed=spec.seed,
                      seeds=replication_seeds(spec.seed, spec.replications),
                      scenarios=[scenario_record(s) for s in spec.scenarios],
                      fingerprint=spec.fingerprint(), digest=spec.digest(),
                      runs=len(points) * len(spec.scenarios) * spec.replications, sessions=[])

    def fill(tmp: Path) -> None:
        (tmp / "shards").mkdir()
        (tmp / "failures").mkdir()
        (tmp / "spec.toml").write_text(spec_text, "utf-8")
        for name, text in (extra_files or {}).items():  # a name may hold a folder
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text, "utf-8")
        points.to_parquet(tmp / "points.parquet", index=False)
        write_json(tmp / "sweep.json", info)

    check_destination(out, force=False,
                      occupied=f"use --resume {out} to continue it, or another --out")
    write_atomically(out, fill, force=True)  # an empty directory may be there
    return points


def reopen(out: Path, spec: SweepSpec | None,
           allow_code_change: bool = False) -> tuple[SweepSpec, pd.DataFrame, str | None]:
    """Open an existing sweep directory; refuse a different spec or (unless
    ``allow_code_change``) a changed model, naming the difference. Returns the stored spec,
    the design points and the model's change (None if it is the same)."""
    started = sweep_record(out)
    stored = load_sweep(out / "spec.toml")
    if stored.digest() != started.get("digest"):
        raise SweepError(f"{out}: its scenario files changed since the sweep started: "
                         f"{difference(started.get('fingerprint', {}), stored.fingerprint())}")
    if spec is not None and spec.digest() != stored.digest():
        raise SweepError(f"{out}: made by a different spec: "
                         f"{difference(stored.fingerprint(), spec.fingerprint())}")
    changed = sweep_change(started)
    if changed and not allow_code_change:
        raise SweepError(f"{out}: {changed}; new "
                         "runs would mix with the old in one table. Start a new sweep, or "
                         "pass --allow-code-change to continue anyway (recorded in sweep.json)")
    discard_partial(out)
    return stored, pd.read_parquet(out / "points.parquet"), changed


def sweep_change(started: dict) -> str | None:
    """How what runs now differs from what a sweep started with, as a clause naming the model
    (its source digest, a package's version) or the machine (numpy's SIMD level, the C
    library); None: no difference."""
    found = code_difference(started)
    return None if found is None else f"the {found[0]} changed since the sweep started ({found[2]})"


def sweep_record(out: Path) -> dict:
    """The ``sweep.json`` of a sweep directory; SweepError if ``out`` is not one."""
    if not (out / "sweep.json").is_file():
        raise SweepError(f"{out}: not a sweep directory (no sweep.json)")
    try:
        record = json.loads((out / "sweep.json").read_text("utf-8"))
    except (OSError, ValueError) as err:  # unreadable, not UTF-8, not JSON
        raise SweepError(f"{out}: sweep.json is not readable ({type(err).__name__}); the "
                         "sweep directory is damaged") from None
    if not isinstance(record, dict):
        raise SweepError(f"{out}: sweep.json is not a sweep's record (a JSON object); the "
                         "sweep directory is damaged")
    return record


def difference(a: dict, b: dict) -> str:
    """The first field in which two spec fingerprints differ (compared as JSON)."""
    a, b = (json.loads(json.dumps(x, sort_keys=True, default=str)) for x in (a, b))
    for key in a:
        if a[key] != b.get(key):
            return f"{key} was {a[key]!r}, now {b.get(key)!r}"
    return "contents differ"


def discard_partial(out: Path) -> None:
    """Remove temporary files and unreadable shards (a crash mid-write)."""
    for tmp in list(out.glob("**/.tmp-*")):
        tmp.unlink()
    for probe_dir, _ in leftovers(out / "shards" / "shard"):  # a killed disk probe's
        shutil.rmtree(probe_dir, ignore_errors=True)
    for shard in (out / "shards").glob("part-*.parquet"):
        try:
            pd.read_parquet(shard, columns=["key"])
        except Exception:
            shard.unlink()


def finished_keys(out: Path) -> set[str]:
    """Keys of runs whose results are on disk."""
    keys: set[str] = set()
    for shard in (out / "shards").glob("part-*.parquet"):
        keys.update(pd.read_parquet(shard, columns=["key"])["key"])
    return keys


def failed_keys(out: Path) -> set[str]:
    """Keys of runs recorded as failed and not finished since (a crash between writing a
    retried run's shard and deleting its failure record leaves both)."""
    return {p.stem for p in (out / "failures").glob("*.json")} - finished_keys(out)


def failure_cause(out: Path, keys: set[str]) -> str:
    """The last line of the traceback of the first of the failed runs ``keys`` (its error),
    or '' where it cannot be read."""
    try:
        record = json.loads((out / "failures" / f"{min(keys)}.json").read_text("utf-8"))
        lines = str(record.get("traceback", "")).strip().splitlines()
    except (OSError, ValueError, AttributeError):  # removed meanwhile, or damaged
        return ""
    return re.sub(r"^[\w.]+\.(\w+: )", r"\1", lines[-1]) if lines else ""


def write_file(path: Path, write) -> None:
    """Write a file of the sweep directory atomically (``.tmp-<name>``, then renamed)."""
    write_atomically(path, write, directory=False)


class ShardWriter:
    """Buffers finished runs and writes them as shards; records failures at once."""

    def __init__(self, out: Path) -> None:
        self.out, self.rows, self.count = out, [], 0
        self.last = time.monotonic()

    def add(self, rows: list[dict]) -> None:
        """A finished run's rows."""
        self.rows.extend(rows)
        self.count += 1
        if self.count >= FLUSH_RUNS or time.monotonic() - self.last >= FLUSH_SECONDS:
            self.flush()

    def fail(self, key: str, text: str) -> None:
        """A failed run: its traceback, in failures/<key>.json."""
        write_file(self.out / "failures" / f"{key}.json",
                   lambda p: p.write_text(json.dumps({"key": key, "traceback": text}), "utf-8"))

    def flush(self) -> None:
        """Write the buffered runs as one shard."""
        if self.rows:
            name = f"part-{time.time_ns():020d}-{os.getpid()}.parquet"
            frame = pd.DataFrame(self.rows)
            write_file(self.out / "shards" / name, lambda p: frame.to_parquet(p, index=False))
            for key in frame["key"].unique():
                (self.out / "failures" / f"{key}.json").unlink(missing_ok=True)
        self.rows, self.count, self.last = [], 0, time.monotonic()


# ---- running ----------------------------------------------------------------------------
def execute(jobs: list[Job], executor: Executor, workers: int, writer: ShardWriter,
            progress: bool) -> int:
    """Run ``jobs``; a run that raises, or whose worker died twice under it (local pools) or
    too often (Dask), is recorded as failed, with its traceback or cause, and the sweep goes
    on. Anything else (a pool that cannot be restarted, a lost Dask scheduler, a worker that
    runs another model or machine, a shard that cannot be written) stops the sweep; finished
    runs stay on disk. Returns how many failed."""
    failures = 0
    bar = tqdm(total=len(jobs), desc="sweep", unit="run", disable=not progress)
    try:
        for i, outcome in run_bounded(executor, try_job, jobs,
                                      IN_FLIGHT_PER_WORKER * max(workers, 1)):
            job = jobs[i]
            if isinstance(outcome, JobFailure | WorkerDeath):
                writer.fail(job.key, getattr(outcome, "traceback", None) or outcome.cause)
                failures += 1
            else:
                writer.add(result_rows(job, check_result(outcome)))
            bar.update(1)
    finally:
        writer.flush()
        bar.close()
    return failures


def pending_jobs(jobs: Iterable[Job], out: Path, retry_failed: bool) -> list[Job]:
    """Jobs not yet finished; failed ones only when retrying (and then only those)."""
    done, failed = finished_keys(out), failed_keys(out)
    if retry_failed:
        return [j for j in jobs if j.key in failed]
    return [j for j in jobs if j.key not in done and j.key not in failed]


def consolidate(out: Path, keys: set[str]) -> pd.DataFrame | None:
    """When every run of ``keys`` (the sweep's jobs; with ``replications``, its first ones) is
    finished: results.parquet (those runs only, sorted, one row per run-year)."""
    shards = sorted((out / "shards").glob("part-*.parquet"))
    if not shards:
        return None
    frame = pd.concat([pd.read_parquet(s) for s in shards], ignore_index=True)
    frame = frame[frame["key"].isin(keys)].drop_duplicates(["key", "year"])
    frame = frame.sort_values(["key", "year"]).reset_index(drop=True)
    if set(frame["key"]) == keys:
        write_file(out / "results.parquet", lambda p: frame.to_parquet(p, index=False))
    return frame


@dataclass
class SweepOutcome:
    """What a call to run_sweep did."""

    out: Path
    runs: int
    ran: int
    failed: int
    complete: bool
    seconds: float


def run_sweep(out: Path, executor: Executor, workers: int, spec: SweepSpec | None = None,
              spec_text: str | None = None, resume: bool = False, retry_failed: bool = False,
              progress: bool = True, argv: list[str] | None = None,
              allow_code_change: bool = False,
              extra_files: dict[str, str] | None = None,
              replications: int | None = None) -> SweepOutcome:
    """Start (``spec`` + ``spec_text``, and ``extra_files`` written into the new directory)
    or resume a sweep in ``out``, holding its lock; ``argv`` is the command recorded in
    sweep.json. ``replications``: run only the first that many of the spec's (a round of
    ``decide --precision``); the sweep is complete when they are."""
    if resume or retry_failed:
        sweep_record(out)  # before the lock: a mistyped directory is not created
    with output_lock(out):
        return _run_sweep(out, executor, workers, spec, spec_text, resume or retry_failed,
                          retry_failed, progress, argv, allow_code_change, extra_files,
                          replications)


def _run_sweep(out, executor, workers, spec, spec_text, resume, retry_failed, progress, argv,
               allow_code_change, extra_files, replications) -> SweepOutcome:
    start, changed = time.perf_counter(), None
    if resume:
        recover(out)  # what a killed write of this directory's own files left beside it
        spec, points, changed = reopen(out, spec, allow_code_change)
        probe(out / "shards", "shard")  # before any run: the disk takes a shard
    else:
        points = prepare(spec, out, spec_text, argv, extra_files)
    start_session(out, changed)
    jobs = sweep_jobs(spec, points, replications)
    todo = pending_jobs(jobs, out, retry_failed)
    failed = execute(todo, executor, workers, ShardWriter(out), progress)
    keys = {j.key for j in jobs}
    complete = not (failed_keys(out) & keys) and keys <= finished_keys(out)
    if complete:
        consolidate(out, keys)
    record_timing(out, len(todo), time.perf_counter() - start)
    return SweepOutcome(out, len(jobs), len(todo), failed, complete,
                        time.perf_counter() - start)


def start_session(out: Path, code_change: str | None) -> None:
    """Record in sweep.json, before any run, the session starting now: the model's source
    digest and git commit, and the change of model it was allowed (if any), so that shards
    from a changed model are on record even if the session is killed."""
    info = json.loads((out / "sweep.json").read_text("utf-8"))
    session = {"started": now(), "source_digest": source_digest(), "git_commit": git_commit()}
    if code_change:
        session["code_change_allowed"] = code_change
    info.setdefault("sessions", []).append(session)
    write_file(out / "sweep.json", lambda p: write_json(p, info))


def record_timing(out: Path, ran: int, seconds: float) -> None:
    """Complete this session's entry in sweep.json: when it ended, its runs and time."""
    info = json.loads((out / "sweep.json").read_text("utf-8"))
    info["sessions"][-1].update({"ended": now(), "runs": ran, "seconds": round(seconds, 2)})
    info["seconds"] = round(sum(s.get("seconds", 0) for s in info["sessions"]), 2)
    write_file(out / "sweep.json", lambda p: write_json(p, info))  # resume reads it


def copy_spec_text(path: Path) -> str:
    """The spec as TOML with scenario paths made absolute, so spec.toml stands alone."""
    raw = load_sweep(path).raw
    sweep = {**raw["sweep"], "scenarios": [str((path.parent / f).resolve())
                                           for f in raw["sweep"]["scenarios"]]}
    return sweep_toml({**raw, "sweep": sweep}, f"copied from {path}")


def sweep_toml(raw: dict, comment: str) -> str:
    """A sweep specification's tables (``[sweep]``, ``[parameters.NAME]``) as TOML, headed by
    ``comment``."""
    lines = [f"# {comment}", "[sweep]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in raw["sweep"].items()]
    for name, entry in raw.get("parameters", {}).items():
        lines += ["", f"[parameters.{name}]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def sweep_file(path: str | Path, out: str | Path, workers: int | None = None,
               progress: bool = False) -> SweepOutcome:
    """Run the sweep file ``path`` into ``out`` on a local process pool (for notebooks)."""
    from resettle.experiments.executors import default_workers, local_executor

    path, out = Path(path), Path(out)
    executor, n, close = local_executor(workers or default_workers())
    try:
        return run_sweep(out, executor, n, load_sweep(path), copy_spec_text(path),
                         progress=progress)
    finally:
        close()
