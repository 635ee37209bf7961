"""`depeche store export | import`: everything in the store as one portable file."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import get_settings
from ..errors import InputError


def register(commands: Any) -> None:
    """Add the `store` subcommand group."""
    parser = commands.add_parser(
        "store", help="export or import everything the store keeps (a backup, a move)"
    )
    actions = parser.add_subparsers(dest="action", required=True)
    exported = actions.add_parser(
        "export",
        help="write approved translations, suggestions, glossaries, documents and usage "
        "as one JSON Lines file",
    )
    exported.add_argument("file", help="output file (- for standard output)")
    exported.set_defaults(run=run_export)
    imported = actions.add_parser(
        "import", help="load a file written by `store export` (records of the same id replaced)"
    )
    imported.add_argument("file", help="input file (- for standard input)")
    imported.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    """Write the whole store to a file, replaced only once complete."""
    from ..store import open_store
    from ..store.portable import dump

    store = open_store(get_settings())
    try:
        if args.file == "-":
            count = _write(dump(store), sys.stdout)
        else:
            target = Path(args.file)
            partial = target.with_name(f".{target.name}.partial")
            try:
                with partial.open("w", encoding="utf-8") as out:
                    count = _write(dump(store), out)
                os.replace(partial, target)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise InputError(f"{args.file}: cannot write: {exc.strerror}") from None
    finally:
        store.close()
    print(f"exported {count} records", file=sys.stderr if args.file == "-" else sys.stdout)
    return 0


def _write(lines: Iterator[str], out: Any) -> int:
    count = -1  # the header is not a record
    for line in lines:
        out.write(line)
        count += 1
    return max(count, 0)


def run_import(args: argparse.Namespace) -> int:
    """Load a file written by `store export`, in one transaction."""
    from ..store import open_store
    from ..store.portable import load

    store = open_store(get_settings())
    try:
        if args.file == "-":
            count = load(store, sys.stdin)
        else:
            try:
                with open(args.file, encoding="utf-8") as lines:
                    count = load(store, lines)
            except FileNotFoundError:
                raise InputError(f"{args.file}: no such file") from None
            except UnicodeDecodeError as exc:
                raise InputError(f"{args.file}: not UTF-8 text (byte {exc.start})") from None
            except OSError as exc:
                raise InputError(f"{args.file}: cannot read: {exc.strerror}") from None
    finally:
        store.close()
    print(f"imported {count} records")
    return 0
