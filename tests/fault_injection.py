"""Fault injection for the sweep tests, outside the production code.

``FaultyExecutor`` wraps a real executor: a job whose key is in ``failing`` is submitted with a
scenario that raises a ``RuntimeError`` inside the worker (as a run with a bug would), so the
sweep sees a genuine failure with the worker's traceback. The error is one that cannot be sent
back from a worker process as an exception (its constructor takes two arguments), the hardest
case for a process pool.

A key written ``kill:KEY`` instead makes that run kill its own worker process (SIGKILL, as the
kernel's out-of-memory killer does), every time it is tried.

    python tests/fault_injection.py KEY[,kill:KEY...] sweep SPEC --workers 1 --out DIR

runs ``resettle`` with those runs failing (the local pool or Dask executor of
``resettle.cli.commands.make_executor``, wrapped).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from concurrent.futures import Executor, Future

from resettle.params.scenario import Scenario

INJECTED = "injected failure"


class StubbornError(RuntimeError):
    """An error that pickles but does not unpickle (two constructor arguments)."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(f"{INJECTED} for {key}: {detail}")


@dataclasses.dataclass(frozen=True)
class FailingScenario(Scenario):
    """A scenario whose run fails: building the run's scenario raises StubbornError."""

    failure: str = ""

    def replace(self, **overrides) -> Scenario:
        raise StubbornError(self.failure, "the run's scenario cannot be built")


def failing(job):
    """``job`` with a scenario that makes its run raise in the worker."""
    values = {f.name: getattr(job.scenario, f.name) for f in dataclasses.fields(Scenario)}
    return dataclasses.replace(job, scenario=FailingScenario(**values, failure=job.key))


def kill_worker(job):
    """Run in a worker: kill this worker process, as the out-of-memory killer would."""
    os.kill(os.getpid(), signal.SIGKILL)


class FaultyExecutor(Executor):
    """``inner``, except that the jobs with a key in ``failing`` fail in the worker, and those
    with a key in ``killing`` kill it. It restarts when ``inner`` can."""

    def __init__(self, inner: Executor, keys: set[str], killing: set[str] = frozenset()) -> None:
        self.inner, self.keys, self.killing = inner, keys, killing
        if hasattr(inner, "restart"):
            self.restart = inner.restart

    def submit(self, fn, /, *args, **kwargs) -> Future:
        key = getattr(args[0], "key", None) if args else None
        if key in self.killing:
            fn = kill_worker
        elif key in self.keys:
            args = (failing(args[0]), *args[1:])
        return self.inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)


def main(argv: list[str]) -> int:
    """``resettle`` with the runs named in argv[0] failing."""
    from resettle.cli import commands
    from resettle.cli import main as resettle_main

    keys = set(argv[0].split(","))
    killing = {k.removeprefix("kill:") for k in keys if k.startswith("kill:")}
    real = commands.make_executor

    def make_executor(args):
        executor, workers, close = real(args)
        return FaultyExecutor(executor, keys, killing), workers, close

    commands.make_executor = make_executor
    return resettle_main(argv[1:])


if __name__ == "__main__":
    from fault_injection import main as module_main  # classes pickled by module name

    sys.exit(module_main(sys.argv[1:]))
