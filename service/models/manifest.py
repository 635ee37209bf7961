"""`models/manifest.toml`: the default models, each pinned to a Hub revision."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigurationError


@dataclass(frozen=True)
class ManifestEntry:
    """One pinned model: its role (`translation`, `summarization`), Hub id and revision."""

    role: str
    id: str
    revision: str


def load_manifest(path: Path) -> dict[str, ManifestEntry]:
    """Read the manifest; keys are roles."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"cannot read the model manifest {path}: {exc}") from exc
    return {
        role: ManifestEntry(role=role, id=entry["id"], revision=entry["revision"])
        for role, entry in data.items()
    }
