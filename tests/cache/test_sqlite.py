from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from depeche.cache.sqlite import SQLiteCache


def test_size_cap_evicts_the_oldest(tmp_path: Path) -> None:
    cache = SQLiteCache(tmp_path / "c.db", max_bytes=10_000)
    for i in range(40):
        cache.set_many({f"key{i:03}": b"x" * 1000}, ttl=60)
    cache.evict()
    stats = cache.stats()
    assert stats["bytes"] <= 10_000  # type: ignore[operator]
    assert cache.get_many(["key039"]) and not cache.get_many(["key000"])


def test_wal_mode_and_shared_between_connections(tmp_path: Path) -> None:
    first = SQLiteCache(tmp_path / "c.db", max_bytes=1 << 20)
    second = SQLiteCache(tmp_path / "c.db", max_bytes=1 << 20)
    first.set_many({"a": b"1"}, ttl=60)
    assert second.get_many(["a"]) == {"a": b"1"}
    mode = sqlite3.connect(tmp_path / "c.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_corrupted_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    path.write_bytes(b"this is not a database at all" * 200)
    cache = SQLiteCache(path, max_bytes=1 << 20)
    cache.set_many({"a": b"1"}, ttl=60)
    assert cache.get_many(["a"]) == {"a": b"1"}
    assert cache.integrity() == "ok"
    assert list(tmp_path.glob("c.db.corrupt-*"))  # kept aside for a look


def test_read_only_file_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    writer = SQLiteCache(path, max_bytes=1 << 20)
    writer.set_many({"a": b"1"}, ttl=60)
    writer.close()
    os.chmod(path, stat.S_IRUSR)
    os.chmod(tmp_path, stat.S_IRUSR | stat.S_IXUSR)
    try:
        reader = SQLiteCache(path, max_bytes=1 << 20)
        if os.geteuid() != 0:  # root writes through permission bits
            assert reader.get_many(["a"]) == {"a": b"1"}
    finally:
        os.chmod(tmp_path, stat.S_IRWXU)
