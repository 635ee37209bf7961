"""The default store: one SQLite file (WAL, synchronous writes), shared safely by the
processes of one machine. Never replaced or moved aside: a file that cannot be used is an
error to fix, not a cache to start afresh."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ConfigurationError, StoreUnavailableError
from .base import Store
from .sql import Cursor


def _text(value: bytes) -> str:
    # Bytes that are not UTF-8 (written by another tool) come back as lone surrogates: the
    # record they belong to is refused and skipped, not the whole query.
    return value.decode("utf-8", "surrogateescape")


class SQLiteStore(Store):
    """A store in the SQLite file `path` (its folder is made when missing)."""

    dialect = "sqlite"

    @classmethod
    def from_url(cls, url: str, root: Path | None = None) -> SQLiteStore:
        path = Path(url[len("sqlite:///") :])
        if not path.name or path.name == ":memory:":
            raise ConfigurationError(f"store URL {url!r}: the store is a file (sqlite:///path)")
        return cls(path if path.is_absolute() or root is None else root / path)

    def __init__(self, path: Path) -> None:
        super().__init__(f"sqlite {path}")
        self.path = path
        self._lock = threading.RLock()
        with self._faults():
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                path, timeout=10.0, check_same_thread=False, isolation_level=None
            )
            conn.text_factory = _text
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")  # what users keep survives a power cut
        self._conn = conn

    @contextmanager
    def _faults(self) -> Iterator[None]:
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailableError(f"the store ({self.where}) cannot be used: {exc}") from exc

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        with self._lock, self._faults():
            yield self._conn.cursor()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        with self._lock, self._faults():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn.cursor()
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def has_table(self, cursor: Cursor, name: str) -> bool:
        row = cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return bool(row[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
