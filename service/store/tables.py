"""The SQL of each table, the same for every dialect. A row that cannot be read back as its
record (text that is not UTF-8, written by another tool) is logged and skipped: it never
breaks a listing, and it can still be deleted by its id."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import InputError
from .records import Approval, DocumentRecord, GlossaryRecord, Suggestion, Usage, check_text
from .sql import Cursor, chunks, marks

if TYPE_CHECKING:
    from .base import Store

log = logging.getLogger(__name__)
R = TypeVar("R")


def readable(make: Callable[..., R], row: Sequence[Any], what: str) -> R | None:
    """The record made of `row`, or None (logged) when the row cannot be read."""
    try:
        return make(*row)
    except (InputError, TypeError, ValueError) as exc:
        log.warning("store: skipped a %s that cannot be read (%s)", what, exc)
        return None


def findable(*values: str) -> bool:
    """Whether keys could be in the store: one that is not text it keeps (a lone surrogate
    from a JSON `\\ud800`) is in no table, and is not sent to the database."""
    try:
        for value in values:
            check_text(value, "a key")
    except InputError:
        return False
    return True


def _owned(owners: Sequence[str] | None, column: str = "owner") -> tuple[str, list[str]]:
    """The condition limiting rows to `owners` (None: every owner), and its parameters."""
    if owners is None:
        return "", []
    return f" AND {column} IN ({marks(len(owners))})", list(owners)


class Table:
    def __init__(self, store: Store) -> None:
        self.store = store


class Meta(Table):
    """Named values of the store itself (`store_meta`)."""

    def get(self, name: str) -> str | None:
        """The value of `name` (one indexed read)."""
        with self.store.read() as cursor:
            row = cursor.execute("SELECT value FROM store_meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    @staticmethod
    def put(cursor: Cursor, name: str, value: str) -> None:
        """Set `name` within the caller's transaction."""
        cursor.execute(
            "INSERT INTO store_meta (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )


class Approvals(Table):
    """Approved translations by source sentence, and a generation token that changes with
    each change (response-cache keys carry it)."""

    GENERATION = "approvals-generation"
    _COLUMNS = "source, text, who, approved"

    def get(self, sources: Sequence[str]) -> dict[str, Approval]:
        """The approvals of `sources` (as keyed) that exist."""
        found: dict[str, Approval] = {}
        with self.store.read() as cursor:
            for chunk in chunks([s for s in dict.fromkeys(sources) if findable(s)]):
                rows = cursor.execute(
                    f"SELECT {self._COLUMNS} FROM approvals WHERE source IN ({marks(len(chunk))})",
                    chunk,
                ).fetchall()
                for row in rows:
                    approval = readable(Approval, row, "approval")
                    if approval is not None:
                        found[approval.source] = approval
        return found

    def all(self) -> list[Approval]:
        """Every approval, by source."""
        with self.store.read() as cursor:
            rows = cursor.execute(
                f"SELECT {self._COLUMNS} FROM approvals ORDER BY source"
            ).fetchall()
        return [a for row in rows if (a := readable(Approval, row, "approval")) is not None]

    def put(self, approvals: Iterable[Approval]) -> None:
        """Store approvals (replacing those of the same sources)."""
        with self.store.transaction() as cursor:
            self.write(cursor, approvals)

    def write(self, cursor: Cursor, approvals: Iterable[Approval]) -> None:
        """`put` within the caller's transaction."""
        for a in approvals:
            cursor.execute(
                f"INSERT INTO approvals ({self._COLUMNS}) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (source) DO UPDATE SET text = excluded.text, who = excluded.who, "
                "approved = excluded.approved",
                (a.source, a.text, a.who, a.when),
            )
        self.changed(cursor)

    def delete(self, sources: Sequence[str]) -> int:
        """Remove the approvals of `sources`; how many there were."""
        removed = 0
        with self.store.transaction() as cursor:
            for chunk in chunks([s for s in dict.fromkeys(sources) if findable(s)]):
                removed += cursor.execute(
                    f"DELETE FROM approvals WHERE source IN ({marks(len(chunk))})", chunk
                ).rowcount
            self.changed(cursor)
        return removed

    def generation(self) -> str:
        """A token that changes whenever an approval is added, replaced or removed."""
        return self.store.meta.get(self.GENERATION) or ""

    def changed(self, cursor: Cursor) -> None:
        """Give the approvals a new generation, within the caller's transaction."""
        Meta.put(cursor, self.GENERATION, secrets.token_hex(8))


class Suggestions(Table):
    """Suggested translations waiting for an editor."""

    _COLUMNS = "id, source, text, who, suggested"

    def put(self, suggestion: Suggestion) -> None:
        """Store a suggestion."""
        with self.store.transaction() as cursor:
            self.write(cursor, suggestion)

    def write(self, cursor: Cursor, s: Suggestion) -> None:
        """`put` within the caller's transaction."""
        cursor.execute(
            f"INSERT INTO suggestions ({self._COLUMNS}) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET source = excluded.source, text = excluded.text, "
            "who = excluded.who, suggested = excluded.suggested",
            (s.id, s.source, s.text, s.who, s.when),
        )

    def all(self) -> list[Suggestion]:
        """Every pending suggestion, oldest first."""
        with self.store.read() as cursor:
            rows = cursor.execute(
                f"SELECT {self._COLUMNS} FROM suggestions ORDER BY suggested, id"
            ).fetchall()
        return [s for row in rows if (s := readable(Suggestion, row, "suggestion")) is not None]

    def get(self, suggestion_id: str) -> Suggestion | None:
        """The suggestion of `suggestion_id`, if pending."""
        if not findable(suggestion_id):
            return None
        with self.store.read() as cursor:
            row = cursor.execute(
                f"SELECT {self._COLUMNS} FROM suggestions WHERE id = ?", (suggestion_id,)
            ).fetchone()
        return None if row is None else readable(Suggestion, row, "suggestion")

    def delete(self, suggestion_id: str) -> bool:
        """Forget a suggestion; whether it was pending."""
        with self.store.transaction() as cursor:
            return self._delete(cursor, suggestion_id)

    def resolve(self, suggestion_id: str, approvals: Sequence[Approval]) -> bool:
        """Replace a pending suggestion by `approvals`, at once; False (nothing stored) when
        it is no longer pending."""
        with self.store.transaction() as cursor:
            if not self._delete(cursor, suggestion_id):
                return False
            self.store.approvals.write(cursor, approvals)
        return True

    @staticmethod
    def _delete(cursor: Cursor, suggestion_id: str) -> bool:
        if not findable(suggestion_id):
            return False
        return bool(
            cursor.execute("DELETE FROM suggestions WHERE id = ?", (suggestion_id,)).rowcount
        )


class Glossaries(Table):
    """Glossaries and their entries, each owned by one owner. `owners` limits what a call
    sees or deletes (None: every owner's). A generation token changes with each change, so
    that a glossary read before can be used again while it holds."""

    GENERATION = "glossaries-generation"

    _SELECT = (
        "SELECT g.id, g.owner, g.name, g.created, e.source, e.target FROM glossaries g "
        "LEFT JOIN glossary_entries e ON e.glossary_id = g.id WHERE 1 = 1"
    )

    def put(self, glossary: GlossaryRecord) -> None:
        """Store a glossary (replacing one of the same id)."""
        with self.store.transaction() as cursor:
            self.write(cursor, glossary)

    def write(self, cursor: Cursor, g: GlossaryRecord) -> None:
        """`put` within the caller's transaction."""
        cursor.execute("DELETE FROM glossary_entries WHERE glossary_id = ?", (g.id,))
        cursor.execute(
            "INSERT INTO glossaries (id, owner, name, created) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, name = excluded.name, "
            "created = excluded.created",
            (g.id, g.owner, g.name, g.created),
        )
        for position, (source, target) in enumerate(g.entries):
            cursor.execute(
                "INSERT INTO glossary_entries (glossary_id, position, source, target) "
                "VALUES (?, ?, ?, ?)",
                (g.id, position, source, target),
            )
        self.changed(cursor)

    def generation(self) -> str:
        """A token that changes whenever a glossary is stored, replaced or removed (one
        indexed read)."""
        return self.store.meta.get(self.GENERATION) or ""

    def changed(self, cursor: Cursor) -> None:
        """Give the glossaries a new generation, within the caller's transaction."""
        Meta.put(cursor, self.GENERATION, secrets.token_hex(8))

    def get(self, glossary_id: str, owners: Sequence[str] | None = None) -> GlossaryRecord | None:
        """The glossary of `glossary_id` among `owners`'."""
        if not findable(glossary_id):
            return None
        where, params = _owned(owners, "g.owner")
        found = self._query(f"{self._SELECT} AND g.id = ?{where}", [glossary_id, *params])
        return found[0] if found else None

    def all(self, owners: Sequence[str] | None = None) -> list[GlossaryRecord]:
        """`owners`' glossaries, oldest first."""
        where, params = _owned(owners, "g.owner")
        return self._query(f"{self._SELECT}{where}", params)

    def _query(self, sql: str, params: Sequence[Any]) -> list[GlossaryRecord]:
        with self.store.read() as cursor:
            rows = cursor.execute(f"{sql} ORDER BY g.created, g.id, e.position", params)
            rows = rows.fetchall()
        grouped: dict[str, tuple[Sequence[Any], list[tuple[Any, Any]]]] = {}
        for row in rows:
            head, entries = grouped.setdefault(row[0], (row[:4], []))
            if row[4] is not None:
                entries.append((row[4], row[5]))
        found = []
        for head, entries in grouped.values():
            glossary = readable(GlossaryRecord, [*head, tuple(entries)], "glossary")
            if glossary is not None:
                found.append(glossary)
        return found

    def delete(self, glossary_id: str, owners: Sequence[str] | None = None) -> bool:
        """Remove a glossary of `owners`; whether there was one."""
        if not findable(glossary_id):
            return False
        where, params = _owned(owners)
        with self.store.transaction() as cursor:
            done = cursor.execute(
                f"DELETE FROM glossaries WHERE id = ?{where}", [glossary_id, *params]
            )
            if done.rowcount:
                self.changed(cursor)
            return bool(done.rowcount)


class Documents(Table):
    """Translated files waiting for their download."""

    _COLUMNS = "id, owner, key, name, media_type, billed, expires, data"

    def put(self, document: DocumentRecord) -> None:
        """Store a document (replacing one of the same id)."""
        with self.store.transaction() as cursor:
            self.write(cursor, document)

    def write(self, cursor: Cursor, d: DocumentRecord) -> None:
        """`put` within the caller's transaction."""
        cursor.execute("DELETE FROM documents WHERE id = ?", (d.id,))
        cursor.execute(
            f"INSERT INTO documents ({self._COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (d.id, d.owner, d.key, d.name, d.media_type, d.billed, d.expires, d.data),
        )

    def get(
        self, document_id: str, owners: Sequence[str] | None, now: float, data: bool = True
    ) -> DocumentRecord | None:
        """The document of `document_id` among `owners`', unless past its time (its bytes
        left empty unless `data`)."""
        if not findable(document_id):
            return None
        where, params = _owned(owners)
        columns = self._COLUMNS if data else self._COLUMNS.replace(", data", ", NULL")
        with self.store.read() as cursor:
            row = cursor.execute(
                f"SELECT {columns} FROM documents WHERE id = ? AND expires >= ?{where}",
                [document_id, now, *params],
            ).fetchone()
        if row is None:
            return None
        return readable(DocumentRecord, [*row[:7], bytes(row[7] or b"")], "document")

    def take(
        self, document_id: str, owners: Sequence[str] | None, now: float, key: str
    ) -> DocumentRecord | None:
        """The document of `document_id` among `owners`' whose key is `key`, removed as it is
        read (once: two takes at once get it once)."""
        if not findable(document_id, key):
            return None
        where, params = _owned(owners)
        with self.store.transaction() as cursor:
            row = cursor.execute(
                f"DELETE FROM documents WHERE id = ? AND key = ? AND expires >= ?{where} "
                f"RETURNING {self._COLUMNS}",
                [document_id, key, now, *params],
            ).fetchone()
        if row is None:
            return None
        return readable(DocumentRecord, [*row[:7], bytes(row[7])], "document")

    def sweep(self, now: float) -> int:
        """Remove the documents past their time; how many."""
        with self.store.transaction() as cursor:
            return int(cursor.execute("DELETE FROM documents WHERE expires < ?", (now,)).rowcount)

    def ids(self) -> list[str]:
        """Every document's id."""
        with self.store.read() as cursor:
            return [str(row[0]) for row in cursor.execute("SELECT id FROM documents ORDER BY id")]


class UsageCounts(Table):
    """Characters translated, by owner."""

    def add(self, owner: str, amount: int) -> int:
        """Add `amount` to `owner`'s count; the new count."""
        with self.store.transaction() as cursor:
            row = cursor.execute(
                "INSERT INTO usage (owner, characters) VALUES (?, ?) ON CONFLICT (owner) "
                "DO UPDATE SET characters = usage.characters + excluded.characters "
                "RETURNING characters",
                (owner, amount),
            ).fetchone()
        return int(row[0])

    def get(self, owner: str) -> int:
        """`owner`'s count (0 when it has none)."""
        if not findable(owner):
            return 0
        with self.store.read() as cursor:
            row = cursor.execute(
                "SELECT characters FROM usage WHERE owner = ?", (owner,)
            ).fetchone()
        return 0 if row is None else int(row[0])

    def all(self) -> list[Usage]:
        """Every owner's count."""
        with self.store.read() as cursor:
            rows = cursor.execute("SELECT owner, characters FROM usage ORDER BY owner").fetchall()
        return [u for row in rows if (u := readable(Usage, row, "usage count")) is not None]

    @staticmethod
    def write(cursor: Cursor, usage: Usage, add: bool = False) -> None:
        """Set an owner's count (or `add` to it), within the caller's transaction."""
        value = "usage.characters + excluded.characters" if add else "excluded.characters"
        cursor.execute(
            "INSERT INTO usage (owner, characters) VALUES (?, ?) "
            f"ON CONFLICT (owner) DO UPDATE SET characters = {value}",
            (usage.owner, usage.characters),
        )
