"""``resettle run``'s results directory: the monthly table, end-of-run snapshots, a figure of
the headline metrics and the manifest. Running is :func:`resettle.experiments.run.run_scenarios`;
this module only writes."""

from __future__ import annotations

from pathlib import Path

from resettle.experiments.run import RunResult
from resettle.params.catalogue import scenario_record
from resettle.reports.figures import headline_figure
from resettle.store.atomic import write_atomically
from resettle.store.provenance import provenance, write_json
from resettle.store.tables import write_table


def run_manifest(result: RunResult, argv: list[str] | None, files: list[str]) -> dict:
    """Provenance of a run directory, with the files it holds."""
    return provenance(command=argv, root_seed=result.root_seed, seeds=result.seeds,
                      scenarios=[scenario_record(s) for s in result.scenarios],
                      seconds=result.seconds, replications=result.reps, files=files)


def write_run(result: RunResult, out: Path, *, force: bool = False, fmt: str = "parquet",
              argv: list[str] | None = None) -> Path:
    """Write the run directory atomically."""
    def fill(tmp: Path) -> None:
        files = [write_table(result.monthly, tmp / "monthly", fmt),
                 write_table(result.agents, tmp / "agents", fmt),
                 write_table(result.organisations, tmp / "organisations", fmt),
                 headline_figure(result.monthly, tmp / "headline.png").name]
        write_json(tmp / "manifest.json", run_manifest(result, argv, files))

    return write_atomically(out, fill, force)
