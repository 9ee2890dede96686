"""The ``resettle`` command: a thin layer over the library.

    resettle run SCENARIO [SCENARIO ...] [--years Y] [--reps N] [--seed S] [--out DIR]
    resettle describe SCENARIO [--json] [--seed S]
    resettle params [--toml]

A user's mistake (bad scenario, bad argument, occupied output directory) prints one line,
``resettle: error: ...``, and exits with status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from resettle import __version__
from resettle.errors import ScenarioError

EXIT_USAGE = 2
FORMATS = ("parquet", "csv")


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def seed_int(text: str) -> int:
    """argparse type: an integer >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


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
    desc = sub.add_parser("describe", help="print the initial community of a scenario")
    desc.add_argument("scenario", type=Path, metavar="SCENARIO")
    desc.add_argument("--json", action="store_true", help="machine-readable output")
    desc.add_argument("--seed", type=seed_int, default=0)
    params = sub.add_parser("params", help="list every parameter with unit, source and range")
    params.add_argument("--toml", action="store_true", help="print a complete scenario file")
    return parser


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


COMMANDS = {"run": cmd_run, "describe": cmd_describe, "params": cmd_params}

if __name__ == "__main__":
    sys.exit(main())
