"""The cache backend interface: bytes by key, with expiry. Only what may be lost: what users
keep lives in the store (`depeche.store`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import ClassVar


class CacheBackend(ABC):
    """A shared key-value cache. Methods may raise on faults; `Cache` turns them into misses."""

    name: ClassVar[str]

    @abstractmethod
    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The values of the keys present and not expired."""

    @abstractmethod
    def set_many(self, items: Mapping[str, bytes], ttl: float) -> None:
        """Store values that expire after `ttl` seconds."""

    @abstractmethod
    def stats(self) -> dict[str, object]:
        """Entries, bytes and whatever else the backend knows."""

    @abstractmethod
    def clear(self) -> int:
        """Remove every entry; returns how many there were."""

    def close(self) -> None:  # noqa: B027 - backends without resources need nothing here
        """Release connections."""


class NullCache(CacheBackend):
    """`DEPECHE_CACHE_URL=none`: caches nothing."""

    name = "none"

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        return {}

    def set_many(self, items: Mapping[str, bytes], ttl: float) -> None:
        return None

    def stats(self) -> dict[str, object]:
        return {"backend": self.name, "entries": 0, "bytes": 0}

    def clear(self) -> int:
        return 0
