"""Fault injection for the sweep tests, outside the production code.

``FaultyExecutor`` wraps a real executor: a job whose key is in ``failing`` is submitted with an
override the model does not know (``injected_failure``), so that it raises inside the worker,
as a genuinely failing run would, with the worker's traceback.

    python tests/fault_injection.py KEY[,KEY...] sweep SPEC --workers 1 --out DIR

runs ``resettle`` with those runs failing (the local pool or Dask executor of
``resettle.cli.commands.make_executor``, wrapped).
"""

from __future__ import annotations

import dataclasses
import sys
from concurrent.futures import Executor, Future

INJECTED = "injected_failure"  # not a parameter: Scenario.replace raises ScenarioError


class FaultyExecutor(Executor):
    """``inner``, except that the jobs with a key in ``failing`` fail in the worker."""

    def __init__(self, inner: Executor, failing: set[str]) -> None:
        self.inner, self.failing = inner, failing

    def submit(self, fn, /, *args, **kwargs) -> Future:
        job = args[0] if args else None
        if getattr(job, "key", None) in self.failing:
            job = dataclasses.replace(job, overrides=(*job.overrides, (INJECTED, job.key)))
            args = (job, *args[1:])
        return self.inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)


def main(argv: list[str]) -> int:
    """``resettle`` with the runs named in argv[0] failing."""
    from resettle.cli import commands
    from resettle.cli import main as resettle_main

    failing = set(argv[0].split(","))
    real = commands.make_executor

    def make_executor(args):
        executor, workers, close = real(args)
        return FaultyExecutor(executor, failing), workers, close

    commands.make_executor = make_executor
    return resettle_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
