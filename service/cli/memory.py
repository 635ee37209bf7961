"""`depeche memory import | export | clear`: the approved translations, in TMX or TSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..config import get_settings
from ..errors import ConfigurationError
from .io import read_bytes, read_text, write_bytes


def register(commands: Any) -> None:
    """Add the `memory` subcommand group."""
    parser = commands.add_parser("memory", help="import, export or clear approved translations")
    actions = parser.add_subparsers(dest="action", required=True)
    imported = actions.add_parser(
        "import", help="add approved translations from a .tmx file or source<TAB>English lines"
    )
    imported.add_argument("file")
    imported.set_defaults(run=run_import)
    exported = actions.add_parser("export", help="write every approved translation as TMX 1.4b")
    exported.add_argument("file", help="output .tmx file")
    exported.set_defaults(run=run_export)
    cleared = actions.add_parser("clear", help="remove every approved translation")
    cleared.add_argument("--yes", action="store_true", help="yes, remove them all")
    cleared.set_defaults(run=run_clear)


def _memory() -> Any:
    from ..approvals import ApprovedTranslations
    from ..store import open_store

    return ApprovedTranslations(open_store(get_settings()))


def run_import(args: argparse.Namespace) -> int:
    """Add a file's approved translations."""
    from .. import tmx

    if Path(args.file).suffix.lower() == ".tmx":
        imported = tmx.read(read_bytes(args.file), who="cli")
        approvals = imported.approvals
        for line in imported.skipped:
            print(f"depeche: {args.file}: {line}", file=sys.stderr)
    else:
        approvals = tmx.read_tsv(read_text(args.file), who="cli")
    memory = _memory()
    stored = memory.load(approvals)
    older = len(approvals) - stored
    kept = f" ({older} older than the approval held, which stays)" if older else ""
    print(f"imported {stored} approved translations{kept}")
    memory.store.close()
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the approved translations as TMX."""
    from .. import tmx

    memory = _memory()
    approvals = memory.all()
    write_bytes(args.file, tmx.write(approvals))
    print(f"exported {len(approvals)} approved translations")
    memory.store.close()
    return 0


def run_clear(args: argparse.Namespace) -> int:
    """Remove every approved translation (only with --yes)."""
    if not args.yes:
        raise ConfigurationError("this removes every approved translation: add --yes")
    memory = _memory()
    print(f"removed {memory.clear()} approved translations")
    memory.store.close()
    return 0
