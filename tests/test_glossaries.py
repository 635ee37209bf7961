from __future__ import annotations

from pathlib import Path

import pytest
from depeche.cache import Cache, open_backend
from depeche.errors import NotFoundError, StoreUnavailableError
from depeche.glossaries import Glossaries
from depeche.glossary import Glossary

from tests.redis_server import RedisServer

TERMS = Glossary.of({"Minrex": "Cuban Foreign Ministry", "RHC": "Radio Havana Cuba"}, "house")


def test_glossaries_survive_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/store.db"
    first = Glossaries(Cache(open_backend(url), ttl=60))
    stored = first.create(TERMS)
    first.cache.clear()
    first.cache.close()
    again = Glossaries(Cache(open_backend(url), ttl=60))
    assert again.get(stored.glossary_id) == stored
    assert [g.glossary_id for g in again.list()] == [stored.glossary_id]
    assert stored.info()["entry_count"] == 2 and stored.info()["name"] == "house"
    again.delete(stored.glossary_id)
    with pytest.raises(NotFoundError):
        again.get(stored.glossary_id)
    with pytest.raises(NotFoundError):
        again.delete(stored.glossary_id)


def test_replicas_on_one_redis_share_glossaries(redis_server: RedisServer) -> None:
    one = Glossaries(Cache(open_backend(redis_server.url), ttl=60))
    other = Glossaries(Cache(open_backend(redis_server.url), ttl=60))
    stored = one.create(TERMS)
    assert other.get(stored.glossary_id).glossary == TERMS
    other.delete(stored.glossary_id)
    assert one.list() == []


def test_a_store_that_is_away_is_an_error_not_a_miss(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    server.start()
    glossaries = Glossaries(Cache(open_backend(server.url), ttl=60))
    server.stop()
    with pytest.raises(StoreUnavailableError):
        glossaries.list()
