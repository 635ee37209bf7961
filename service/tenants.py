"""Tenants: glossaries, documents and usage belong to the API key that made them.

A key is known by its owner id, a hash of it (keys are never stored). Another key cannot see,
use or delete what a key owns; admin keys (`DEPECHE_ADMIN_KEYS`) see and manage everything.
An open server (no keys) is one tenant that sees everything. What belongs to no key (made on
an open server, or by an older depeche) is `SHARED`: every key sees and uses it, admins manage
it. Approved translations are the newsroom's, not a tenant's: they carry their writer's name.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import MissingApiKeyError

# The owner id stored on the records no key owns (newsroom-wide); a key's owner id is 32
# hex digits, never this word.
SHARED = "shared"


def owner_of(key: str) -> str:
    """The owner id of an API key: a hash of it, never the key."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Tenant:
    """Who a call speaks for: the owner of what it makes, its name on what it approves, and whether
    it manages everything."""

    owner: str
    name: str
    admin: bool = False

    @property
    def sees(self) -> tuple[str, ...] | None:
        """The owners whose records this tenant sees and uses (None: every owner)."""
        return None if self.admin else (self.owner, SHARED)

    @property
    def manages(self) -> tuple[str, ...] | None:
        """The owners whose records this tenant may delete (None: every owner)."""
        return None if self.admin else (self.owner,)


# The command line runs on the server with its operator's rights.
OPERATOR = Tenant(SHARED, "cli", admin=True)


def tenant(key: str | None, keys: Sequence[str], admin_keys: Sequence[str]) -> Tenant:
    """The tenant of a request's key, once checked against `keys` (none: an open server)."""
    name = f"key-{owner_of(key)[:8]}" if key else "anonymous"
    if not keys:
        return Tenant(SHARED, name, admin=True)
    if not key:
        raise MissingApiKeyError("an API key is required")
    admin = False
    for candidate in admin_keys:  # no early exit: the time taken says nothing about the keys
        admin |= hmac.compare_digest(key.encode(), candidate.encode())
    return Tenant(owner_of(key), name, admin)
