"""Redis: one cache shared by every replica of the service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from redis import Redis

from .base import CacheBackend

PREFIX = "depeche:"


class RedisCache(CacheBackend):
    """Entries are Redis keys under `depeche:`, with Redis' own expiry (PX)."""

    name = "redis"

    def __init__(self, url: str, timeout: float = 0.5) -> None:
        # Short timeouts: a Redis that is away must cost a request milliseconds, not seconds.
        self.url = url
        self.client = Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        if not keys:
            return {}
        values = self.client.mget([PREFIX + key for key in keys])
        # The client is built without decode_responses, so values are bytes.
        return {k: v for k, v in zip(keys, values, strict=True) if isinstance(v, bytes)}

    def set_many(self, items: Mapping[str, bytes], ttl: float) -> None:
        pipe = self.client.pipeline(transaction=False)
        for key, value in items.items():
            pipe.set(PREFIX + key, value, px=max(1, int(ttl * 1000)))
        pipe.execute()

    def _keys(self) -> list[bytes]:
        return list(self.client.scan_iter(match=PREFIX + "*", count=1000))

    def stats(self) -> dict[str, object]:
        keys = self._keys()
        memory = self.client.info("memory").get("used_memory")
        return {
            "backend": self.name,
            "url": self.url,
            "entries": len(keys),
            "server_memory_bytes": memory,
        }

    def clear(self) -> int:
        keys = self._keys()
        for first in range(0, len(keys), 500):
            self.client.unlink(*keys[first : first + 500])
        return len(keys)

    def close(self) -> None:
        self.client.close()
