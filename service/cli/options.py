"""Argument types of the CLI's options (a bad value is one line naming what is accepted), and
options several commands share."""

from __future__ import annotations

import argparse
from typing import Any


def _integer(value: str, least: int, wanted: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not {wanted}") from None
    if number < least:
        raise argparse.ArgumentTypeError(f"{value!r} is not {wanted}")
    return number


def positive(value: str) -> int:
    """An integer of at least 1."""
    return _integer(value, 1, "a whole number of at least 1")


def natural(value: str) -> int:
    """An integer of at least 0."""
    return _integer(value, 0, "a whole number of at least 0")


def add_server_options(group: Any) -> None:
    """`--server` and its options: articles sent to a depeche service instead of models
    loaded here (folder runs and `depeche watch`)."""
    group.add_argument("--server", help="send articles to a depeche service at this URL")
    group.add_argument(
        "--concurrency", type=positive, default=4, help="requests at once (--server)"
    )
    group.add_argument("--api-key", help="API key for --server")
    group.add_argument(
        "--retries",
        type=natural,
        default=6,
        help="times to ask a busy server again (429, 503), waiting as it says (--server)",
    )


def glossary_override(args: argparse.Namespace) -> dict[str, Any]:
    """The translator setting `--glossary` gives (none: the environment's)."""
    return {"glossary": args.glossary} if args.glossary else {}
