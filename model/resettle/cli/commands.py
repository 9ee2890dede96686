"""What each ``resettle`` command does with its parsed arguments: a thin layer over the
library (load, run, write). Each returns the exit status; a user's mistake raises a
``ResettleError``, which ``resettle.cli.main`` prints as one line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from concurrent.futures import BrokenExecutor
from contextlib import contextmanager
from pathlib import Path

from resettle.cli.parser import EXIT_INTERRUPTED
from resettle.errors import ScenarioError
from resettle.store.atomic import reason

OUTPUTS = Path("outputs")


def command_line(args: argparse.Namespace) -> list[str]:
    """The command as typed, for the manifest."""
    return ["resettle", *args.argv]


@contextmanager
def destination(out: Path, force: bool) -> Iterator[Path]:
    """Hold ``out``'s lock and check that it can take the result, before any computing."""
    from resettle.store.atomic import check_destination
    from resettle.store.lock import output_lock

    with output_lock(out):
        check_destination(out, force)
        yield out


def shown_names(scenarios) -> list[str]:
    """The names figures may show: scenarios' and villages'."""
    return [n for s in scenarios for n in (s.name, *s.community.village_names)]


def check_study(what: str, runs: int, scenarios, workers: int | None, yes: bool) -> None:
    """Refuse a study above the size ceilings (``resettle.experiments.limits``)."""
    from resettle.experiments.executors import default_workers
    from resettle.experiments.limits import check_size

    residents = max(s.community.residents for s in scenarios)
    check_size(what, runs, residents, workers or default_workers(), yes)


def cmd_run(args: argparse.Namespace) -> int:
    """``resettle run``."""
    from resettle.experiments.run import run_scenarios
    from resettle.params.scenario import load_scenarios
    from resettle.reports.run import write_run
    from resettle.text.fonts import check_fonts

    scenarios = load_scenarios(args.scenarios, args.years)
    check_fonts(["en"], shown_names(scenarios))
    check_study("--reps", args.reps * len(scenarios), scenarios, 1, args.yes)
    out = args.out or OUTPUTS / f"run-{'-'.join(s.name for s in scenarios)}"
    with destination(out, args.force):
        result = run_scenarios(scenarios, args.reps, args.seed, progress=not args.quiet)
        out = write_run(result, out, force=args.force, fmt=args.format,
                        argv=command_line(args))
    print(f"wrote {out}")
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    """``resettle describe``."""
    from resettle.params.scenario import load_scenario
    from resettle.sim.describe import as_text, describe

    result = describe(load_scenario(args.scenario), seed=args.seed)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else as_text(result))
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """``resettle params``."""
    from resettle.params.catalogue import catalogue, scenario_toml

    if args.toml:
        print(scenario_toml())
    else:
        table = catalogue()[["section", "name", "default", "unit", "source", "valid", "plausible"]]
        print(table.to_string(index=False))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """``resettle compare``."""
    from resettle.experiments.compare import run_comparison
    from resettle.params.scenario import load_scenarios
    from resettle.reports.compare import write_comparison
    from resettle.text.fonts import check_fonts

    scenarios = load_scenarios(args.scenarios, args.years)
    check_study("--reps", args.reps * len(scenarios), scenarios, args.workers, args.yes)
    out = args.out or OUTPUTS / f"compare-{'-'.join(s.name for s in scenarios)}"
    check_fonts(args.lang, shown_names(scenarios))
    with destination(out, args.force):
        comp = run_comparison(scenarios, args.reps, args.seed, args.workers, args.metrics,
                              args.milestones, progress=not args.quiet)
        out = write_comparison(comp, out, force=args.force, langs=args.lang,
                               argv=command_line(args))
    print(f"wrote {out}")
    return 0


