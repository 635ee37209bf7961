"""Downloads: translated files kept for a while in the store, for the drop-in APIs, whose
clients upload a file and fetch the result with later requests (maybe from another replica)."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import NotFoundError
from ..tenants import SHARED, Tenant
from .base import Store
from .records import DocumentRecord, check_text

KEEP_S = 3600.0  # how long a translated file waits for its download


@dataclass(frozen=True)
class TranslatedDocument:
    """A translated file: its name, bytes, media type, and the characters billed (those of
    its source text)."""

    name: str
    data: bytes
    media_type: str
    billed: int


class Downloads:
    """Translated files by id, each with a key its client must show, kept `KEEP_S` seconds
    (or until `take`n) in the store, shared by replicas. Each belongs to the tenant that
    uploaded it: another tenant does not find it. Without a tenant (a download URL, whose id
    is its secret), any owner's is found."""

    def __init__(
        self, store: Store, tenant: Tenant | None, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.tenant = tenant
        self.clock = clock

    @property
    def _sees(self) -> tuple[str, ...] | None:
        return self.tenant.sees if self.tenant is not None else None

    def put(self, document: TranslatedDocument) -> tuple[str, str]:
        """Keep `document`; its (id, key). Files past their time are dropped here."""
        check_text(document.name, "the document's name")
        now = self.clock()
        self.store.documents.sweep(now)
        record = DocumentRecord(
            secrets.token_hex(16),
            self.tenant.owner if self.tenant is not None else SHARED,
            secrets.token_hex(32),
            document.name,
            document.media_type,
            document.billed,
            now + KEEP_S,
            document.data,
        )
        self.store.documents.put(record)
        return record.id, record.key

    def get(self, document_id: str, key: str | None, data: bool = True) -> TranslatedDocument:
        """The document of `document_id` (its key checked when given; its bytes left empty
        unless `data`); `NotFoundError` when there is none, or it is past its time."""
        record = self.store.documents.get(document_id, self._sees, self.clock(), data)
        if record is None or (key is not None and not _same(key, record.key)):
            raise NotFoundError("document not found")
        return TranslatedDocument(record.name, record.data, record.media_type, record.billed)

    def take(self, document_id: str, key: str) -> TranslatedDocument:
        """`get`, forgetting the document as it is read (DeepL's documents are downloaded
        once)."""
        record = self.store.documents.take(document_id, self._sees, self.clock(), key)
        if record is None:
            raise NotFoundError("document not found")
        return TranslatedDocument(record.name, record.data, record.media_type, record.billed)


def _same(given: str, key: str) -> bool:
    """Whether a client's key is the document's (in constant time, whatever it sent)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), key.encode())
