"""Stored glossaries: in the store, kept apart by tenant."""

from __future__ import annotations

import pytest
from depeche.errors import InputError, NotFoundError
from depeche.glossary import Glossary
from depeche.store import GlossaryRecord, Store, connect
from depeche.store.glossaries import StoredGlossaries
from depeche.tenants import SHARED, Tenant, owner_of

TERMS = Glossary.of({"Minrex": "Cuban Foreign Ministry", "RHC": "Radio Havana Cuba"}, "house")
K1 = Tenant(owner_of("k1"), "key-1")
K2 = Tenant(owner_of("k2"), "key-2")
ADMIN = Tenant(owner_of("boss"), "key-b", admin=True)


def test_glossaries_survive_a_restart(store_url: str) -> None:
    first = StoredGlossaries(connect(store_url), K1)
    stored = first.create(TERMS)
    first.store.close()
    again = StoredGlossaries(connect(store_url), K1)
    assert again.get(stored.glossary_id) == stored
    assert [g.glossary_id for g in again.list()] == [stored.glossary_id]
    assert stored.info()["entry_count"] == 2 and stored.info()["name"] == "house"
    again.delete(stored.glossary_id)
    with pytest.raises(NotFoundError):
        again.get(stored.glossary_id)
    with pytest.raises(NotFoundError):
        again.delete(stored.glossary_id)
    again.store.close()


def test_replicas_on_one_postgresql_share_glossaries(postgres_url: str) -> None:
    one = StoredGlossaries(connect(postgres_url), K1)
    other = StoredGlossaries(connect(postgres_url), K1)
    stored = one.create(TERMS)
    assert other.get(stored.glossary_id).glossary == TERMS
    other.delete(stored.glossary_id)
    assert one.list() == []
    one.store.close()
    other.store.close()


def test_another_key_neither_sees_uses_changes_nor_deletes(store: Store) -> None:
    mine = StoredGlossaries(store, K1).create(TERMS)
    theirs = StoredGlossaries(store, K2)
    with pytest.raises(NotFoundError):
        theirs.update(mine, Glossary((), "theirs"))
    assert theirs.list() == []
    with pytest.raises(NotFoundError):
        theirs.get(mine.glossary_id)
    with pytest.raises(NotFoundError):
        theirs.delete(mine.glossary_id)
    assert StoredGlossaries(store, K1).get(mine.glossary_id) == mine
    admin = StoredGlossaries(store, ADMIN)
    assert [g.glossary_id for g in admin.list()] == [mine.glossary_id]
    admin.delete(mine.glossary_id)
    assert StoredGlossaries(store, K1).list() == []


def test_what_belongs_to_no_key_is_seen_by_all_and_managed_by_admins(store: Store) -> None:
    store.glossaries.put(GlossaryRecord("old", SHARED, "house", "2024", TERMS.entries))
    assert [g.glossary_id for g in StoredGlossaries(store, K2).list()] == ["old"]
    assert StoredGlossaries(store, K1).get("old").glossary == TERMS
    with pytest.raises(NotFoundError):
        StoredGlossaries(store, K1).delete("old")
    shared = StoredGlossaries(store, K1).get("old")
    with pytest.raises(NotFoundError):
        StoredGlossaries(store, K1).update(shared, Glossary((), "mine now"))
    renamed = StoredGlossaries(store, ADMIN).update(shared, Glossary(TERMS.entries, "renamed"))
    assert StoredGlossaries(store, K2).get("old") == renamed and renamed.owner == SHARED
    StoredGlossaries(store, ADMIN).delete("old")


@pytest.mark.parametrize("name", ["\ud800", "a\x00b"])
def test_a_name_that_cannot_be_stored_is_refused_and_nothing_is_stored(
    store: Store, name: str
) -> None:
    with pytest.raises(InputError, match="name"):
        StoredGlossaries(store, K1).create(Glossary(TERMS.entries, name))
    assert store.glossaries.all() == []


def test_an_emptied_glossary_is_kept_empty(store: Store) -> None:
    mine = StoredGlossaries(store, K1).create(TERMS)
    emptied = StoredGlossaries(store, K1).update(mine, Glossary((), "house"))
    assert StoredGlossaries(store, K1).get(mine.glossary_id) == emptied
    assert emptied.glossary.entries == () and emptied.created == mine.created


def test_a_glossary_that_cannot_be_read_is_skipped(store: Store) -> None:
    kept = StoredGlossaries(store, K1).create(TERMS)
    # Written by another tool: the same term twice is not a glossary.
    store.glossaries.put(
        GlossaryRecord("twice", K1.owner, "x", "2025", (("RHC", "a"), ("RHC", "b")))
    )
    assert [g.glossary_id for g in StoredGlossaries(store, K1).list()] == [kept.glossary_id]
    with pytest.raises(NotFoundError):
        StoredGlossaries(store, K1).get("twice")
    StoredGlossaries(store, K1).delete("twice")


def test_a_glossary_read_again_unchanged_is_the_one_read_before(store: Store) -> None:
    """A request naming a stored glossary reads one row while no glossary has changed: the
    entries are not read or parsed again, and the digest is the one computed before."""
    mine = StoredGlossaries(store, K1)
    stored = mine.create(TERMS)
    first = mine.get(stored.glossary_id)
    assert StoredGlossaries(store, K1).get(stored.glossary_id) is first
    # Another tenant's reading is its own (it sees other owners).
    with pytest.raises(NotFoundError):
        StoredGlossaries(store, K2).get(stored.glossary_id)
    assert StoredGlossaries(store, ADMIN).get(stored.glossary_id) is not first


@pytest.mark.parametrize("change", ["update", "delete", "another"])
def test_a_change_from_another_replica_is_seen_at_once(store_url: str, change: str) -> None:
    reader = StoredGlossaries(connect(store_url), K1)
    writer = StoredGlossaries(connect(store_url), K1)
    stored = writer.create(TERMS)
    assert reader.get(stored.glossary_id).glossary == TERMS
    changed = Glossary.of({"Minrex": "Cuba's foreign ministry"}, "house")
    if change == "update":
        writer.update(stored, changed)
        assert reader.get(stored.glossary_id).glossary == changed
    elif change == "delete":
        writer.delete(stored.glossary_id)
        with pytest.raises(NotFoundError):
            reader.get(stored.glossary_id)
    else:  # another glossary made: the one read before is read again, unchanged
        writer.create(changed)
        assert reader.get(stored.glossary_id).glossary == TERMS
    reader.store.close()
    writer.store.close()
