"""Model management: the manifest of default models, and where their files live on disk."""

from service.models.manifest import ManifestEntry, load_manifest
from service.models.store import ModelSource, content_hash, pull, resolve

__all__ = ["ManifestEntry", "ModelSource", "content_hash", "load_manifest", "pull", "resolve"]
