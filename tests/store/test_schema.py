"""Schema versions: a fresh store gets every migration, an older one the missing ones, and a
store newer than the code is refused before anything is written."""

from __future__ import annotations

import threading

import pytest
from depeche.errors import ConfigurationError
from depeche.store import connect
from depeche.store.records import Approval, GlossaryRecord
from depeche.store.schema import MIGRATIONS, Migration, migrate, portable

from tests.store.conftest import unmigrated

LATER = Migration(
    MIGRATIONS[-1].version + 1,
    "a note on each glossary",
    portable("ALTER TABLE glossaries ADD COLUMN note TEXT NOT NULL DEFAULT ''"),
)


def versions(store_url: str, check: bool = True) -> list[int]:
    """The versions recorded in `schema_version` (`check`: once the store is opened as usual,
    else without migrating)."""
    store = connect(store_url) if check else unmigrated(store_url)
    with store.read() as cursor:
        rows = cursor.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    store.close()
    return [int(row[0]) for row in rows]


def test_a_fresh_store_gets_every_migration(store_url: str) -> None:
    store = connect(store_url)
    assert store.version == MIGRATIONS[-1].version
    store.approvals.put([Approval("Le maire.", "The mayor.", "cli", "2024-05-01T10:00:00Z")])
    store.close()
    assert versions(store_url) == [m.version for m in MIGRATIONS]


def test_an_older_store_is_upgraded_and_keeps_its_records(store_url: str) -> None:
    store = connect(store_url)  # as the older code left it
    glossary = GlossaryRecord("g1", "o1", "house", "2024-05-01T10:00:00Z", (("RHC", "RHC"),))
    store.glossaries.put(glossary)
    assert migrate(store, [*MIGRATIONS, LATER]) == LATER.version
    assert store.version == LATER.version
    assert store.glossaries.get("g1") == glossary
    with store.read() as cursor:
        assert cursor.execute("SELECT note FROM glossaries").fetchall() == [("",)]
    assert migrate(store, [*MIGRATIONS, LATER]) == LATER.version  # nothing left to do
    store.close()
    assert versions(store_url, check=False)[-1] == LATER.version


def test_a_store_newer_than_the_code_is_refused(store_url: str) -> None:
    store = connect(store_url)
    migrate(store, [*MIGRATIONS, LATER])
    store.close()
    known = MIGRATIONS[-1].version
    with pytest.raises(ConfigurationError, match=rf"version {LATER.version};.* up to {known}"):
        connect(store_url)
    assert versions(store_url, check=False)[-1] == LATER.version  # left as it was


def test_replicas_starting_together_migrate_once(postgres_url: str) -> None:
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def replica() -> None:
        start.wait()
        try:
            connect(postgres_url).close()
        except BaseException as exc:  # the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=replica) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert versions(postgres_url) == [m.version for m in MIGRATIONS]
