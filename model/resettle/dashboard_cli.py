"""``resettle dashboard``: serve the SolaraViz dashboard (resettle.app) with Solara's server."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from resettle.labels import LANGS

DEFAULT_HOST = "127.0.0.1"  # loopback: the dashboard is for the person at this machine
DEFAULT_PORT = 8765  # Solara's own default port
MAX_PORT = 65535
# Solara's server reports usage to a third party by default; the dashboard sends nothing
NO_TELEMETRY = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}


def port_number(text: str) -> int:
    """argparse type: a TCP port, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number in [1, {MAX_PORT}]")
    return port


def add_dashboard(sub) -> None:
    """``resettle dashboard``'s arguments."""
    p = sub.add_parser("dashboard", help="explore a scenario live in the browser (SolaraViz)")
    p.add_argument("scenarios", nargs="*", type=Path, metavar="SCENARIO",
                   help="extra scenario files to offer beside the built-in schemes")
    p.add_argument("--lang", choices=LANGS, default="en", help="dashboard language (default en)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to serve on ({DEFAULT_HOST})")
    p.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                   help=f"port to serve on (default {DEFAULT_PORT})")


def server_command(host: str, port: int) -> list[str]:
    """The Solara server command line for the dashboard."""
    return [sys.executable, "-m", "solara", "run", "resettle.app", "--host", host,
            "--port", str(port), "--no-open", "--production"]


def cmd_dashboard(args: argparse.Namespace) -> int:
    """``resettle dashboard``: check the scenario files, then run the server until stopped."""
    from resettle.dashboard import LANG_ENV, SCENARIO_FILES_ENV
    from resettle.fonts import check_fonts
    from resettle.scenario import load_scenario

    for path in args.scenarios:
        load_scenario(path)  # a bad file stops here with one line (ScenarioError)
    check_fonts([args.lang])  # no Chinese font: one line saying what to install (FontError)
    env = dict(os.environ, **{LANG_ENV: args.lang, SCENARIO_FILES_ENV: os.pathsep.join(
        str(p.resolve()) for p in args.scenarios)}, **NO_TELEMETRY)
    print(f"resettle: dashboard at http://{args.host}:{args.port}/ (Ctrl-C stops it)",
          file=sys.stderr, flush=True)
    command = server_command(args.host, args.port)
    os.execve(command[0], command, env)  # the server replaces this process: signals reach it


__all__ = ["add_dashboard", "cmd_dashboard"]
