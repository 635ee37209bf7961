"""A cache fault is never a request fault."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from depeche.cache import Cache, CacheBackend, cache_key, open_backend

from tests.redis_server import RedisServer
from tests.sync import Clock


class Broken(CacheBackend):
    name = "broken"

    def __init__(self) -> None:
        self.calls = 0

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        self.calls += 1
        raise ConnectionError("down")

    def set_many(self, items: Mapping[str, bytes], ttl: float) -> None:
        self.calls += 1
        raise OSError("disk full")

    def stats(self) -> dict[str, object]:
        raise ConnectionError("down")

    def clear(self) -> int:
        return 0


def test_faults_become_misses_and_are_counted() -> None:
    backend = Broken()
    clock = Clock()
    cache = Cache(backend, ttl=60, retry_after=5, clock=clock)
    assert cache.get_many(["a"]) == {}
    cache.set_many({"a": b"1"})  # bypassed: the backend is marked away
    assert cache.errors == 1 and backend.calls == 1
    clock.now += 4.9
    cache.set_many({"a": b"1"})  # still bypassed
    assert cache.errors == 1 and backend.calls == 1
    clock.now += 0.2
    cache.set_many({"a": b"1"})  # tried again after retry_after
    assert cache.errors == 2 and backend.calls == 2
    assert cache.stats()["errors"] == 2


def test_redis_killed_then_back(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    server.start()
    clock = Clock()
    cache = Cache(open_backend(server.url), ttl=60, retry_after=5, clock=clock)
    cache.set_many({"a": b"1"})
    assert cache.get_many(["a"]) == {"a": b"1"}
    server.stop()
    assert cache.get_many(["a"]) == {}  # down: a miss, not an exception
    assert cache.errors == 1
    server.start()  # same port, empty (no persistence)
    cache.set_many({"b": b"2"})  # still within retry_after: not tried
    assert cache.get_many(["b"]) == {} and cache.errors == 1
    clock.now += 5
    cache.set_many({"b": b"2"})
    assert cache.get_many(["b"]) == {"b": b"2"}
    server.stop()


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("kind", "summary"),
        ("model", "other"),
        ("revision", "abc"),
        ("engine", "transformers"),
        ("compute_type", "float32"),
        ("options", {"beam_size": 1}),
    ],
)
def test_keys_change_with_everything_that_changes_output(change: str, value: object) -> None:
    context: dict[str, object] = {
        "model": "m",
        "revision": "r",
        "engine": "ctranslate2",
        "compute_type": "int8",
        "options": {"beam_size": 4},
    }
    base = cache_key("sentence", context, "Bonjour.")
    if change == "kind":
        assert cache_key(str(value), context, "Bonjour.") != base
    else:
        assert cache_key("sentence", {**context, change: value}, "Bonjour.") != base


def test_keys_normalize_unicode() -> None:
    composed, decomposed = "\u00e9t\u00e9", "e\u0301te\u0301"
    assert cache_key("sentence", {}, composed) == cache_key("sentence", {}, decomposed)
    assert cache_key("sentence", {}, "Bonjour.") != cache_key("sentence", {}, "Bonjour !")
