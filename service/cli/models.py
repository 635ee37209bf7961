"""`depeche models pull | convert DIR | list`: fetch, convert and show models."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..config import get_settings
from ..errors import ModelNotFoundError
from ..models import (
    ManifestEntry,
    ModelSource,
    drop_weights,
    load_manifest,
    pinned_revision,
    pull,
    resolve,
)

ROLES = ("translation", "summarization")


def register(commands: Any) -> None:
    """Add the `models` subcommand group."""
    parser = commands.add_parser("models", help="download, convert and list models")
    actions = parser.add_subparsers(dest="action", required=True)
    pull_parser = actions.add_parser(
        "pull", help="download the configured models (pinned by the manifest) and convert them"
    )
    pull_parser.add_argument(
        "roles",
        nargs="*",
        type=_role,
        metavar="ROLE",
        help="only these: translation, summarization (default: both)",
    )
    pull_parser.add_argument(
        "--drop-weights",
        action="store_true",
        help="once converted, delete the PyTorch weights of Hub models (serving-only images)",
    )
    pull_parser.set_defaults(run=run_pull)
    convert_parser = actions.add_parser("convert", help="convert a local Hugging Face folder")
    convert_parser.add_argument("directory", type=Path)
    convert_parser.set_defaults(run=run_convert)
    for command in (pull_parser, convert_parser):
        command.add_argument(
            "--compute-type",
            action="append",
            dest="compute_types",
            metavar="TYPE",
            help="store a conversion for this CTranslate2 compute type (repeatable; default: "
            "DEPECHE_COMPUTE_TYPE, else int8 on CPU and float16 on GPU). An image that serves "
            "on both takes --compute-type int8 --compute-type float16",
        )
    list_parser = actions.add_parser("list", help="show the models on disk")
    list_parser.set_defaults(run=run_list)


def _role(value: str) -> str:
    """A model role named on the command line."""
    if value not in ROLES:
        raise argparse.ArgumentTypeError(f"unknown model role {value!r}: use {' or '.join(ROLES)}")
    return value


def _convert(source: ModelSource, compute_types: list[str] | None) -> list[Path]:
    from ..engines import resolve_device
    from ..engines.ctranslate2 import convert, default_compute_type

    settings = get_settings()
    wanted = compute_types or [
        settings.compute_type or default_compute_type(resolve_device(settings.device))
    ]
    return [convert(source, settings.models_dir, kind) for kind in dict.fromkeys(wanted)]


def run_pull(args: argparse.Namespace) -> int:
    """Make the configured models ready to serve, then convert each to CTranslate2.

    A Hub id is downloaded at the manifest's revision; a local folder is used as it is; a
    disabled summarizer (`none`) is skipped.
    """
    settings = get_settings()
    manifest = load_manifest(settings.manifest)
    configured = {
        "translation": settings.translation_model,
        "summarization": settings.summarization_model if settings.summarization_enabled else None,
    }
    for role, spec in configured.items():
        if args.roles and role not in args.roles:
            continue
        if spec is None:
            print(f"{role}: disabled")
            continue
        if Path(spec).expanduser().is_dir():
            source = resolve(spec, settings.models_dir, manifest)
            print(f"{role}: local folder {source.path}")
        else:
            entry = ManifestEntry(role, spec, pinned_revision(spec, manifest))
            print(f"{role}: {entry.id}@{entry.revision[:12]}: downloading")
            source = pull(entry, settings.models_dir, offline=settings.offline)
        for path in _convert(source, args.compute_types):
            print(f"{role}: converted to {path}")
        if args.drop_weights and (freed := drop_weights(source)):
            print(f"{role}: dropped {freed / 1e6:.1f} MB of PyTorch weights")
    from .. import language

    print(f"language identifier: unpacked to {language.unpack(settings.models_dir)}")
    return 0


def run_convert(args: argparse.Namespace) -> int:
    """Convert a local Hugging Face directory to CTranslate2."""
    settings = get_settings()
    source = resolve(str(args.directory), settings.models_dir, load_manifest(settings.manifest))
    for path in _convert(source, args.compute_types):
        print(path)
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Show the manifest's models and every CTranslate2 conversion on disk."""
    settings = get_settings()
    manifest = load_manifest(settings.manifest)
    for role, entry in manifest.items():
        try:
            source = resolve(entry.id, settings.models_dir, manifest)
            state = f"downloaded ({_size(source.path)})"
        except ModelNotFoundError:
            state = "not downloaded (depeche models pull)"
        print(f"{role:14} {entry.id}@{entry.revision[:12]}  {state}")
    converted = settings.models_dir / "ctranslate2"
    for path in sorted(converted.glob("[!.]*")) if converted.is_dir() else []:
        print(f"{'ctranslate2':14} {path.name}  {_size(path)}")
    return 0


def _size(path: Path) -> str:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return f"{total / 1e6:.1f} MB"
