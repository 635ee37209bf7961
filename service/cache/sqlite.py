"""The embedded default: one SQLite file in WAL mode, shared safely by several processes."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .base import CacheBackend

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    expires REAL NOT NULL,
    stored REAL NOT NULL,
    size INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_stored ON entries (stored);
"""
_CORRUPT = ("malformed", "not a database", "file is encrypted")
_CHECK_SIZE_EVERY = 50  # writes between size checks


class SQLiteCache(CacheBackend):
    """Entries expire after their TTL; past `max_bytes` the oldest are evicted."""

    name = "sqlite"

    def __init__(self, path: Path, max_bytes: int, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.clock = clock  # wall-clock seconds: expiry times are shared with other processes
        self._lock = threading.Lock()
        self._writes = 0
        self._conn = self._open()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=5.0, check_same_thread=False, isolation_level=None
        )
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = self._connect()
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if (
                self.path.stat().st_size
                and conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
            ):
                raise sqlite3.DatabaseError("database disk image is malformed")
        except sqlite3.DatabaseError as exc:
            if not any(word in str(exc) for word in _CORRUPT):
                raise
            conn = self._replace(exc)
        try:
            conn.executescript(_SCHEMA)
        except sqlite3.OperationalError as exc:  # read-only file: reads still work
            log.warning("cache %s: %s", self.path, exc)
        return conn

    def _replace(self, reason: Exception) -> sqlite3.Connection:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
        log.warning(
            "cache %s is corrupted (%s): moved to %s, starting afresh", self.path, reason, aside
        )
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                part.replace(Path(f"{aside}{suffix}"))
        return self._connect()

    def _run(self, action: str, *args: object) -> object:
        with self._lock:
            try:
                return getattr(self, action)(*args)
            except sqlite3.DatabaseError as exc:
                if any(word in str(exc) for word in _CORRUPT):
                    self._conn.close()
                    self._conn = self._replace(exc)
                    self._conn.executescript(_SCHEMA)
                raise

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        return self._run("_get_many", keys)  # type: ignore[return-value]

    def _get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        now = self.clock()
        for first in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            chunk = list(keys[first : first + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT key, value FROM entries WHERE key IN ({marks}) AND expires > ?",
                [*chunk, now],
            )
            found.update((key, bytes(value)) for key, value in rows)
        return found

    def set_many(self, items: Mapping[str, bytes], ttl: float) -> None:
        self._run("_set_many", items, ttl)

    def _set_many(self, items: Mapping[str, bytes], ttl: float) -> None:
        now = self.clock()
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.executemany(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)",
                [(k, v, now + ttl, now, len(k) + len(v)) for k, v in items.items()],
            )
        self._writes += 1
        if self._writes % _CHECK_SIZE_EVERY == 0:
            self._evict(now)

    def _evict(self, now: float) -> None:
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("DELETE FROM entries WHERE expires <= ?", (now,))
            total = self._conn.execute("SELECT coalesce(sum(size), 0) FROM entries").fetchone()[0]
            if total > self.max_bytes:
                # Oldest first, down to 90% of the cap so that eviction is not constant.
                excess = total - int(self.max_bytes * 0.9)
                self._conn.execute(
                    "DELETE FROM entries WHERE key IN (SELECT key FROM (SELECT key, size, "
                    "sum(size) OVER (ORDER BY stored, key) AS running FROM entries) "
                    "WHERE running - size < ?)",
                    (excess,),
                )

    def evict(self) -> None:
        """Drop expired entries and trim to the size cap now."""
        self._run("_evict", self.clock())

    def stats(self) -> dict[str, object]:
        return self._run("_stats")  # type: ignore[return-value]

    def _stats(self) -> dict[str, object]:
        entries, size = self._conn.execute(
            "SELECT count(*), coalesce(sum(size), 0) FROM entries WHERE expires > ?",
            (self.clock(),),
        ).fetchone()
        return {
            "backend": self.name,
            "path": str(self.path),
            "entries": entries,
            "bytes": size,
            "max_bytes": self.max_bytes,
        }

    def clear(self) -> int:
        return self._run("_clear")  # type: ignore[return-value]

    def _clear(self) -> int:
        with self._conn:
            return self._conn.execute("DELETE FROM entries").rowcount

    def integrity(self) -> str:
        """`PRAGMA integrity_check`'s answer ("ok" when sound)."""
        return str(self._run("_integrity"))

    def _integrity(self) -> str:
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
