"""`depeche cache stats | clear`: look at and empty the configured cache."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..config import get_settings


def register(commands: Any) -> None:
    """Add the `cache` subcommand group."""
    parser = commands.add_parser("cache", help="inspect or empty the response cache")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("stats", help="entries, size and backend").set_defaults(run=run_stats)
    actions.add_parser(
        "clear", help="remove every entry (what the store keeps is not touched)"
    ).set_defaults(run=run_clear)


def run_stats(args: argparse.Namespace) -> int:
    """Print the backend's statistics as JSON."""
    from ..pipeline import open_cache

    cache = open_cache(get_settings())
    print(json.dumps(cache.stats(), indent=2, default=str))
    cache.close()
    return 0


def run_clear(args: argparse.Namespace) -> int:
    """Remove every entry."""
    from ..pipeline import open_cache

    cache = open_cache(get_settings())
    print(f"removed {cache.clear()} entries")
    cache.close()
    return 0
