"""Helpers of the store's tests (the `store_url` and `store` fixtures, on SQLite and on a real
PostgreSQL, are everyone's: tests/conftest.py)."""

from __future__ import annotations

import importlib

from depeche.store import STORES, Store


def unmigrated(url: str) -> Store:
    """The store of `url`, opened without touching its schema."""
    module, _, name = STORES[url.partition(":")[0]].partition(":")
    store_class: type[Store] = getattr(importlib.import_module(module, "depeche.store"), name)
    return store_class.from_url(url)
