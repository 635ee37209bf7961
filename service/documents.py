"""Whole documents: a file's bytes in, the translated file's bytes out, its kind kept.

`.docx` keeps its formatting (`formats.docx`); `.html`/`.htm`, `.md` and `.txt` are read as
their format and written back as they were, only the prose translated; `.json`, `.xml`,
`.rss` and `.atom` are news items or feeds (`formats.wire`), written back in their format.
`Documents` keeps translated files for a while in the cache backend's store, for the drop-in
APIs, whose clients upload a file and fetch the result with later requests (maybe from
another replica).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal

from .cache import Cache
from .errors import InputError, NotFoundError, PayloadTooLargeError
from .formats import detect, is_wire
from .formats.wire import MEDIA_TYPES as ITEM_MEDIA_TYPES
from .formats.wire import NOT_AN_ITEM, decode
from .glossary import Glossary

if TYPE_CHECKING:
    from .translator import Translator

Kind = Literal["auto", "markdown", "html", "docx", "item"]
KINDS: dict[str, Kind] = {
    ".txt": "auto",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".json": "item",
    ".xml": "item",
    ".rss": "item",
    ".atom": "item",
}
MEDIA_TYPES = {
    "auto": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
KEEP_S = 3600.0  # how long a translated file waits for its download


@dataclass(frozen=True)
class TranslatedDocument:
    """A translated file: its name, bytes, media type, and the source characters billed."""

    name: str
    data: bytes
    media_type: str
    billed: int


def kind_of(name: str) -> Kind:
    """The kind of document a file name says; `InputError` for one depeche does not read."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in KINDS:
        raise InputError(
            f"{name or 'the file'}: depeche translates {', '.join(sorted(KINDS))} documents"
        )
    return KINDS[suffix]


def translate_document(
    translator: Translator, data: bytes, name: str, glossary: Glossary | None = None
) -> TranslatedDocument:
    """Translate the file `name` whose bytes are `data`."""
    kind = kind_of(name)
    limit = translator.settings.max_document_bytes
    if len(data) > limit:
        raise PayloadTooLargeError(f"a document of {len(data)} bytes; at most {limit}")
    if kind == "docx":
        from .formats.docx import DocxDocument

        document = DocxDocument(data)
        fragments = document.fragments
        todo = [i for i, f in enumerate(fragments) if f]
        results = translator.translate_articles(
            [fragments[i] for i in todo], "html", glossary=glossary
        )
        translations = list(fragments)
        for index, result in zip(todo, results, strict=True):
            translations[index] = result.text
        document.write(translations)
        billed = sum(len(s.source) for r in results for s in r.segments)
        return TranslatedDocument(name, document.save(), MEDIA_TYPES[kind], billed)
    text = decode(data, name)
    if kind == "item":
        found = detect(text)
        if not is_wire(found):
            raise InputError(f"{name}: {NOT_AN_ITEM}")
        result = translator.translate_article(text, found, glossary=glossary)
        media_type = ITEM_MEDIA_TYPES[found] + "; charset=utf-8"
    else:
        result = translator.translate_article(text, kind, glossary=glossary)
        media_type = MEDIA_TYPES[kind]
    billed = sum(len(s.source) for s in result.segments)
    return TranslatedDocument(name, result.text.encode(), media_type, billed)


class Documents:
    """Translated files by id, each with a key its client must show, kept `KEEP_S` seconds
    (or until `take`n) in `cache`'s store, shared by replicas."""

    META, DATA = "document", "document-data"

    def __init__(self, cache: Cache, clock: Callable[[], float] = time.time) -> None:
        self.cache = cache
        self.clock = clock

    def put(self, document: TranslatedDocument) -> tuple[str, str]:
        """Keep `document`; its (id, key). Files past their time are dropped here."""
        self._sweep()
        document_id, key = secrets.token_hex(16), secrets.token_hex(32)
        meta = {
            "name": document.name,
            "media_type": document.media_type,
            "billed": document.billed,
            "key": key,
            "expires": self.clock() + KEEP_S,
        }
        self.cache.put_record(self.DATA, document_id, document.data)
        self.cache.put_record(self.META, document_id, json.dumps(meta).encode())
        return document_id, key

    def get(self, document_id: str, key: str | None) -> TranslatedDocument:
        """The document of `document_id` (its key checked when given); `NotFoundError` when
        there is none, or it is past its time."""
        value = self.cache.records(self.META, [document_id]).get(document_id)
        meta = json.loads(value) if value else None
        if (
            meta is None
            or meta["expires"] < self.clock()
            or (key is not None and key != meta["key"])
        ):
            raise NotFoundError("document not found")
        data = self.cache.records(self.DATA, [document_id]).get(document_id)
        if data is None:
            raise NotFoundError("document not found")
        return TranslatedDocument(meta["name"], data, meta["media_type"], meta["billed"])

    def take(self, document_id: str, key: str | None) -> TranslatedDocument:
        """`get`, then forget the document (DeepL's documents are downloaded once)."""
        document = self.get(document_id, key)
        self.cache.delete_record(self.DATA, document_id)
        self.cache.delete_record(self.META, document_id)
        return document

    def _sweep(self) -> None:
        now = self.clock()
        for document_id, value in self.cache.records(self.META).items():
            if json.loads(value)["expires"] < now:
                self.cache.delete_record(self.DATA, document_id)
                self.cache.delete_record(self.META, document_id)
