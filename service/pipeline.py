"""What `Translator` and `Summarizer` share: settings with checked overrides, one model runtime
loaded on first use (or at startup), and the cache it answers from."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from .cache import Cache, open_backend
from .config import Settings, get_settings
from .errors import InputError
from .queue import Batching
from .runtime import ModelRuntime


def open_cache(settings: Settings) -> Cache:
    """The cache `settings` ask for (relative SQLite paths live in `settings.cache_dir`)."""
    backend = open_backend(settings.cache_url, settings.cache_max_bytes, root=settings.cache_dir)
    return Cache(backend, ttl=settings.cache_ttl)


def check_encodable(texts: Sequence[str]) -> None:
    """Refuse text that cannot be written as UTF-8 (a lone surrogate from a JSON `\\ud800`)."""
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(
                f"the text holds {exc.object[exc.start : exc.end]!r} at character {exc.start}, "
                "which is not a Unicode character (a lone surrogate)"
            ) from None


class Pipeline(ABC):
    """A model behind a task. Subclasses name their model setting and build their runtime.

    Overrides are any `Settings` field (the model's own setting may be given as `model`); an
    unknown name or a value of the wrong type raises `ConfigurationError` here. `cache`
    replaces the cache the settings describe; `batching` sends every engine call through one
    queue shared by all threads (the HTTP service's choice). Safe to share between threads.
    """

    model_setting: ClassVar[str]

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        cache: Cache | None = None,
        batching: Batching | None = None,
        **overrides: Any,
    ) -> None:
        if "model" in overrides:
            overrides[self.model_setting] = overrides.pop("model")
        self.settings = (settings or get_settings()).with_overrides(overrides)
        self._cache = cache
        self._batching = batching
        self._runtime: ModelRuntime | None = None
        self._load_lock = threading.Lock()

    @abstractmethod
    def _build(self) -> ModelRuntime:
        """The runtime of this pipeline's model (called once, under the load lock)."""

    @abstractmethod
    def _loaded(self, runtime: ModelRuntime, cache: Cache) -> None:
        """Set up what depends on the runtime and the cache (called once, after `_build`)."""

    def _load(self) -> ModelRuntime:
        if self._runtime is not None:
            return self._runtime
        with self._load_lock:
            if self._runtime is None:
                runtime = self._build()
                if self._cache is None:
                    self._cache = open_cache(self.settings)
                self._loaded(runtime, self._cache)
                self._runtime = runtime
        return self._runtime

    def load(self) -> None:
        """Load the tokenizer and the engine now rather than on first use."""
        self._load()

    @abstractmethod
    def warm_up(self) -> None:
        """Run each stage once, outside the cache, so that the first request pays for no
        first allocation and no lazy loading."""

    @property
    def runtime(self) -> ModelRuntime:
        """The loaded model (loads it)."""
        return self._load()

    @property
    def cache(self) -> Cache:
        """The cache in use (loads the model)."""
        self._load()
        assert self._cache is not None
        return self._cache

    def close(self) -> None:
        """Free the model; the next call loads it again."""
        with self._load_lock:
            if self._runtime is not None:
                self._runtime.close()
                self._runtime = None
