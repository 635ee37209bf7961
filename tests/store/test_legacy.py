"""What an older depeche kept as records in its cache moves into the store on first start,
once, and leaves the cache."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from depeche.config import Settings
from depeche.store import Store, open_store
from depeche.store.records import Approval
from depeche.tenants import SHARED, owner_of
from redis import Redis

from tests.redis_server import RedisServer

OWNER = owner_of("k1")
GLOSSARY = {"name": "house", "created": "2024-05-01T10:00:00.000Z", "entries": [["RHC", "RHC"]]}
APPROVAL = {"source": "Le maire a parlé.", "text": "The mayor spoke.", "who": "cli", "when": "W"}


def held(now: float) -> dict[str, dict[str, bytes]]:
    """Records as an older depeche wrote them, by kind and key."""
    document = {"name": "a.txt", "media_type": "text/plain", "billed": 5, "key": "secret"}
    return {
        "glossary": {
            "g1": json.dumps(GLOSSARY).encode(),
            "bad": json.dumps({**GLOSSARY, "name": "\ud800"}).encode(),  # never stored
        },
        "approved": {APPROVAL["source"]: json.dumps(APPROVAL).encode()},
        "approved-meta": {"generation": b"0123"},
        "document": {
            "d1": json.dumps({**document, "expires": now + 3600}).encode(),
            "old": json.dumps({**document, "expires": now - 1}).encode(),
        },
        "document-data": {"d1": b"hello", "old": b"gone"},
    }


def settings_for(store_url: str, cache_url: str, folder: Path) -> Settings:
    return Settings(
        store_url=store_url, cache_url=cache_url, models_dir=folder / "models", data_dir=folder
    )


def check_moved(store: Store) -> None:
    glossary = store.glossaries.get("g1")
    assert (
        glossary is not None and glossary.owner == SHARED and glossary.entries == (("RHC", "RHC"),)
    )
    assert [g.id for g in store.glossaries.all()] == ["g1"]
    assert store.approvals.all() == [Approval(**APPROVAL)]
    document = store.documents.get("d1", None, time.time())
    assert document is not None and (document.data, document.key) == (b"hello", "secret")
    assert store.documents.ids() == ["d1"]  # the expired one is not moved
    assert store.usage.get(OWNER) == 42


@pytest.mark.parametrize("where", ["", "models"])
def test_from_a_sqlite_cache(store_url: str, tmp_path: Path, where: str) -> None:
    # A relative cache URL: in the cache folder, or where an older depeche kept it, the
    # models folder.
    (tmp_path / where).mkdir(exist_ok=True)
    cache = tmp_path / where / "cache.sqlite3"
    with sqlite3.connect(cache) as conn:
        conn.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value BLOB)")
        conn.execute("INSERT INTO entries VALUES ('cached', x'00')")
        conn.execute("CREATE TABLE counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        conn.execute("INSERT INTO counters VALUES (?, 42)", (f"deepl-usage:{OWNER}",))
        conn.execute("CREATE TABLE records (kind TEXT, key TEXT, value BLOB)")
        for kind, records in held(time.time()).items():
            conn.executemany(
                "INSERT INTO records VALUES (?, ?, ?)",
                [(kind, key, value) for key, value in records.items()],
            )
    conn.close()
    settings = settings_for(store_url, "sqlite:///cache.sqlite3", tmp_path)  # relative
    store = open_store(settings)
    check_moved(store)
    store.close()
    with sqlite3.connect(cache) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "records" not in tables and "counters" not in tables
        assert conn.execute("SELECT key FROM entries").fetchall() == [("cached",)]
        # Were the counters there again (a crash between the store's commit and the cache's
        # cleanup), they would not be added twice.
        conn.execute("CREATE TABLE counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        conn.execute("INSERT INTO counters VALUES (?, 42)", (f"deepl-usage:{OWNER}",))
    conn.close()
    store = open_store(settings)
    assert store.usage.get(OWNER) == 42
    store.close()


def test_from_redis_once_it_can_be_reached(store_url: str, tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    settings = settings_for(store_url, server.url, tmp_path)
    store = open_store(settings)  # Redis away: the store opens, the move waits
    assert store.glossaries.all() == []
    store.close()
    server.start()
    try:
        client = Redis.from_url(server.url)
        for kind, records in held(time.time()).items():
            client.hset(f"depeche-records:{kind}", mapping=records)  # type: ignore[arg-type]
        client.set(f"depeche-counter:deepl-usage:{OWNER}", 42)
        client.set("depeche:cached", b"entry")
        store = open_store(settings)
        check_moved(store)
        store.close()
        assert client.keys("*") == [b"depeche:cached"]
        client.set(f"depeche-counter:deepl-usage:{OWNER}", 42)
        store = open_store(settings)
        assert store.usage.get(OWNER) == 42  # moved once
        store.close()
        client.close()
    finally:
        server.stop()
