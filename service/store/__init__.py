"""The store: what users keep, apart from the cache (which holds only what may be lost).

Approved translations, pending suggestions, glossaries, documents waiting for their download,
usage counts, jobs (`jobs.py`) and polled feeds (`feeds.py`) live in tables of a database
named by `DEPECHE_STORE_URL`: SQLite by default (a file in the data folder), PostgreSQL for
several replicas. Backends are registered by URL scheme and imported only when used; the
schema is migrated when a store is opened.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..errors import ConfigurationError
from .base import Store
from .records import Approval, DocumentRecord, GlossaryRecord, Suggestion, Usage

if TYPE_CHECKING:
    from ..config import Settings

__all__ = [
    "STORES",
    "Approval",
    "DocumentRecord",
    "GlossaryRecord",
    "Store",
    "Suggestion",
    "Usage",
    "connect",
    "open_store",
]

STORES: dict[str, str] = {
    "sqlite": ".sqlite:SQLiteStore",
    "postgresql": ".postgres:PostgresStore",
    "postgres": ".postgres:PostgresStore",
}


def connect(url: str, root: Path | None = None) -> Store:
    """The store of `url`, its schema brought up to date. `sqlite:///relative` is relative to
    `root`, `sqlite:////abs` not; `postgresql://user:password@host:port/database`."""
    scheme = urlsplit(url).scheme
    if scheme not in STORES:
        raise ConfigurationError(
            f"unknown store URL {url!r}: use sqlite:///path or postgresql://user@host/database"
        )
    module_name, _, class_name = STORES[scheme].partition(":")
    store_class: type[Store] = getattr(importlib.import_module(module_name, __name__), class_name)
    store = store_class.from_url(url, root)
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store


def open_store(settings: Settings) -> Store:
    """The store `settings` name, with what an older depeche kept in the configured cache
    moved into it (once)."""
    from .legacy import move_from_cache

    store = connect(settings.store_url, settings.data_dir)
    try:
        # A relative SQLite cache was in the models folder before it had a folder of its own.
        for root in dict.fromkeys([settings.cache_dir, settings.models_dir]):
            move_from_cache(store, settings.cache_url, root)
    except BaseException:
        store.close()
        raise
    return store
