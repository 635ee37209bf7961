"""Both shared backends behave alike; each is a real store (a SQLite file, a redis-server)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from depeche.cache import CacheBackend, NullCache, open_backend
from depeche.cache.sqlite import SQLiteCache
from depeche.errors import ConfigurationError

from tests.redis_server import RedisServer


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


def test_entries_expire(backend: CacheBackend) -> None:
    backend.set_many({"short": b"x"}, ttl=0.2)
    backend.set_many({"long": b"y"}, ttl=60)
    time.sleep(0.4)
    assert backend.get_many(["short", "long"]) == {"long": b"y"}


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
