"""The ``resettle`` command: a thin layer over the library.

    resettle run SCENARIO [SCENARIO ...] [--years Y] [--reps N] [--seed S] [--out DIR]
    resettle compare SCENARIO [SCENARIO ...] [--reps N] [--seed S] [--workers W] [--out DIR]
                     [--lang en|zh|en,zh]
    resettle switch-year BASE_SCENARIO [--years 0,1,...] [--reps N] [--workers W] [--out DIR]
                     [--lang en|zh|en,zh]
    resettle analyze SWEEP_DIR [--year Y] [--out DIR] [--lang en|zh|en,zh]
    resettle describe SCENARIO [--json] [--seed S]
    resettle params [--toml]

A user's mistake (bad scenario, bad argument, occupied output directory) prints one line,
``resettle: error: ...``, and exits with status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import BrokenExecutor
from pathlib import Path

from resettle import __version__
from resettle.dashboard_cli import add_dashboard, cmd_dashboard
from resettle.errors import ScenarioError

EXIT_USAGE = 2
FORMATS = ("parquet", "csv")


def whole_number(minimum: int):
    """argparse type: a whole number >= ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value
    parse.__name__ = f"whole number >= {minimum}"
    return parse


positive_int = whole_number(1)
seed_int = whole_number(0)


class Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line (exit 2) instead of usage + message."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"resettle: error: {message} (see resettle --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = Parser(prog="resettle", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"resettle {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run = sub.add_parser("run", help="run scenarios and write the monthly table, snapshot, figure")
    run.add_argument("scenarios", nargs="+", type=Path, metavar="SCENARIO")
    run.add_argument("--years", type=positive_int, help="horizon in years (default: scenario's)")
    run.add_argument("--reps", type=positive_int, default=1, help="replications (default 1)")
    run.add_argument("--seed", type=seed_int, default=0, help="root seed (default 0)")
    run.add_argument("--out", type=Path, help="output directory (default outputs/run-NAMES)")
    run.add_argument("--format", choices=FORMATS, default="parquet", help="table format")
    run.add_argument("--force", action="store_true", help="replace an existing output directory")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    add_compare(sub)
    add_switch_year(sub)
    add_sweep(sub)
    add_analyze(sub)
    add_dashboard(sub)
    desc = sub.add_parser("describe", help="print the initial community of a scenario")
    desc.add_argument("scenario", type=Path, metavar="SCENARIO")
    desc.add_argument("--json", action="store_true", help="machine-readable output")
    desc.add_argument("--seed", type=seed_int, default=0)
    params = sub.add_parser("params", help="list every parameter with unit, source and range")
    params.add_argument("--toml", action="store_true", help="print a complete scenario file")
    return parser


def int_list(text: str) -> list[int]:
    """argparse type: comma-separated whole numbers, e.g. 3,5,10,15 (ranges like 0-15 too)."""
    values: list[int] = []
    try:
        for part in text.split(","):
            lo, _, hi = part.strip().partition("-")
            values += list(range(int(lo), int(hi) + 1)) if hi else [int(lo)]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers like 3,5,10 or 0-15, "
                                         f"got {text!r}") from None
    return values


def lang_list(text: str) -> list[str]:
    """argparse type: report languages, one or a comma list (en, zh, en,zh); the first writes
    report.md, each other L writes report.L.md with its figures in L/."""
    from resettle.labels import LANGS

    langs = list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))
    bad = [lang for lang in langs if lang not in LANGS]
    if bad or not langs:
        raise argparse.ArgumentTypeError(
            f"expected {' or '.join(LANGS)}, or a comma list such as {','.join(LANGS)}; "
            f"got {text!r}")
    return langs


def add_lang(p: argparse.ArgumentParser) -> None:
    """The --lang option of the commands that write reports."""
    p.add_argument("--lang", type=lang_list, default=["en"], metavar="LANG",
                   help="report and figure language: en, zh, or both as en,zh (the first "
                        "writes report.md, the others report.LANG.md; default en)")


def name_list(text: str) -> list[str]:
    """argparse type: comma-separated names."""
    return [t.strip() for t in text.split(",") if t.strip()]


