"""The models behind the API: loaded once, in the background, when the app starts."""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, wait
from functools import partial

from .. import deadline
from ..cache import Cache
from ..config import Settings
from ..errors import (
    DepecheError,
    GlossaryError,
    NotReadyError,
    QuotaExceededError,
    SummariesDisabledError,
)
from ..glossary import Glossary
from ..pipeline import Pipeline, open_cache
from ..queue import Batching
from ..store import Store, open_store
from ..store.downloads import Downloads
from ..store.glossaries import StoredGlossaries
from ..summarizer import Summarizer
from ..tenants import Tenant
from ..translator import Translator

log = logging.getLogger(__name__)


# How long the warm-up may take, whatever the requests' own deadline (shutdown cancels it).
WARM_UP_TIMEOUT_S = 600.0
# What clients learn of a failed load; the details (paths, causes) are for the server's log.
LOAD_FAILED = "the models could not be loaded (the server log says why)"


def freeze_long_lived_objects() -> None:
    """Move every object alive now out of the garbage collector's reach.

    The libraries and models leave about 250,000 objects that live as long as the process.
    Each full collection walks them all, holding the GIL: 140 ms on one core, during which no
    request is answered, not even a refusal. Frozen, they are skipped; what requests create
    is still collected.
    """
    gc.collect()  # garbage that exists now is freed, not frozen
    gc.freeze()


def batching(
    settings: Settings, role: str, on_batch: Callable[[str, int], None] | None
) -> Batching | None:
    """The cross-request batching the settings ask for, reporting batch sizes as `role`."""
    if not settings.batching:
        return None
    return Batching(
        settings.batch_wait_ms,
        settings.queue_size,
        settings.request_timeout_s,
        (lambda size: on_batch(role, size)) if on_batch is not None else None,
    )


def in_daemon_thread(name: str, work: Callable[[], None]) -> Future[None]:
    """Run `work` in a daemon thread: the interpreter does not wait for it at exit (a pool's
    threads it joins). Its future says how it ended."""
    done: Future[None] = Future()

    def run() -> None:
        try:
            work()
        except BaseException as exc:
            done.set_exception(exc)
        else:
            done.set_result(None)

    threading.Thread(target=run, name=name, daemon=True).start()
    return done


