"""Stored glossaries: kept in the cache backend's records (SQLite or Redis), so they survive
a restart and every replica on the same store sees them; never evicted, never cleared with
the cache."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from .cache import Cache
from .errors import NotFoundError
from .glossary import Glossary

KIND = "glossary"


@dataclass(frozen=True)
class StoredGlossary:
    """A glossary with the id and creation time the store gave it."""

    glossary_id: str
    created: str  # ISO 8601, UTC
    glossary: Glossary

    def info(self) -> dict[str, object]:
        """What DeepL's glossary routes answer for it."""
        return {
            "glossary_id": self.glossary_id,
            "name": self.glossary.name,
            "ready": True,
            "source_lang": "fr",
            "target_lang": "en",
            "creation_time": self.created,
            "entry_count": len(self.glossary.entries),
        }


class Glossaries:
    """Create, list, read and delete glossaries in `cache`'s store."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def create(self, glossary: Glossary) -> StoredGlossary:
        """Store `glossary` under a new id."""
        stored = StoredGlossary(
            str(uuid.uuid4()),
            datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            glossary,
        )
        self._put(stored)
        return stored

    def update(self, stored: StoredGlossary, glossary: Glossary) -> StoredGlossary:
        """`stored` with `glossary`'s name and entries, under the same id and creation time."""
        updated = StoredGlossary(stored.glossary_id, stored.created, glossary)
        self._put(updated)
        return updated

    def _put(self, stored: StoredGlossary) -> None:
        glossary = stored.glossary
        value = {"name": glossary.name, "created": stored.created, "entries": glossary.entries}
        self.cache.put_record(KIND, stored.glossary_id, json.dumps(value).encode())

    def list(self) -> list[StoredGlossary]:
        """Every stored glossary, oldest first."""
        found = [_read(key, value) for key, value in self.cache.records(KIND).items()]
        return sorted(found, key=lambda g: (g.created, g.glossary_id))

    def get(self, glossary_id: str) -> StoredGlossary:
        """The glossary of `glossary_id`; `NotFoundError` when there is none."""
        value = self.cache.records(KIND, [glossary_id]).get(glossary_id)
        if value is None:
            raise NotFoundError(f"glossary {glossary_id!r} not found")
        return _read(glossary_id, value)

    def delete(self, glossary_id: str) -> None:
        """Remove a glossary; `NotFoundError` when there is none."""
        if not self.cache.delete_record(KIND, glossary_id):
            raise NotFoundError(f"glossary {glossary_id!r} not found")


def _read(glossary_id: str, value: bytes) -> StoredGlossary:
    data = json.loads(value)
    entries = tuple((source, target) for source, target in data["entries"])
    return StoredGlossary(glossary_id, data["created"], Glossary(entries, data["name"]))