def add_common(p: argparse.ArgumentParser, reps: int) -> None:
    """Options shared by compare and switch-year."""
    p.add_argument("--reps", type=positive_int, default=reps,
                   help=f"replications per scenario (default {reps})")
    p.add_argument("--seed", type=seed_int, default=0, help="root seed (default 0)")
    p.add_argument("--workers", type=positive_int, help="worker processes (default: all cores)")
    p.add_argument("--metrics", type=name_list, help="comma-separated metrics to report")
    p.add_argument("--out", type=Path, help="output directory")
    p.add_argument("--force", action="store_true", help="replace an existing output directory")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_lang(p)


def add_compare(sub) -> None:
    """``resettle compare``'s arguments."""
    from resettle.compare import DEFAULT_REPS

    p = sub.add_parser("compare", help="compare scenarios: report with CIs, tests, figures")
    p.add_argument("scenarios", nargs="+", type=Path, metavar="SCENARIO")
    add_common(p, DEFAULT_REPS)
    p.add_argument("--years", type=positive_int, help="run every scenario to this horizon")
    p.add_argument("--milestones", type=int_list, help="years to report (default 3,5,10,15)")


def add_switch_year(sub) -> None:
    """``resettle switch-year``'s arguments."""
    p = sub.add_parser("switch-year", help="run a phased scenario for each switch year")
    p.add_argument("scenario", type=Path, metavar="BASE_SCENARIO")
    add_common(p, 50)
    p.add_argument("--years", type=int_list, help="switch years (default 0 to the horizon)")


