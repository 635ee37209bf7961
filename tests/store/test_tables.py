"""Each table's operations, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from depeche.errors import StoreUnavailableError
from depeche.store import Store, connect
from depeche.store.postgres import PostgresStore
from depeche.store.records import (
    Approval,
    DocumentRecord,
    GlossaryRecord,
    Suggestion,
)

from tests.postgres_server import PostgresServer
from tests.sync import Clock

WHEN = "2024-05-01T10:00:00Z"
MAIRE = Approval("Le maire a parlé.", "The mayor spoke.", "cli", WHEN)
GREVE = Approval("La grève continue.", "The strike goes on.", "key-1a2b3c4d", WHEN)


def test_approvals_and_their_generation(store: Store, store_url: str) -> None:
    first = store.approvals.generation()
    store.approvals.put([MAIRE, GREVE])
    second = store.approvals.generation()
    assert second != first and store.approvals.generation() == second  # reads change nothing
    assert store.approvals.get([MAIRE.source, "absent"]) == {MAIRE.source: MAIRE}
    assert store.approvals.all() == [GREVE, MAIRE]  # by source
    replaced = Approval(MAIRE.source, "The mayor said.", "key-9f8e7d6c", WHEN)
    replica = connect(store_url)  # another process on the same store
    replica.approvals.put([replaced])
    assert store.approvals.get([MAIRE.source]) == {MAIRE.source: replaced}
    assert store.approvals.generation() not in (first, second)
    third = store.approvals.generation()
    assert store.approvals.delete([MAIRE.source, "absent"]) == 1
    assert replica.approvals.all() == [GREVE]
    assert replica.approvals.generation() != third
    replica.close()


def test_a_suggestion_waits_then_becomes_approvals_at_once(store: Store) -> None:
    pending = Suggestion("s1", "Le maire a parlé.", "<script>x</script>", "anonymous", WHEN)
    store.suggestions.put(pending)
    store.suggestions.put(Suggestion("s2", "Il pleut.", "It rains.", "anonymous", WHEN))
    assert [s.id for s in store.suggestions.all()] == ["s1", "s2"]
    assert store.approvals.all() == []  # never used until approved
    generation = store.approvals.generation()
    assert store.suggestions.resolve("s2", [Approval("Il pleut.", "It rains.", "ed", WHEN)])
    assert store.approvals.get(["Il pleut."])["Il pleut."].who == "ed"
    assert store.approvals.generation() != generation
    assert not store.suggestions.resolve("s2", [MAIRE])  # no longer pending: nothing stored
    assert store.approvals.get([MAIRE.source]) == {}
    assert store.suggestions.get("s1") == pending
    assert store.suggestions.delete("s1") and not store.suggestions.delete("s1")
    assert store.suggestions.all() == []


def test_glossaries_by_owner(store: Store) -> None:
    house = GlossaryRecord("g1", "k1", "house", WHEN, (("Minrex", "MINREX"), ("RHC", "RHC")))
    wire = GlossaryRecord("g2", "k2", "wire", "2024-05-02T10:00:00Z", (("AFP", "AFP"),))
    store.glossaries.put(house)
    store.glossaries.put(wire)
    assert store.glossaries.all() == [house, wire]  # oldest first
    assert store.glossaries.all(["k2"]) == [wire]
    assert store.glossaries.get("g1", ["k2", "shared"]) is None
    assert store.glossaries.get("g1", ["k1"]) == house
    assert not store.glossaries.delete("g1", ["k2"])
    assert store.glossaries.delete("g1", ["k1"])
    with store.read() as cursor:  # its entries went with it
        assert cursor.execute("SELECT count(*) FROM glossary_entries").fetchone()[0] == 1
    assert store.glossaries.all() == [wire]


def document(document_id: str, owner: str, expires: float) -> DocumentRecord:
    return DocumentRecord(document_id, owner, "key", "a.docx", "x/y", 12, expires, b"\0PK\xff")


def test_documents_by_owner_until_their_time_and_taken_once(store: Store) -> None:
    store.documents.put(document("d1", "k1", 100.0))
    store.documents.put(document("d2", "k2", 200.0))
    assert store.documents.get("d1", ["k1"], now=50.0) == document("d1", "k1", 100.0)
    assert store.documents.get("d1", ["k2"], now=50.0) is None
    assert store.documents.get("d1", None, now=150.0) is None  # past its time
    assert store.documents.get("d2", None, now=50.0, data=False).data == b""  # type: ignore[union-attr]
    assert store.documents.take("d2", ["k2"], now=50.0, key="wrong") is None
    assert store.documents.take("d2", ["k1"], now=50.0, key="key") is None
    assert store.documents.take("d2", ["k2"], now=50.0, key="key") == document("d2", "k2", 200.0)
    assert store.documents.take("d2", ["k2"], now=50.0, key="key") is None
    assert store.documents.sweep(now=150.0) == 1
    assert store.documents.ids() == []


def test_usage_adds_up_under_concurrent_writers(store: Store, store_url: str) -> None:
    replicas = [store, connect(store_url)]
    start = threading.Barrier(4)

    def count(replica: Store) -> None:
        start.wait()
        for _ in range(25):
            replica.usage.add("k1", 2)

    threads = [threading.Thread(target=count, args=(replicas[i % 2],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.usage.get("k1") == 200 and store.usage.get("k2") == 0
    assert store.usage.add("k2", 0) == 0
    replicas[1].close()


def test_a_row_that_cannot_be_read_is_skipped_and_can_be_deleted(tmp_path: Path) -> None:
    store = connect(f"sqlite:///{tmp_path}/store.sqlite3")
    good = GlossaryRecord("g1", "k1", "house", WHEN, (("RHC", "RHC"),))
    store.glossaries.put(good)
    with store.transaction() as cursor:  # another tool wrote bytes that are not UTF-8
        cursor.execute(
            "INSERT INTO glossaries VALUES ('bad', 'k1', CAST(x'ff41' AS TEXT), ?)", (WHEN,)
        )
        cursor.execute("INSERT INTO approvals VALUES (CAST(x'c3' AS TEXT), 'x', 'y', 'z')")
    assert store.glossaries.all() == [good]
    assert store.glossaries.get("bad") is None
    assert store.approvals.all() == []
    assert store.glossaries.delete("bad", ["k1"])
    store.close()


def test_a_store_that_is_away_is_an_error_said_at_once(tmp_path: Path) -> None:
    server = PostgresServer()
    server.start()
    clock = Clock()
    try:
        store = PostgresStore(server.database(), timeout=0.5, retry_after=5.0, clock=clock)
        store.migrate()
        store.approvals.put([MAIRE])
        server.halt()
        with pytest.raises(StoreUnavailableError, match="cannot be reached"):
            store.glossaries.all()
        asked = store.pool.get_stats()["requests_num"]
        clock.now += 4.9
        with pytest.raises(StoreUnavailableError, match="cannot be reached"):
            store.approvals.all()  # not waited for: the pool is not even asked
        assert store.pool.get_stats()["requests_num"] == asked
        server.start()
        clock.now += 0.2
        assert store.approvals.all() == [MAIRE]
        store.close()
    finally:
        server.stop()
    (tmp_path / "folder.sqlite3").mkdir()
    with pytest.raises(StoreUnavailableError, match="cannot be used"):
        connect(f"sqlite:///{tmp_path}/folder.sqlite3")


def test_keys_that_cannot_be_stored_find_nothing(store: Store) -> None:
    store.approvals.put([MAIRE])
    bad = "\ud800"
    assert store.approvals.get([bad, MAIRE.source]) == {MAIRE.source: MAIRE}
    assert store.approvals.delete([bad]) == 0
    assert store.glossaries.get(bad) is None and not store.glossaries.delete(bad)
    assert store.documents.get(bad, None, now=0.0) is None
    assert store.documents.take("d1", None, now=0.0, key=bad) is None
    assert store.suggestions.get(bad) is None and not store.suggestions.delete(bad)
    assert store.usage.get(bad) == 0
