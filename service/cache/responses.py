"""Whole answers (a translated article, a summary) kept under keys that cover the model, its
settings and the input, so that the same request is answered again without the engine."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic_core import from_json

from . import Cache, cache_key

T = TypeVar("T")


class ResponseCache(Generic[T]):
    """Values of one kind (`kind` is part of every key), stored as JSON."""

    def __init__(
        self,
        cache: Cache,
        kind: str,
        dump: Callable[[T], dict[str, Any]],
        load: Callable[[dict[str, Any]], T],
    ) -> None:
        self.cache = cache
        self.kind = kind
        self._dump = dump
        self._load = load

    def key(self, context: Mapping[str, object], payload: str) -> str:
        """The key of `payload` under `context` (model, engine, options...)."""
        return cache_key(self.kind, context, payload)

    def get_many(self, keys: Sequence[str]) -> dict[str, T]:
        """The stored values among `keys`; an entry that cannot be read is a miss."""
        found: dict[str, T] = {}
        for key, value in self.cache.get_many(list(dict.fromkeys(keys))).items():
            try:
                # pydantic's JSON reader: a cached article is read on every hit, in half the
                # time of the standard library's.
                found[key] = self._load(from_json(value))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
        return found

    def set_many(self, items: Mapping[str, T]) -> None:
        """Store values by key (nothing is written out when the cache is off)."""
        if not self.cache.enabled:
            return
        self.cache.set_many({k: json.dumps(self._dump(v)).encode() for k, v in items.items()})

    def through(self, keys: Sequence[str], compute: Callable[[list[int]], Sequence[T]]) -> list[T]:
        """The value of each key: stored ones from the cache, the others from `compute` (given
        the indices of the missing keys, it returns their values in order), then stored."""
        found = self.get_many(keys)
        missing = [i for i, key in enumerate(keys) if key not in found]
        fresh = list(compute(missing))
        self.set_many({keys[i]: value for i, value in zip(missing, fresh, strict=True)})
        by_index = dict(zip(missing, fresh, strict=True))
        return [by_index[i] if i in by_index else found[key] for i, key in enumerate(keys)]
