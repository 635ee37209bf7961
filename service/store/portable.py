"""Everything in a store as one portable file, and back: JSON Lines, UTF-8.

The first line names the format and its version: `{"format": "depeche-store", "version": 1,
"schema": <the store's schema version>, "exported": <ISO 8601>}`. Each other line is one
record with its `kind`: `approval` (source, text, who, when), `suggestion` (id, source, text,
who, when), `glossary` (id, owner, name, created, entries as [source, target] pairs),
`document` (id, owner, key, name, media_type, billed, expires, data in base64) or `usage`
(owner, characters). The same file loads into any store, SQLite or PostgreSQL. Jobs and the
feeds' state are work in progress, not what users keep: they are not in it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from ..errors import InputError
from .base import Store
from .records import Approval, DocumentRecord, GlossaryRecord, Record, Suggestion, Usage, now_iso

FORMAT = "depeche-store"
VERSION = 1
KINDS: dict[str, type[Record]] = {
    "approval": Approval,
    "suggestion": Suggestion,
    "glossary": GlossaryRecord,
    "document": DocumentRecord,
    "usage": Usage,
}
_NAMES = {cls: name for name, cls in KINDS.items()}


def records(store: Store) -> Iterator[Record]:
    """Every record in `store`, kind by kind."""
    yield from store.approvals.all()
    yield from store.suggestions.all()
    yield from store.glossaries.all()
    for document_id in store.documents.ids():
        document = store.documents.get(document_id, None, now=0.0)
        if document is not None:
            yield document
    yield from store.usage.all()


def dump(store: Store) -> Iterator[str]:
    """The lines of the portable file of `store` (each ends with a newline)."""
    header = {"format": FORMAT, "version": VERSION, "schema": store.version, "exported": now_iso()}
    yield json.dumps(header) + "\n"
    for record in records(store):
        fields: dict[str, Any] = asdict(record)
        if isinstance(record, DocumentRecord):
            fields["data"] = base64.b64encode(record.data).decode("ascii")
        yield json.dumps({"kind": _NAMES[type(record)], **fields}, ensure_ascii=False) + "\n"


def parse(lines: Iterable[str]) -> Iterator[Record]:
    """The records of a portable file's lines; `InputError` naming the line of the first
    that cannot be read."""
    numbered = enumerate(lines, 1)
    first = next(numbered, None)
    header = _json(first[1], 1) if first else None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InputError("not a depeche store export (its first line names no depeche-store)")
    if header.get("version") != VERSION:
        raise InputError(
            f"a depeche-store file of version {header.get('version')!r}; this depeche reads "
            f"version {VERSION}"
        )
    for number, line in numbered:
        if line.strip():
            yield _record(_json(line, number), number)


def load(store: Store, lines: Iterable[str]) -> int:
    """Write the records of a portable file into `store`, in one transaction (those of the
    same id are replaced; usage counts are set); how many."""
    with store.transaction() as cursor:
        return store.write(cursor, parse(lines))


def _json(line: str, number: int) -> Any:
    try:
        return json.loads(line)
    except ValueError as exc:
        raise InputError(f"line {number}: not JSON ({exc})") from None


def _record(data: Any, number: int) -> Record:
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        raise InputError(f"line {number}: not a record of a known kind")
    fields = {k: v for k, v in data.items() if k != "kind"}
    try:
        if data["kind"] == "glossary":
            fields["entries"] = tuple((s, t) for s, t in fields["entries"])
        if data["kind"] == "document":
            fields["data"] = base64.b64decode(fields["data"], validate=True)
        return KINDS[data["kind"]](**fields)
    except (InputError, TypeError, ValueError, KeyError) as exc:
        raise InputError(f"line {number}: a {data['kind']} that cannot be read ({exc})") from None
