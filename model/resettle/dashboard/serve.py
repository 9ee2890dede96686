"""Serving the dashboard (:mod:`resettle.dashboard.page`) with Solara's server: what
``resettle dashboard`` runs after its arguments are parsed (``resettle.cli.parser``)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"  # loopback: the dashboard is for the person at this machine
DEFAULT_PORT = 8765  # Solara's own default port
MAX_PORT = 65535
# Solara's server reports usage to a third party by default; the dashboard sends nothing
NO_TELEMETRY = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}


def server_command(host: str, port: int) -> list[str]:
    """The Solara server command line for the dashboard."""
    return [sys.executable, "-m", "solara", "run", "resettle.app", "--host", host,
            "--port", str(port), "--no-open", "--production"]


def serve(scenarios: list[Path], lang: str, host: str, port: int) -> None:
    """Check the scenario files and the font, then replace this process by the server (so
    that signals reach it). Raises ScenarioError or FontError (one line) before serving."""
    from resettle.dashboard.model import LANG_ENV, SCENARIO_FILES_ENV
    from resettle.params.scenario import load_scenario
    from resettle.text.fonts import check_fonts, names_shown

    loaded = [load_scenario(path) for path in scenarios]  # a bad file: one line (ScenarioError)
    check_fonts([lang], names_shown(loaded))  # no font for them: one line saying what to install
    check_address(host, port)
    env = dict(os.environ, **{LANG_ENV: lang, SCENARIO_FILES_ENV: os.pathsep.join(
        str(p.resolve()) for p in scenarios)}, **NO_TELEMETRY)
    print(f"resettle: dashboard at http://{host}:{port}/ (Ctrl-C stops it)",
          file=sys.stderr, flush=True)
    command = server_command(host, port)
    os.execve(command[0], command, env)  # the server replaces this process: signals reach it


def check_address(host: str, port: int) -> None:
    """Refuse, in one line, an address this machine cannot serve on (not one of its own, or
    the port taken), before the server starts."""
    from resettle.errors import ScenarioError, reason

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as err:
        raise ScenarioError(f"--host {host} --port {port}: cannot serve there "
                            f"({reason(err)})") from None
