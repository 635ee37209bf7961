"""The cache backend interface: bytes by key, with expiry."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import ClassVar


class CacheBackend(ABC):
    """A shared key-value store. Methods may raise on faults; `Cache` turns them into misses."""

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

    @abstractmethod
    def add(self, counter: str, amount: int) -> int:
        """Add `amount` to a counter (usage: never expired, never cleared); its new value."""

    # Records: what users keep (glossaries, approved translations), never expired or evicted
    # and left by `clear`; grouped by `kind`.

    @abstractmethod
    def put_record(self, kind: str, key: str, value: bytes) -> None:
        """Store (or replace) a record."""

    @abstractmethod
    def records(self, kind: str, keys: Sequence[str] | None = None) -> dict[str, bytes]:
        """The records of `kind` (those of `keys` when given)."""

    @abstractmethod
    def delete_record(self, kind: str, key: str) -> bool:
        """Remove a record; whether it was there."""

    def close(self) -> None:  # noqa: B027 - backends without resources need nothing here
        """Release connections."""


class NullCache(CacheBackend):
    """`DEPECHE_CACHE_URL=none`: caches nothing; counters and records live in this process."""

    name = "none"

    def __init__(self) -> None:
        self._counters: dict[str, int] = {}
        self._records: dict[str, dict[str, bytes]] = {}
        self._lock = threading.Lock()

    def put_record(self, kind: str, key: str, value: bytes) -> None:
        with self._lock:
            self._records.setdefault(kind, {})[key] = value

    def records(self, kind: str, keys: Sequence[str] | None = None) -> dict[str, bytes]:
        with self._lock:
            found = dict(self._records.get(kind, {}))
        return found if keys is None else {k: found[k] for k in keys if k in found}

    def delete_record(self, kind: str, key: str) -> bool:
        with self._lock:
            return self._records.get(kind, {}).pop(key, None) is not None

    def add(self, counter: str, amount: int) -> int:
        with self._lock:
            self._counters[counter] = self._counters.get(counter, 0) + amount
            return self._counters[counter]

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        return {}

    def set_many(self, items: Mapping[str, bytes], ttl: float) -> None:
        return None

    def stats(self) -> dict[str, object]:
        return {"backend": self.name, "entries": 0, "bytes": 0}

    def clear(self) -> int:
        return 0
