"""Model management: the manifest of default models, and where their files live on disk."""

from .manifest import ManifestEntry, load_manifest
from .store import (
    ModelSource,
    content_hash,
    drop_weights,
    pinned_revision,
    pull,
    resolve,
)

__all__ = [
    "ManifestEntry",
    "ModelSource",
    "content_hash",
    "drop_weights",
    "load_manifest",
    "pinned_revision",
    "pull",
    "resolve",
]
