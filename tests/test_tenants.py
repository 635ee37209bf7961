"""Tenants: who a key is, what it sees and manages."""

from __future__ import annotations

import pytest
from depeche.errors import MissingApiKeyError
from depeche.tenants import SHARED, owner_of, tenant


@pytest.mark.parametrize(
    ("key", "keys", "admins", "owner", "name", "admin"),
    [
        (None, [], [], SHARED, "anonymous", True),  # an open server: one tenant
        ("k1", [], [], SHARED, f"key-{owner_of('k1')[:8]}", True),
        ("k1", ["k1", "k2"], [], owner_of("k1"), f"key-{owner_of('k1')[:8]}", False),
        ("boss", ["k1", "boss"], ["boss"], owner_of("boss"), f"key-{owner_of('boss')[:8]}", True),
    ],
)
def test_tenant_of_a_key(
    key: str | None, keys: list[str], admins: list[str], owner: str, name: str, admin: bool
) -> None:
    found = tenant(key, keys, admins)
    assert (found.owner, found.name, found.admin) == (owner, name, admin)


def test_what_a_tenant_sees_and_manages() -> None:
    k1 = tenant("k1", ["k1"], [])
    assert k1.sees == (owner_of("k1"), SHARED) and k1.manages == (owner_of("k1"),)
    boss = tenant("boss", ["boss"], ["boss"])
    assert boss.sees is None and boss.manages is None


def test_owners_are_hashes_never_keys() -> None:
    assert owner_of("k1") != owner_of("k2") and "k1" not in owner_of("k1")
    assert len(owner_of("k1")) == 32


def test_a_keyed_server_needs_a_key() -> None:
    with pytest.raises(MissingApiKeyError):
        tenant(None, ["k1"], [])
