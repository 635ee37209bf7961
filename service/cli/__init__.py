"""The `depeche` command. Domain errors become one line on stderr and an exit code, here only."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..errors import (
    ConfigurationError,
    DepecheError,
    InputError,
    ItemError,
    ModelError,
    ModelNotFoundError,
)

# Exit codes: 2 is bad usage or unusable input (as argparse does), 1 is anything else.
EXIT_CODES: dict[type[DepecheError], int] = {
    ItemError: 2,
    InputError: 2,
    ConfigurationError: 2,
    ModelNotFoundError: 1,
    ModelError: 1,
    DepecheError: 1,
}


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake said in one line (and exit 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _Version(argparse.Action):
    """`--version`, looked up only when asked for (reading package metadata takes time)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        from .. import __version__

        print(f"depeche {__version__}")
        parser.exit()


class _Warning(logging.Formatter):
    """A warning as one line, said like errors are."""

    def format(self, record: logging.LogRecord) -> str:
        return f"depeche: {record.levelname.lower()}: {record.getMessage()}"


def _say_setting_warnings() -> None:
    """Warnings about the settings (a `DEPECHE_*` variable that is no setting) on stderr."""
    logger = logging.getLogger("depeche.config")
    if not logger.handlers:
        handler = logging.StreamHandler()  # stderr, looked up when written to
        handler.setFormatter(_Warning())
        logger.addHandler(handler)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from . import cache, feeds, memory, models, serve, store, summarize, translate, watch

    parser = _Parser(prog="depeche", description="French-to-English translation for newsrooms.")
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    translate.register(commands)
    summarize.register(commands)
    models.register(commands)
    serve.register(commands)
    cache.register(commands)
    memory.register(commands)
    store.register(commands)
    watch.register(commands)
    feeds.register(commands)
    return parser


def exit_code(error: DepecheError) -> int:
    """The exit code of a domain error (the most specific entry of `EXIT_CODES`)."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `depeche` console script."""
    # Starting a command makes tens of thousands of objects that live as long as the process
    # (modules, classes, validators). The cycle collector would walk them over and over while
    # they are made, and again at exit: it waits until they are made, then leaves them out of
    # every later collection.
    gc.disable()
    try:
        from ..config import get_settings

        args = build_parser().parse_args(argv)
    finally:
        gc.freeze()
        gc.enable()
    _say_setting_warnings()
    try:
        get_settings()  # a bad DEPECHE_* value is said before any work starts
        return int(args.run(args) or 0)
    except DepecheError as error:
        print(f"depeche: error: {error}", file=sys.stderr)
        return exit_code(error)
    except KeyboardInterrupt:
        return 130
