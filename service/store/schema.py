"""The store's tables and their versions: an ordered list of migrations, each in the SQL of
every dialect, applied on start up to the newest. `schema_version` records each applied
version and when. A store at a version newer than this code is refused, never written to.

Adding a table or a column is one new `Migration` at the end of `MIGRATIONS`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ConfigurationError
from .records import now_iso

if TYPE_CHECKING:
    from .base import Store
    from .sql import Cursor

# Column types where the dialects spell them differently.
TYPES: dict[str, dict[str, str]] = {
    "sqlite": {"bytes": "BLOB", "float": "REAL", "int": "INTEGER"},
    "postgresql": {"bytes": "BYTEA", "float": "DOUBLE PRECISION", "int": "BIGINT"},
}


@dataclass(frozen=True)
class Migration:
    """Version `version` of the schema: `statements` by dialect, run in order, in the same
    transaction as the version's record."""

    version: int
    what: str
    statements: Mapping[str, Sequence[str]]

    def sql(self, dialect: str) -> Sequence[str]:
        """The statements for `dialect`."""
        return self.statements[dialect]


def portable(*statements: str) -> dict[str, tuple[str, ...]]:
    """The same statements in every dialect, with `{bytes}`, `{float}` and `{int}` column
    types filled in for each."""
    return {
        dialect: tuple(statement.format(**types) for statement in statements)
        for dialect, types in TYPES.items()
    }


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "approvals, suggestions, glossaries, documents, usage",
        portable(
            "CREATE TABLE store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE approvals (source TEXT PRIMARY KEY, text TEXT NOT NULL, "
            "who TEXT NOT NULL, approved TEXT NOT NULL)",
            "CREATE TABLE suggestions (id TEXT PRIMARY KEY, source TEXT NOT NULL, "
            "text TEXT NOT NULL, who TEXT NOT NULL, suggested TEXT NOT NULL)",
            "CREATE INDEX suggestions_suggested ON suggestions (suggested)",
            "CREATE TABLE glossaries (id TEXT PRIMARY KEY, owner TEXT NOT NULL, "
            "name TEXT NOT NULL, created TEXT NOT NULL)",
            "CREATE INDEX glossaries_owner ON glossaries (owner, created)",
            "CREATE TABLE glossary_entries ("
            "glossary_id TEXT NOT NULL REFERENCES glossaries (id) ON DELETE CASCADE, "
            "position INTEGER NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, "
            "PRIMARY KEY (glossary_id, position))",
            "CREATE TABLE documents (id TEXT PRIMARY KEY, owner TEXT NOT NULL, "
            "key TEXT NOT NULL, name TEXT NOT NULL, media_type TEXT NOT NULL, "
            "billed {int} NOT NULL, expires {float} NOT NULL, data {bytes} NOT NULL)",
            "CREATE INDEX documents_expires ON documents (expires)",
            "CREATE TABLE usage (owner TEXT PRIMARY KEY, characters {int} NOT NULL)",
        ),
    ),
    Migration(
        2,
        "jobs and their callbacks' attempts, polled feeds and their entries",
        portable(
            "CREATE TABLE jobs (id TEXT PRIMARY KEY, owner TEXT NOT NULL, kind TEXT NOT NULL, "
            "idempotency_key TEXT, fingerprint TEXT NOT NULL, request {bytes} NOT NULL, "
            "options TEXT NOT NULL, callback_url TEXT, state TEXT NOT NULL, "
            "created {float} NOT NULL, not_before {float} NOT NULL, started {float}, "
            "finished {float}, expires {float}, runs INTEGER NOT NULL DEFAULT 0, ran_by TEXT, "
            "lease TEXT, lease_until {float}, result {bytes}, result_type TEXT, error TEXT, "
            "delivery TEXT)",
            "CREATE UNIQUE INDEX jobs_idempotency ON jobs (owner, idempotency_key)",
            "CREATE INDEX jobs_queue ON jobs (state, not_before)",
            "CREATE INDEX jobs_delivery ON jobs (delivery)",
            "CREATE INDEX jobs_expires ON jobs (expires)",
            "CREATE TABLE job_deliveries ("
            "job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, "
            "number INTEGER NOT NULL, at {int} NOT NULL, status INTEGER, error TEXT, "
            "seconds {float} NOT NULL, PRIMARY KEY (job_id, number))",
            "CREATE TABLE feeds (name TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT, "
            "last_modified TEXT, next_at {float} NOT NULL DEFAULT 0, "
            "failures INTEGER NOT NULL DEFAULT 0, last_error TEXT, polled {float}, "
            "lease TEXT, lease_until {float}, format TEXT, english TEXT, updated {float})",
            "CREATE TABLE feed_entries ("
            "feed TEXT NOT NULL REFERENCES feeds (name) ON DELETE CASCADE, "
            "id TEXT NOT NULL, seen {float} NOT NULL, english TEXT NOT NULL, "
            "title TEXT NOT NULL, link TEXT NOT NULL, summary TEXT NOT NULL, "
            "PRIMARY KEY (feed, id))",
            "CREATE INDEX feed_entries_seen ON feed_entries (seen)",
        ),
    ),
)


def migrate(store: Store, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring `store` to the newest of `migrations`; its version. `ConfigurationError` when
    the store is newer than them."""
    latest = migrations[-1].version if migrations else 0
    with store.read() as cursor:
        current = _version(store, cursor)
    _refuse_newer(store, current, latest)
    if current == latest:
        return current  # the usual start: one read, no lock
    with store.transaction() as cursor:
        store.lock_schema(cursor)  # one replica migrates; the others wait, then find it done
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"
        )
        current = _version(store, cursor)
        _refuse_newer(store, current, latest)
        for migration in migrations:
            if migration.version <= current:
                continue
            for statement in migration.sql(store.dialect):
                cursor.execute(statement)
            cursor.execute(
                "INSERT INTO schema_version (version, applied) VALUES (?, ?)",
                (migration.version, now_iso()),
            )
    return max(current, latest)


def _version(store: Store, cursor: Cursor) -> int:
    """The store's schema version (0: empty)."""
    if not store.has_table(cursor, "schema_version"):
        return 0
    row = cursor.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0) if row else 0


def _refuse_newer(store: Store, current: int, latest: int) -> None:
    if current > latest:
        raise ConfigurationError(
            f"the store ({store.where}) is at schema version {current}; this depeche knows "
            f"versions up to {latest}: run a newer depeche, or point DEPECHE_STORE_URL at "
            "another store"
        )
