"""``main(argv) -> int``: parse (``resettle.cli.parser``), dispatch (``resettle.cli.commands``),
and the one place where a user's mistake (a ``ResettleError``) becomes one line on stderr and
exit status 2, and a file system that fails during the work (a disk that fills, say) one line
and exit status 1. Results are written atomically (``resettle.store.atomic``), so such a failure
leaves nothing half-written and an earlier result untouched."""

from __future__ import annotations

import sys

from resettle.cli.commands import COMMANDS
from resettle.cli.parser import EXIT_INTERRUPTED, EXIT_USAGE, build_parser
from resettle.errors import ResettleError, RunFailure, reason

EXIT_FAILED = 1  # the work failed for a reason outside the user's input (the disk filled)


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
    except ResettleError as err:
        print(f"resettle: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except RunFailure as err:
        print(f"resettle: error: {err}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        print(f"resettle: error: {where}{reason(err)}; nothing half-written was left and any "
              "earlier result is untouched", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("resettle: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
