"""Both shared backends behave alike; each is a real store (a SQLite file, a redis-server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from depeche.cache import CacheBackend, NullCache, open_backend
from depeche.cache.redis import PREFIX
from depeche.cache.sqlite import SQLiteCache
from depeche.errors import ConfigurationError

from tests.redis_server import RedisServer
from tests.sync import Clock


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CacheBackend]:
    if request.param == "sqlite":
        store: CacheBackend = open_backend(f"sqlite:///{tmp_path}/cache.db")
        yield store
        store.close()
        return
    server = RedisServer(tmp_path)
    server.start()
    store = open_backend(server.url)
    yield store
    store.close()
    server.stop()


def test_round_trip(backend: CacheBackend) -> None:
    backend.set_many({"a": b"1", "b": b"\x00\xff"}, ttl=60)
    assert backend.get_many(["a", "b", "c"]) == {"a": b"1", "b": b"\x00\xff"}
    assert backend.stats()["entries"] == 2


def test_sqlite_entries_expire(tmp_path: Path) -> None:
    clock = Clock()
    backend = SQLiteCache(tmp_path / "cache.db", 1 << 30, clock=clock)
    backend.set_many({"short": b"x"}, ttl=10)
    backend.set_many({"long": b"y"}, ttl=60)
    clock.now += 9.9
    assert backend.get_many(["short", "long"]) == {"short": b"x", "long": b"y"}
    clock.now += 0.2
    assert backend.get_many(["short", "long"]) == {"long": b"y"}
    assert backend.stats()["entries"] == 1
    backend.close()


def test_redis_entries_carry_their_ttl(tmp_path: Path) -> None:
    # redis-server expires keys by its own clock; what depeche controls is the TTL it sets.
    server = RedisServer(tmp_path)
    server.start()
    backend = open_backend(server.url)
    try:
        backend.set_many({"short": b"x"}, ttl=10)
        backend.set_many({"long": b"y"}, ttl=3600)
        client = redis.Redis.from_url(server.url)
        ttls = {key: client.pttl(PREFIX + key) for key in ("short", "long")}
        assert 9_000 < ttls["short"] <= 10_000 and 3_599_000 < ttls["long"] <= 3_600_000
        client.close()
    finally:
        backend.close()
        server.stop()


def test_clear(backend: CacheBackend) -> None:
    backend.set_many({f"k{i}": b"v" for i in range(30)}, ttl=60)
    assert backend.clear() == 30
    assert backend.get_many(["k1"]) == {}


@pytest.mark.parametrize(
    ("url", "kind"),
    [("none", NullCache), ("", NullCache), ("sqlite:///relative.db", SQLiteCache)],
)
def test_open_backend_by_url(tmp_path: Path, url: str, kind: type) -> None:
    backend = open_backend(url, root=tmp_path)
    assert isinstance(backend, kind)
    backend.close()


def test_relative_sqlite_path_is_under_the_root(tmp_path: Path) -> None:
    backend = open_backend("sqlite:///sub/cache.db", root=tmp_path)
    assert isinstance(backend, SQLiteCache) and backend.path == tmp_path / "sub" / "cache.db"
    backend.close()


def test_unknown_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        open_backend("memcached://localhost")