def cmd_switch_year(args: argparse.Namespace) -> int:
    """``resettle switch-year``."""
    from resettle.experiments.switch_year import run_switch_year, switch_variants
    from resettle.params.scenario import load_scenario
    from resettle.reports.switch_year import write_switch_year
    from resettle.text.fonts import check_fonts

    base = load_scenario(args.scenario)
    years = args.years if args.years is not None else list(range(base.horizon_years + 1))
    switch_variants(base, years)  # validate before running anything
    check_study("--reps", args.reps * len(years), [base], args.workers, args.yes)
    out = args.out or OUTPUTS / f"switch-year-{base.name}"
    check_fonts(args.lang, shown_names([base]))
    with destination(out, args.force):
        study = run_switch_year(base, years, args.reps, args.seed, args.workers,
                                progress=not args.quiet, metrics=args.metrics)
        out = write_switch_year(study, out, force=args.force, langs=args.lang,
                                argv=command_line(args))
    print(f"wrote {out}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """``resettle sweep``."""
    from resettle.experiments.sweep.runner import copy_spec_text, run_sweep
    from resettle.experiments.sweep.spec import load_sweep

    if args.spec is None and args.resume is None:
        raise ScenarioError("sweep: give a SPEC file, or --resume DIR")
    if args.retry_failed and args.resume is None:
        raise ScenarioError("--retry-failed: give the sweep directory with --resume DIR")
    spec = load_sweep(args.spec) if args.spec else None
    if spec is not None:
        from resettle.experiments.sweep.design import planned_runs
        check_study(str(args.spec), planned_runs(spec), spec.scenarios, args.workers, args.yes)
    out = args.resume or args.out or OUTPUTS / f"sweep-{spec.name}"
    text = copy_spec_text(args.spec) if args.spec else None
    executor, workers, close = make_executor(args)
    try:
        done = run_sweep(out, executor, workers, spec, text, resume=args.resume is not None,
                         retry_failed=args.retry_failed, progress=not args.quiet,
                         argv=command_line(args), allow_code_change=args.allow_code_change)
    except KeyboardInterrupt:
        print(f"resettle: interrupted; finished runs are saved in {out}; continue with "
              f"'resettle sweep --resume {out}'", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenExecutor as err:
        print(f"resettle: a worker process died ({type(err).__name__}); finished runs are "
              f"saved in {out}; continue with 'resettle sweep --resume {out}'",
              file=sys.stderr)
        return 1
    except OSError as err:
        print(f"resettle: cannot write {err.filename or out} ({reason(err)}); finished runs "
              f"are saved in {out}; free the disk, then continue with 'resettle sweep "
              f"--resume {out}'", file=sys.stderr)
        return 1
    finally:
        close()
    return report_sweep(done)


def make_executor(args: argparse.Namespace):
    """A Dask executor for --scheduler, else a local process pool: (executor, workers,
    close)."""
    from resettle.experiments.executors import dask_executor, default_workers, local_executor

    if args.scheduler:
        return dask_executor(args.scheduler)
    return local_executor(args.workers or default_workers())


def report_sweep(done) -> int:
    """Print the outcome; exit 1 if the sweep is not complete, saying why."""
    from resettle.experiments.sweep.runner import failed_keys

    if done.complete:
        print(f"wrote {done.out} ({done.runs} runs; results.parquet)")
        return 0
    failed = len(failed_keys(done.out))
    if failed:
        print(f"resettle: {failed} run(s) failed (tracebacks in {done.out}/failures); "
              f"re-run them with 'resettle sweep --resume {done.out} --retry-failed'",
              file=sys.stderr)
    else:
        print(f"resettle: the sweep is not complete; continue it with 'resettle sweep "
              f"--resume {done.out}'", file=sys.stderr)
    return 1


def cmd_analyze(args: argparse.Namespace) -> int:
    """``resettle analyze``."""
    from resettle.experiments.sweep.analyse import analyse_sweep
    from resettle.reports.sweep import write_analysis
    from resettle.text.fonts import check_fonts

    out = args.out or args.sweep_dir / "analysis"
    check_fonts(args.lang)
    with destination(out, args.force):
        analysis = analyse_sweep(args.sweep_dir, args.year)
        out = write_analysis(analysis, out, force=args.force, langs=args.lang,
                             argv=command_line(args))
    print(f"wrote {out}")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    """``resettle dashboard``: check the scenario files, then run the server until stopped."""
    from resettle.dashboard.serve import serve

    serve(args.scenarios, args.lang, args.host, args.port)
    return 0  # not reached: the server replaces this process


COMMANDS = {"sweep": cmd_sweep, "analyze": cmd_analyze, "run": cmd_run, "compare": cmd_compare,
            "switch-year": cmd_switch_year, "describe": cmd_describe, "params": cmd_params,
            "dashboard": cmd_dashboard}
