"""Stored glossaries: a glossary (`depeche.glossary`) kept in the store, so that it survives a
restart and every replica on the same store sees it; each belongs to the tenant that made it
(`tenants`)."""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from ..errors import DepecheError, NotFoundError
from ..glossary import Glossary
from ..tenants import Tenant
from .base import Store
from .records import GlossaryRecord, check_text, now_iso

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredGlossary:
    """A glossary with the id and creation time the store gave it, and its owner."""

    glossary_id: str
    created: str  # ISO 8601, UTC
    glossary: Glossary
    owner: str = ""

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


class StoredGlossaries:
    """Create, list, read and delete the glossaries `tenant` sees in `store`. Another
    tenant's glossary is not found, whatever the call."""

    def __init__(self, store: Store, tenant: Tenant) -> None:
        self.store = store
        self.tenant = tenant

    def create(self, glossary: Glossary) -> StoredGlossary:
        """Store `glossary` under a new id, owned by the tenant."""
        check_text(glossary.name, "the glossary's name")
        record = GlossaryRecord(
            str(uuid.uuid4()),
            self.tenant.owner,
            glossary.name,
            now_iso("milliseconds"),
            glossary.entries,
        )
        self.store.glossaries.put(record)
        return StoredGlossary(record.id, record.created, glossary, record.owner)

    def update(self, stored: StoredGlossary, glossary: Glossary) -> StoredGlossary:
        """`stored` with `glossary`'s name and entries, under the same id, creation time and
        owner; `NotFoundError` when the tenant may not change it."""
        managed = self.tenant.manages
        if managed is not None and stored.owner not in managed:
            raise NotFoundError(f"glossary {stored.glossary_id!r} not found")
        check_text(glossary.name, "the glossary's name")
        record = GlossaryRecord(
            stored.glossary_id, stored.owner, glossary.name, stored.created, glossary.entries
        )
        self.store.glossaries.put(record)
        return StoredGlossary(record.id, record.created, glossary, record.owner)

    def list(self) -> list[StoredGlossary]:
        """The tenant's glossaries, oldest first (one that cannot be read is skipped)."""
        found = (_read(r) for r in self.store.glossaries.all(self.tenant.sees))
        return [g for g in found if g is not None]

    def get(self, glossary_id: str) -> StoredGlossary:
        """The glossary of `glossary_id`; `NotFoundError` when the tenant has none. While no
        glossary has changed since it was read (one indexed read says so), the same one
        comes again: its entries are neither read nor parsed, and its digest is computed
        once (a request that names a stored glossary, answered from the cache, pays for one
        row)."""
        generation = self.store.glossaries.generation()
        read = _Read.of(self.store, generation)
        sees = self.tenant.sees
        stored = read.found.get((glossary_id, sees))
        if stored is None:
            record = self.store.glossaries.get(glossary_id, self.tenant.sees)
            stored = _read(record) if record is not None else None
            if stored is None:
                raise NotFoundError(f"glossary {glossary_id!r} not found")
            read.found[(glossary_id, sees)] = stored
        return stored

    def delete(self, glossary_id: str) -> None:
        """Remove a glossary; `NotFoundError` when the tenant has none it may delete."""
        if not self.store.glossaries.delete(glossary_id, self.tenant.manages):
            raise NotFoundError(f"glossary {glossary_id!r} not found")


def _read(record: GlossaryRecord) -> StoredGlossary | None:
    """The glossary of a stored record, or None (logged) when its entries are not a glossary
    any more (written by another tool)."""
    try:
        # Checked as when it was made; a glossary whose dictionary was deleted is empty.
        glossary = Glossary.of(record.entries, record.name) if record.entries else None
    except DepecheError as exc:
        log.warning("glossary %s skipped: it cannot be read (%s)", record.id, exc)
        return None
    glossary = glossary or Glossary((), record.name)
    return StoredGlossary(record.id, record.created, glossary, record.owner)


@dataclass
class _Read:
    """The glossaries read from one store at one generation of its glossaries, by (id, the
    owners the reader sees)."""

    generation: str
    found: dict[tuple[str, tuple[str, ...] | None], StoredGlossary] = field(default_factory=dict)

    @classmethod
    def of(cls, store: Store, generation: str) -> _Read:
        """What was read from `store` at `generation` (nothing, at a newer one)."""
        with _lock:
            read = _reads.get(store)
            if read is None or read.generation != generation:
                read = _reads[store] = cls(generation)
            return read


# Per store, the glossaries read at its latest generation (dropped with the store).
_reads: WeakKeyDictionary[Store, _Read] = WeakKeyDictionary()
_lock = threading.Lock()