class Services:
    """A translator and (unless turned off) a summarizer sharing one cache, and the store.

    The store is opened (and its schema migrated) here: a server whose store cannot be
    reached does not start. `start` loads the models in a thread so that /healthz answers at
    once; /readyz and every model route answer 503 until the models are loaded and warmed.
    `close` stops a load in progress (a warm-up is cancelled, never waited for) and frees the
    models. `on_batch` is called with the role ("translation", "summarization") and size of
    each engine batch the service gathers.
    """

    def __init__(
        self,
        settings: Settings,
        translator: Translator | None = None,
        summarizer: Summarizer | None = None,
        on_batch: Callable[[str, int], None] | None = None,
    ) -> None:
        self.settings = settings
        self.cache: Cache | None = None
        if translator is None or (summarizer is None and settings.summarization_enabled):
            self.cache = open_cache(settings)
        self._owns_store = translator is None
        self.store: Store = translator.store if translator is not None else open_store(settings)
        self.translator = translator or Translator(
            settings,
            cache=self.cache,
            store=self.store,
            batching=batching(settings, "translation", on_batch),
        )
        if summarizer is None and settings.summarization_enabled:
            summarizer = Summarizer(
                settings, cache=self.cache, batching=batching(settings, "summarization", on_batch)
            )
        self.summarizer = summarizer
        self.ready = threading.Event()
        self.draining = threading.Event()
        self.error: str | None = None
        self._stopped: Future[None] = Future()  # done once `close` is called
        self._warm_ups: list[deadline.Limit] = []
        self._lock = threading.Lock()
        self._loader: threading.Thread | None = None

    @property
    def pipelines(self) -> list[tuple[str, Pipeline]]:
        """(role, pipeline) of each model this service runs."""
        found: list[tuple[str, Pipeline]] = [("translation", self.translator)]
        if self.summarizer is not None:
            found.append(("summarization", self.summarizer))
        return found

    def start(self) -> None:
        """Load the models in a thread of their own (`load`); returns at once."""
        self._loader = threading.Thread(target=self.load, name="depeche-load", daemon=True)
        self._loader.start()

    def load(self) -> None:
        """Load and warm up each model, at once in threads of their own; freeze the GC; then
        mark ready. Returns as soon as `close` is called, whatever is still loading."""
        try:
            pending = {
                in_daemon_thread(f"depeche-load-{role}", partial(self._prepare, pipeline))
                for role, pipeline in self.pipelines
            }
            while pending and not self._stopped.done():
                done, pending = wait({*pending, self._stopped}, return_when=FIRST_COMPLETED)
                if self._stopped.done():  # a warm-up cut short by `close` is no failure
                    break
                for future in done:
                    future.result()
                pending.discard(self._stopped)
            if self._stopped.done():
                log.info("stopped before the models were ready")
                return
            freeze_long_lived_objects()
            self.ready.set()
            log.info("models loaded and warmed; ready")
        except DepecheError as exc:
            self.error = LOAD_FAILED
            log.error("models could not be loaded: %s", exc)
        except Exception:  # anything else: with its traceback, in the log only
            self.error = LOAD_FAILED
            log.exception("models could not be loaded")

    def _prepare(self, pipeline: Pipeline) -> None:
        """Load and warm up one model. The thread gives up CPU priority first
        (`engine_nice`): the threads its engine starts (CTranslate2's workers, the batch
        queue) inherit it."""
        if self.settings.engine_nice:
            # Linux keeps a nice value per thread; this thread's, not the process's.
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), self.settings.engine_nice)
        pipeline.load()
        # Warm-up: the first request pays for no allocation and no lazy loading. It is not a
        # request: a short DEPECHE_REQUEST_TIMEOUT_S must not fail the start on a busy CPU.
        with deadline.limit(WARM_UP_TIMEOUT_S) as limit:
            with self._lock:
                if self._stopped.done():
                    return
                self._warm_ups.append(limit)
            pipeline.warm_up()

    def drain(self) -> None:
        """The process is going to stop: say not ready, and close each connection after its
        response, while requests are still served."""
        self.draining.set()

    def require_ready(self) -> None:
        """Raise `NotReadyError` until the models are loaded."""
        if not self.ready.is_set():
            raise NotReadyError(self.error or "the models are still loading")

    def require_summarizer(self) -> Summarizer:
        """The summarizer; `SummariesDisabledError` when summaries are turned off."""
        self.require_ready()
        if self.summarizer is None:
            raise SummariesDisabledError(
                "summaries are turned off on this server (DEPECHE_SUMMARIZATION_MODEL=none)"
            )
        return self.summarizer

    def glossaries(self, tenant: Tenant) -> StoredGlossaries:
        """The glossaries `tenant` sees."""
        return StoredGlossaries(self.store, tenant)

    def glossary(
        self,
        tenant: Tenant,
        glossary_id: str | None,
        entries: Mapping[str, str] | None = None,
    ) -> Glossary | None:
        """The glossary a request names: stored (`glossary_id`, one `tenant` sees) or given
        inline (`entries`)."""
        if glossary_id and entries:
            raise GlossaryError("give glossary_id or glossary entries, not both")
        if entries:
            return Glossary.of(entries)
        return self.glossaries(tenant).get(glossary_id).glossary if glossary_id else None

    def check_quota(self, tenant: Tenant, billed: int) -> None:
        """`QuotaExceededError` when `billed` more characters would pass the key's limit
        (`DEPECHE_CHARACTER_LIMIT`; none: no limit)."""
        limit = self.settings.character_limit
        if limit and self.store.usage.get(tenant.owner) + billed > limit:
            raise QuotaExceededError(f"the quota of {limit} characters for this key is used up")

    def bill(self, tenant: Tenant, characters: int) -> None:
        """Count `characters` against the tenant's usage."""
        self.store.usage.add(tenant.owner, characters)

    def documents(self, tenant: Tenant | None) -> Downloads:
        """The translated documents `tenant` sees (None: any, by their secret id)."""
        return Downloads(self.store, tenant)

    def caches(self) -> list[Cache]:
        """The caches in use (for metrics)."""
        found = {id(c): c for c in [self.cache] if c is not None}
        if self.ready.is_set():
            found[id(self.translator.cache)] = self.translator.cache
        return list(found.values())

    def depth(self) -> int:
        """Requests waiting for an engine, over every queue."""
        if not self.ready.is_set():
            return 0
        return sum(pipeline.runtime.queue_depth for _, pipeline in self.pipelines)

    def close(self) -> None:
        """Stop loading (a warm-up in progress is cancelled: its engine stops at its next
        batch, and nothing waits for it), then free the models, and close the store."""
        with self._lock:
            if not self._stopped.done():
                self._stopped.set_result(None)
            for limit in self._warm_ups:
                limit.cancelled.set()
        if self._loader is not None:
            self._loader.join()  # returns at once: `load` has seen `_stopped`
        for _, pipeline in self.pipelines:
            pipeline.close()
        if self._owns_store:
            self.store.close()
