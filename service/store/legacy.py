"""What an older depeche kept in its cache, moved into the store on first start.

Older versions kept glossaries, approved translations, documents and usage counters as
"records" of the cache backend: in a SQLite cache, the tables `records` (kind, key, value) and
`counters`; in Redis, the hashes `depeche-records:<kind>` and the keys `depeche-counter:*`.
They are read, written into the store in one transaction that also marks the cache as moved
(so that counters are never added twice, even by replicas starting together), then removed
from the cache. A record that cannot be read is logged and left behind; a cache that cannot be
reached is tried again at the next start.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import DepecheError
from ..tenants import SHARED
from .base import Store, shown
from .records import Approval, DocumentRecord, GlossaryRecord, Record, Usage, now_iso
from .tables import Meta

log = logging.getLogger(__name__)

KINDS = ("glossary", "approved", "approved-meta", "document", "document-data")
USAGE = "deepl-usage:"
REDIS_RECORDS = "depeche-records:"
REDIS_COUNTERS = "depeche-counter:"


@dataclass
class Held:
    """What a cache holds of an older depeche's: records by kind and key, and counters."""

    records: dict[str, dict[str, bytes]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(self.records.values()) or bool(self.counters)


class SQLiteCacheFile:
    """The tables an older depeche kept in a SQLite cache file."""

    faults: tuple[type[Exception], ...] = (sqlite3.Error, OSError)

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"sqlite:{path.resolve()}"

    def _tables(self, conn: sqlite3.Connection) -> set[str]:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {_text(row[0]) for row in rows} & {"records", "counters"}

    def read(self) -> Held:
        held = Held()
        if not self.path.is_file():
            return held
        with sqlite3.connect(self.path, timeout=10.0) as conn:
            conn.text_factory = bytes
            tables = self._tables(conn)
            if "records" in tables:
                for kind, key, value in conn.execute("SELECT kind, key, value FROM records"):
                    held.records.setdefault(_text(kind), {})[_text(key)] = bytes(value)
            if "counters" in tables:
                for key, value in conn.execute("SELECT key, value FROM counters"):
                    held.counters[_text(key)] = int(value)
        return held

    def remove(self) -> None:
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            for table in self._tables(conn):
                conn.execute(f"DROP TABLE {table}")
        finally:
            conn.close()


class RedisCache:
    """The hashes and keys an older depeche kept in a Redis cache."""

    def __init__(self, url: str) -> None:
        from redis import Redis
        from redis.exceptions import RedisError

        self.faults: tuple[type[Exception], ...] = (RedisError, OSError)
        self.client = Redis.from_url(url, socket_timeout=5.0, socket_connect_timeout=2.0)
        self.name = f"redis:{shown(url)}"

    def _counter_keys(self) -> list[bytes]:
        return list(self.client.scan_iter(match=f"{REDIS_COUNTERS}{USAGE}*", count=1000))

    def read(self) -> Held:
        held = Held()
        for kind in KINDS:
            found: dict[bytes, bytes] = self.client.hgetall(REDIS_RECORDS + kind)  # type: ignore[assignment]
            if found:
                held.records[kind] = {_text(k): v for k, v in found.items()}
        keys = self._counter_keys()
        if keys:
            values: list[Any] = self.client.mget(keys)
            for key, value in zip(keys, values, strict=True):
                if value is not None:
                    held.counters[_text(key)[len(REDIS_COUNTERS) :]] = int(value)
        return held

    def remove(self) -> None:
        self.client.delete(*[REDIS_RECORDS + kind for kind in KINDS])
        keys = self._counter_keys()
        for first in range(0, len(keys), 500):
            self.client.unlink(*keys[first : first + 500])

    def close(self) -> None:
        self.client.close()


def _text(value: bytes | str) -> str:
    return value if isinstance(value, str) else value.decode("utf-8", "surrogateescape")


def _source(cache_url: str, root: Path) -> SQLiteCacheFile | RedisCache | None:
    scheme = urlsplit(cache_url).scheme
    if scheme == "sqlite":
        path = Path(cache_url[len("sqlite:///") :])
        return SQLiteCacheFile(path if path.is_absolute() else root / path)
    if scheme in ("redis", "rediss", "unix"):
        return RedisCache(cache_url)
    return None


def records(held: Held, now: float | None = None) -> Iterator[Record]:
    """The store's records of what a cache held; what cannot be read is logged and skipped."""
    now = time.time() if now is None else now
    for kind, values in held.records.items():
        for key, value in values.items():
            if kind in ("approved-meta", "document-data"):
                continue  # the generation is the store's own; data goes with its document
            try:
                record = _record(kind, key, value, held, now)
            except (DepecheError, ValueError, KeyError, TypeError, AttributeError) as exc:
                log.warning("cache record %s %r not moved: cannot be read (%s)", kind, key, exc)
                continue
            if record is not None:
                yield record
    for name, count in held.counters.items():
        if name.startswith(USAGE):
            yield Usage(name[len(USAGE) :], count)


def _record(kind: str, key: str, value: bytes, held: Held, now: float) -> Record | None:
    data = json.loads(value)
    if kind == "glossary":
        entries = tuple((str(s), str(t)) for s, t in data["entries"])
        return GlossaryRecord(key, SHARED, data["name"], data["created"], entries)
    if kind == "approved":
        return Approval(data["source"], data["text"], data["who"], data["when"])
    if kind == "document":
        content = held.records.get("document-data", {}).get(key)
        if content is None or float(data["expires"]) < now:
            return None  # past its time, or without its file: nothing to download
        return DocumentRecord(
            key,
            SHARED,
            data["key"],
            data["name"],
            data["media_type"],
            int(data["billed"]),
            float(data["expires"]),
            content,
        )
    log.warning("cache record of unknown kind %r not moved", kind)
    return None


def move_from_cache(store: Store, cache_url: str, root: Path) -> int:
    """Move what the cache of `cache_url` holds of an older depeche's into `store`, once;
    how many records were moved."""
    source = _source(cache_url, root)
    if source is None:
        return 0
    marker = f"moved-from-cache {source.name}"
    try:
        if store.meta.get(marker) is not None:
            return 0
        held = source.read()
        moved = list(records(held))
        with store.transaction() as cursor:
            store.lock_schema(cursor)  # replicas starting together: one moves, once
            done = cursor.execute("SELECT value FROM store_meta WHERE name = ?", (marker,))
            if done.fetchone() is not None:
                return 0
            store.write(cursor, moved, add_usage=True)
            Meta.put(cursor, marker, now_iso())
        if held:
            source.remove()
            log.info("moved %d records from the cache (%s) into the store", len(moved), source.name)
        return len(moved)
    except source.faults as exc:
        log.warning("the cache's older records cannot be moved yet (%s): at the next start", exc)
        return 0
    finally:
        if isinstance(source, RedisCache):
            source.close()
