"""Caching: the response cache and the sentence cache (`sentence_cache`), on one backend. It
holds only what may be lost; what users keep lives in the store (`depeche.store`).

`Cache` is what the rest of the service uses. It wraps a backend chosen by
`DEPECHE_CACHE_URL` (`sqlite:///path`, `redis://host:port/db`, `none`) and never lets a backend
fault through: a fault is logged, counted, and the cache is bypassed for a few seconds before
it is tried again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from urllib.parse import urlparse

from ..errors import ConfigurationError
from .base import CacheBackend, NullCache

log = logging.getLogger(__name__)

__all__ = ["Cache", "CacheBackend", "NullCache", "cache_key", "normalize", "open_backend"]


def open_backend(url: str, max_bytes: int = 1 << 30, root: Path | None = None) -> CacheBackend:
    """The backend for `url`. `sqlite:///relative` is relative to `root`, `sqlite:////abs` not."""
    if url in ("", "none"):
        return NullCache()
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = Path(url[len("sqlite:///") :])
        if not path.is_absolute() and root is not None:
            path = root / path
        from .sqlite import SQLiteCache

        return SQLiteCache(path, max_bytes)
    if scheme in ("redis", "rediss", "unix"):
        from .redis import RedisCache

        return RedisCache(url)
    raise ConfigurationError(f"unknown cache URL {url!r}: use sqlite:///path, redis://host, none")


def normalize(text: str) -> str:
    """The form of a text that keys depend on: Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def cache_key(kind: str, context: Mapping[str, object], payload: str) -> str:
    """A key covering everything that changes the output: the operation (`kind`), the model,
    engine and decoding settings (`context`) and the normalized input."""
    digest = hashlib.sha256(json.dumps([kind, context], sort_keys=True, default=str).encode())
    digest.update(b"\0" + normalize(payload).encode())
    return digest.hexdigest()


class Cache:
    """A backend behind a guard: a fault is a miss, never an error for the caller."""

    def __init__(
        self,
        backend: CacheBackend,
        ttl: float,
        retry_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.backend = backend
        self.ttl = ttl
        self.retry_after = retry_after
        self.clock = clock
        self.hits = 0
        self.misses = 0
        self.errors = 0
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return not isinstance(self.backend, NullCache)

    def _available(self) -> bool:
        return self.enabled and self.clock() >= self._down_until

    def _fault(self, action: str, exc: Exception) -> None:
        with self._lock:
            self.errors += 1
            self._down_until = self.clock() + self.retry_after
        log.warning(
            "cache %s failed (%s: %s); going on without it for %.0f s",
            action,
            type(exc).__name__,
            exc,
            self.retry_after,
        )

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The cached values of `keys`; {} when the backend is away."""
        if not keys or not self._available():
            if self.enabled:
                self.misses += len(keys)
            return {}
        try:
            found = self.backend.get_many(keys)
        except Exception as exc:  # any backend fault: a cache fault is never a request fault
            self._fault("read", exc)
            found = {}
        with self._lock:
            self.hits += len(found)
            self.misses += len(keys) - len(found)
        return found

    def set_many(self, items: Mapping[str, bytes]) -> None:
        """Store `items`; silently skipped when the backend is away."""
        if not items or not self._available():
            return
        try:
            self.backend.set_many(items, self.ttl)
        except Exception as exc:  # any backend fault: a cache fault is never a request fault
            self._fault("write", exc)

    def stats(self) -> dict[str, object]:
        """Backend statistics and this process's counters."""
        counters = {"hits": self.hits, "misses": self.misses, "errors": self.errors}
        try:
            return {**self.backend.stats(), **counters}
        except Exception as exc:  # stats are informative only
            return {"backend": self.backend.name, "error": str(exc), **counters}

    def clear(self) -> int:
        """Remove every entry."""
        return self.backend.clear()

    def close(self) -> None:
        """Close the backend."""
        self.backend.close()
