"""The command-line grammar of ``resettle``: every command, option and argument type.

Arguments are validated here, at parse time, where argparse can do it (whole numbers, lists,
languages, ports); what needs a file or a model is validated by the command. Usage errors
print one line (exit 2).
"""

from __future__ import annotations

import argparse
import ipaddress
import re
from pathlib import Path

from resettle._version import __version__
from resettle.dashboard.serve import DEFAULT_HOST, DEFAULT_PORT, MAX_PORT
from resettle.experiments.defaults import (
    DEFAULT_REPS,
    MAX_PRECISION_REPS,
    MIN_PRECISION_REPS,
    SWITCH_YEAR_REPS,
)
from resettle.params.scenario import MAX_HORIZON_YEARS
from resettle.store.tables import FORMATS
from resettle.text.labels import LANGS

EXIT_USAGE = 2  # a user's mistake
MAX_LIST_RANGE = MAX_HORIZON_YEARS  # a list of years spans at most a horizon (0-100)
EXIT_INTERRUPTED = 130  # the shell's code for a process stopped by Ctrl-C (128 + SIGINT)
DESCRIPTION = "resettle: simulate governance schemes of a wholesale-resettlement community"


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


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text}")
    return value
seed_int = whole_number(0)


def int_list(text: str) -> list[int]:
    """argparse type: comma-separated whole numbers, e.g. 3,5,10,15 (ranges like 0-15 too)."""
    values: list[int] = []
    try:
        for part in text.split(","):
            lo, _, hi = part.strip().partition("-")
            if hi and int(hi) < int(lo):
                raise argparse.ArgumentTypeError(f"the range {part.strip()!r} runs backwards; "
                                                 f"write it low-high, e.g. {hi}-{lo}")
            if hi and int(hi) - int(lo) > MAX_LIST_RANGE:
                raise argparse.ArgumentTypeError(f"the range {part.strip()!r} is longer than "
                                                 f"{MAX_LIST_RANGE + 1} years")
            values += list(range(int(lo), int(hi) + 1)) if hi else [int(lo)]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers like 3,5,10 or 0-15, "
                                         f"got {text!r}") from None
    return values


def lang_list(text: str) -> list[str]:
    """argparse type: report languages, one or a comma list (en, zh, en,zh); the first writes
    report.md, each other L writes report.L.md with its figures in L/."""
    langs = list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))
    bad = [lang for lang in langs if lang not in LANGS]
    if bad or not langs:
        raise argparse.ArgumentTypeError(
            f"expected {' or '.join(LANGS)}, or a comma list such as {','.join(LANGS)}; "
            f"got {text!r}")
    return langs


def name_list(text: str) -> list[str]:
    """argparse type: comma-separated names, at least one."""
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"expected one or more comma-separated names, got "
                                         f"{text!r}")
    return names


def port_number(text: str) -> int:
    """argparse type: a TCP port, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number in [1, {MAX_PORT}]")
    return port


HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")  # RFC 1123
MAX_HOST_NAME = 253


def host_address(text: str) -> str:
    """argparse type: an IP address or a host name (RFC 1123; its last label not numeric)."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    labels = text.removesuffix(".").split(".")
    if len(text) <= MAX_HOST_NAME and all(HOST_LABEL.fullmatch(p) for p in labels) \
            and not labels[-1].isdigit():
        return text
    raise argparse.ArgumentTypeError(f"{text!r} is not an IP address or host name (e.g. "
                                     "127.0.0.1, 0.0.0.0, ::1 or localhost)")


class Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line (exit 2) instead of usage + message."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"resettle: error: {message} (see resettle --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = Parser(prog="resettle", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"resettle {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for add in (add_run, add_compare, add_switch_year, add_sweep, add_worlds, add_decide,
                add_analyze, add_dashboard, add_describe, add_params):
        add(sub)
    return parser


def add_run(sub) -> None:
    """``resettle run``'s arguments."""
    run = sub.add_parser("run", help="run scenarios and write the monthly table, snapshot, figure")
    run.add_argument("scenarios", nargs="+", type=Path, metavar="SCENARIO")
    run.add_argument("--years", type=positive_int, help="horizon in years (default: scenario's)")
    run.add_argument("--reps", type=positive_int, default=1, help="replications (default 1)")
    run.add_argument("--seed", type=seed_int, default=0, help="root seed (default 0)")
    run.add_argument("--out", type=Path, help="output directory (default outputs/run-NAMES)")
    run.add_argument("--format", choices=FORMATS, default="parquet", help="table format")
    run.add_argument("--force", action="store_true", help="replace an existing output directory")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    add_yes(run)


def add_yes(p: argparse.ArgumentParser) -> None:
    """The --yes option of the commands that start runs."""
    p.add_argument("--yes", action="store_true",
                   help="start a study larger than the ceilings (runs, residents, memory)")


def add_lang(p: argparse.ArgumentParser) -> None:
    """The --lang option of the commands that write reports."""
    p.add_argument("--lang", type=lang_list, default=["en"], metavar="LANG",
                   help="report and figure language: en, zh, or both as en,zh (the first "
                        "writes report.md, the others report.LANG.md; default en)")


def add_common(p: argparse.ArgumentParser, reps: int) -> None:
    """Options shared by compare and switch-year."""
    p.add_argument("--reps", type=positive_int,
                   help=f"replications per scenario (default {reps})")
    p.add_argument("--seed", type=seed_int, default=0, help="root seed (default 0)")
    p.add_argument("--workers", type=positive_int, help="worker processes (default: all cores)")
    p.add_argument("--metrics", type=name_list, help="comma-separated metrics to report")
    p.add_argument("--out", type=Path, help="output directory")
    p.add_argument("--force", action="store_true", help="replace an existing output directory")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar (nor --precision's line per round)")
    add_lang(p)
    add_yes(p)


def add_compare(sub) -> None:
    """``resettle compare``'s arguments."""
    p = sub.add_parser("compare", help="compare scenarios: report with CIs, tests, figures")
    p.add_argument("scenarios", nargs="+", type=Path, metavar="SCENARIO")
    add_common(p, DEFAULT_REPS)
    p.add_argument("--years", type=positive_int, help="run every scenario to this horizon")
    p.add_argument("--milestones", type=int_list, help="years to report (default 3,5,10,15)")
    add_precision(p, "every 95%% CI half-width", "instead of --reps")


def add_precision(p: argparse.ArgumentParser, widths: str, instead: str) -> None:
    """--precision, --min-reps and --max-reps (compare, decide): ``widths`` says which
    half-widths, ``instead`` what the rounds replace."""
    p.add_argument("--precision", type=positive_float, metavar="H",
                   help=f"add replications in rounds until {widths} is <= H ({instead})")
    p.add_argument("--min-reps", type=whole_number(2),
                   help=f"--precision: the first round's N (default {MIN_PRECISION_REPS})")
    p.add_argument("--max-reps", type=whole_number(2),
                   help=f"--precision: the most N (default {MAX_PRECISION_REPS})")


def add_switch_year(sub) -> None:
    """``resettle switch-year``'s arguments."""
    p = sub.add_parser("switch-year", help="run a phased scenario for each switch year")
    p.add_argument("scenario", type=Path, metavar="BASE_SCENARIO")
    add_common(p, SWITCH_YEAR_REPS)
    p.add_argument("--years", type=int_list, help="switch years (default 0 to the horizon)")


def add_sweep(sub) -> None:
    """``resettle sweep``'s arguments."""
    p = sub.add_parser("sweep", help="run a parameter sweep (resumable; local or Dask)")
    add_sweep_options(p, "sweep", "sweep")


def add_worlds(sub) -> None:
    """``resettle worlds``'s arguments: a sweep's."""
    p = sub.add_parser("worlds", help="sample plausible worlds and filter them by the study's "
                                      "facts and patterns (a resumable sweep; local or Dask)")
    add_sweep_options(p, "worlds", "ensemble")


def add_decide(sub) -> None:
    """``resettle decide``'s arguments: a sweep's, and the report's languages."""
    p = sub.add_parser("decide", help="compare policies over plausible worlds: regret, "
                                      "satisficing, the robust choice and where it fails (a "
                                      "resumable sweep; local or Dask)")
    add_sweep_options(p, "decide", "study")
    add_lang(p)
    add_precision(p, "every 95%% half-width of a regret in regret.csv",
                  "instead of the spec's replications; recorded for --resume")


def add_sweep_options(p: argparse.ArgumentParser, what: str, noun: str) -> None:
    """The arguments of the commands that run a sweep (``what``: sweep, worlds; ``noun``:
    what it makes, in the help)."""
    p.add_argument("spec", nargs="?", type=Path, metavar="SPEC")
    p.add_argument("--workers", type=positive_int, help="local worker processes (default: all)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786")
    p.add_argument("--out", type=Path, help=f"{what} directory (default outputs/{what}-NAME)")
    p.add_argument("--resume", type=Path, metavar="DIR", help=f"continue an interrupted {noun}")
    p.add_argument("--retry-failed", action="store_true", help="re-run only the failed runs")
    p.add_argument("--allow-code-change", action="store_true",
                   help=f"resume even though the model changed since the {noun} started "
                        "(recorded in sweep.json)")
    add_yes(p)
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar (nor --precision's line per round)")


def add_analyze(sub) -> None:
    """``resettle analyze``'s arguments."""
    p = sub.add_parser("analyze", help="sensitivity and scenario discovery of a finished sweep")
    p.add_argument("sweep_dir", type=Path, metavar="DIR")
    p.add_argument("--year", type=positive_int, help="year to analyse (default: the last kept)")
    p.add_argument("--out", type=Path, help="output directory (default DIR/analysis)")
    p.add_argument("--force", action="store_true", help="replace an existing output directory")
    add_lang(p)


def add_dashboard(sub) -> None:
    """``resettle dashboard``'s arguments."""
    p = sub.add_parser("dashboard", help="explore a scenario live in the browser (SolaraViz)")
    p.add_argument("scenarios", nargs="*", type=Path, metavar="SCENARIO",
                   help="extra scenario files to offer beside the built-in schemes")
    p.add_argument("--lang", choices=LANGS, default="en", help="dashboard language (default en)")
    p.add_argument("--host", type=host_address, default=DEFAULT_HOST,
                   help=f"address to serve on ({DEFAULT_HOST})")
    p.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                   help=f"port to serve on (default {DEFAULT_PORT})")


def add_describe(sub) -> None:
    """``resettle describe``'s arguments."""
    p = sub.add_parser("describe", help="print the initial community of a scenario")
    p.add_argument("scenario", type=Path, metavar="SCENARIO")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--seed", type=seed_int, default=0)


def add_params(sub) -> None:
    """``resettle params``'s arguments."""
    p = sub.add_parser("params", help="list every parameter with unit, source and range")
    p.add_argument("--toml", action="store_true", help="print a complete scenario file")
