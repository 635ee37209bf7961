"""`depeche serve`: run the HTTP service with uvicorn."""

from __future__ import annotations

import argparse
from typing import Any

from service.config import get_settings


def register(commands: Any) -> None:
    """Add the `serve` subcommand."""
    parser = commands.add_parser("serve", help="run the HTTP service")
    parser.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8000)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    import uvicorn

    from service.api import create_app
    from service.api.server import server_config
    from service.cli import quiet_libraries

    quiet_libraries()
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = get_settings().model_copy(update=overrides)
    uvicorn.Server(server_config(create_app(settings), settings)).run()
    return 0
