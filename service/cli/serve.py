"""`depeche serve`: run the HTTP service with uvicorn."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..config import get_settings

SWITCH_INTERVAL_S = 0.001


def register(commands: Any) -> None:
    """Add the `serve` subcommand."""
    parser = commands.add_parser("serve", help="run the HTTP service")
    parser.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8000)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    from ..api import create_app
    from ..api.server import DrainingServer, server_config

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = get_settings().with_overrides(overrides)
    # Request threads run Python between engine calls; the event loop, which answers health
    # checks and refusals, would wait up to 5 ms (CPython's default) for the GIL at each step.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = create_app(settings)
    services = app.state.services
    DrainingServer(server_config(app, settings), settings.shutdown_drain_s, services.drain).run()
    return 0
