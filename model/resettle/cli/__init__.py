"""The ``resettle`` command: a thin layer over the library.

    resettle run SCENARIO [SCENARIO ...] [--years Y] [--reps N] [--seed S] [--out DIR]
    resettle compare SCENARIO [SCENARIO ...] [--reps N] [--seed S] [--workers W] [--out DIR]
                     [--lang en|zh|en,zh]
    resettle switch-year BASE_SCENARIO [--years 0,1,...] [--reps N] [--workers W] [--out DIR]
                     [--lang en|zh|en,zh]
    resettle sweep SPEC [--workers W | --scheduler ADDRESS] [--out DIR]
    resettle sweep --resume DIR [--retry-failed]
    resettle worlds SPEC [--workers W | --scheduler ADDRESS] [--out DIR]
    resettle worlds --resume DIR [--retry-failed]
    resettle decide SPEC [--workers W | --scheduler ADDRESS] [--out DIR] [--lang en|zh|en,zh]
                    [--precision H [--min-reps N] [--max-reps N]]
    resettle decide --resume DIR [--retry-failed]
    resettle analyze SWEEP_DIR [--year Y] [--out DIR] [--lang en|zh|en,zh]
    resettle dashboard [SCENARIO ...] [--lang en|zh] [--host H] [--port P]
    resettle describe SCENARIO [--json] [--seed S]
    resettle params [--toml]

A user's mistake (bad scenario, bad argument, occupied output directory) prints one line,
``resettle: error: ...``, and exits with status 2; nothing is written. ``parser`` holds the
grammar, ``commands`` what each command does, ``main`` the entry point.
"""

from resettle.cli.main import main
from resettle.cli.parser import build_parser

__all__ = ["build_parser", "main"]