def add_sweep(sub) -> None:
    """``resettle sweep``'s arguments."""
    p = sub.add_parser("sweep", help="run a parameter sweep (resumable; local or Dask)")
    p.add_argument("spec", nargs="?", type=Path, metavar="SPEC")
    p.add_argument("--workers", type=positive_int, help="local worker processes (default: all)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786")
    p.add_argument("--out", type=Path, help="sweep directory (default outputs/sweep-NAME)")
    p.add_argument("--resume", type=Path, metavar="DIR", help="continue an interrupted sweep")
    p.add_argument("--retry-failed", action="store_true", help="re-run only the failed runs")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def add_analyze(sub) -> None:
    """``resettle analyze``'s arguments."""
    p = sub.add_parser("analyze", help="sensitivity and scenario discovery of a finished sweep")
    p.add_argument("sweep_dir", type=Path, metavar="DIR")
    p.add_argument("--year", type=positive_int, help="year to analyse (default: the last kept)")
    p.add_argument("--out", type=Path, help="output directory (default DIR/analysis)")
    p.add_argument("--force", action="store_true", help="replace an existing output directory")
    add_lang(p)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (``argv`` defaults to the process's arguments)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # argparse: --help/--version (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    args.argv = argv
    try:
        return COMMANDS[args.command](args)
    except ScenarioError as err:
        print(f"resettle: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("resettle: interrupted; nothing was written", file=sys.stderr)
        return 130


def cmd_run(args: argparse.Namespace) -> int:
    """``resettle run``."""
    from resettle.results import load_for_run, write_run

    scenarios = load_for_run(args.scenarios, args.years)
    names = "-".join(s.name for s in scenarios)
    out = args.out or Path("outputs") / f"run-{names}"
    out = write_run(scenarios, args.reps, args.seed, out, args.format, args.force,
                    progress=not args.quiet, argv=["resettle", *args.argv])
    print(f"wrote {out}")
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    """``resettle describe``."""
    from resettle.describe import as_text, describe
    from resettle.scenario import load_scenario

    result = describe(load_scenario(args.scenario), seed=args.seed)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else as_text(result))
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """``resettle params``."""
    from resettle.catalogue import catalogue, scenario_toml

    if args.toml:
        print(scenario_toml())
    else:
        table = catalogue()[["section", "name", "default", "unit", "source", "range"]]
        print(table.to_string(index=False))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """``resettle compare``."""
    from resettle.compare import run_comparison
    from resettle.comparison_report import write_comparison
    from resettle.fonts import check_fonts
    from resettle.outputs import check_destination
    from resettle.results import load_for_run

    scenarios = load_for_run(args.scenarios, args.years)
    out = args.out or Path("outputs") / f"compare-{'-'.join(s.name for s in scenarios)}"
    check_destination(out, args.force)
    check_fonts(args.lang)
    comp = run_comparison(scenarios, args.reps, args.seed, args.workers, args.metrics,
                          args.milestones, progress=not args.quiet)
    print(f"wrote {write_comparison(comp, out, args.force, ['resettle', *args.argv], args.lang)}")
    return 0


def cmd_switch_year(args: argparse.Namespace) -> int:
    """``resettle switch-year``."""
    from resettle.comparison_report import comparison_manifest
    from resettle.fonts import check_fonts
    from resettle.outputs import check_destination
    from resettle.scenario import load_scenario
    from resettle.switch_year import run_switch_year, switch_variants, write_switch_year

    base = load_scenario(args.scenario)
    years = args.years if args.years is not None else list(range(base.horizon_years + 1))
    switch_variants(base, years)  # validate before running anything
    out = args.out or Path("outputs") / f"switch-year-{base.name}"
    check_destination(out, args.force)
    check_fonts(args.lang)
    comp, table = run_switch_year(base, years, args.reps, args.seed, args.workers,
                                  progress=not args.quiet, metrics=args.metrics)
    manifest = comparison_manifest(comp, ["resettle", *args.argv])
    print(f"wrote {write_switch_year(comp, table, out, args.force, manifest, args.lang)}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """``resettle sweep``."""
    from resettle.sweep import copy_spec_text, run_sweep
    from resettle.sweep_spec import load_sweep

    if args.spec is None and args.resume is None:
        raise ScenarioError("sweep: give a SPEC file, or --resume DIR")
    if args.retry_failed and args.resume is None:
        raise ScenarioError("--retry-failed: give the sweep directory with --resume DIR")
    spec = load_sweep(args.spec) if args.spec else None
    out = args.resume or args.out or Path("outputs") / f"sweep-{spec.name}"
    text = copy_spec_text(args.spec) if args.spec else None
    executor, workers, close = make_executor(args)
    try:
        done = run_sweep(out, executor, workers, spec, text, resume=args.resume is not None,
                         retry_failed=args.retry_failed, progress=not args.quiet)
    except KeyboardInterrupt:
        print(f"resettle: interrupted; finished runs are saved in {out}; continue with "
              f"'resettle sweep --resume {out}'", file=sys.stderr)
        return 130
    except BrokenExecutor as err:
        print(f"resettle: a worker process died ({type(err).__name__}); finished runs are "
              f"saved in {out}; continue with 'resettle sweep --resume {out}'",
              file=sys.stderr)
        return 1
    finally:
        close()
    return report_sweep(done)


def make_executor(args: argparse.Namespace):
    """A Dask executor for --scheduler, else a local process pool."""
    from resettle.executors import dask_executor, local_executor
    from resettle.parallel import default_workers

    if args.scheduler:
        return dask_executor(args.scheduler)
    return local_executor(args.workers or default_workers())


def report_sweep(done) -> int:
    """Print the outcome; exit 1 if the sweep is not complete, saying why."""
    from resettle.sweep import failed_keys

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
    from resettle.analyze import analyse_sweep
    from resettle.fonts import check_fonts
    from resettle.outputs import check_destination
    from resettle.sweep_report import write_analysis

    out = args.out or args.sweep_dir / "analysis"
    check_destination(out, args.force)
    check_fonts(args.lang)
    analysis = analyse_sweep(args.sweep_dir, args.year)
    print(f"wrote {write_analysis(analysis, out, args.force, args.lang, ['resettle', *args.argv])}")
    return 0


COMMANDS = {"sweep": cmd_sweep, "analyze": cmd_analyze, "run": cmd_run, "compare": cmd_compare,
            "switch-year": cmd_switch_year, "describe": cmd_describe, "params": cmd_params,
            "dashboard": cmd_dashboard}

if __name__ == "__main__":
    sys.exit(main())
