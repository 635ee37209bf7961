"""Translated files kept in the store for their download, each its tenant's."""

from __future__ import annotations

import pytest
from depeche.errors import InputError, NotFoundError
from depeche.store import Store
from depeche.store.downloads import Downloads, TranslatedDocument
from depeche.tenants import Tenant, owner_of

from tests.sync import Clock

K1 = Tenant(owner_of("k1"), "key-1")
K2 = Tenant(owner_of("k2"), "key-2")


def test_documents_are_kept_for_a_while_and_downloaded_once(store: Store) -> None:
    clock = Clock()
    documents = Downloads(store, K1, clock=clock)
    document = TranslatedDocument("a.txt", b"hello", "text/plain", 5)
    document_id, key = documents.put(document)
    assert documents.get(document_id, key) == document
    assert documents.get(document_id, key, data=False).data == b""
    for wrong in ("wrong key", "clé", "\ud800"):
        with pytest.raises(NotFoundError):
            documents.get(document_id, wrong)
        with pytest.raises(NotFoundError):
            documents.take(document_id, wrong)
    assert documents.take(document_id, key) == document
    with pytest.raises(NotFoundError):
        documents.get(document_id, key)
    old_id, _ = documents.put(document)
    clock.now += 3601
    with pytest.raises(NotFoundError):
        documents.get(old_id, None)
    documents.put(document)  # sweeps what is past its time
    assert old_id not in store.documents.ids()


def test_another_key_does_not_find_a_document(store: Store) -> None:
    document = TranslatedDocument("a.txt", b"hello", "text/plain", 5)
    document_id, key = Downloads(store, K1).put(document)
    for call in (Downloads(store, K2).get, Downloads(store, K2).take):
        with pytest.raises(NotFoundError):
            call(document_id, key)
    assert Downloads(store, None).get(document_id, None) == document  # by its secret URL
    assert Downloads(store, K1).take(document_id, key) == document


def test_a_name_that_cannot_be_stored_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match="name"):
        Downloads(store, K1).put(TranslatedDocument("\ud800.txt", b"x", "text/plain", 1))
    assert store.documents.ids() == []
