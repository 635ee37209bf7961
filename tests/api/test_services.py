from __future__ import annotations

import gc
import os
import threading

import pytest
from depeche.api.services import Services
from depeche.config import Settings

from tests.api.live import HeldEngine


@pytest.mark.parametrize("nice", [0, 10])
def test_the_engine_threads_yield_the_cpu_to_the_event_loop(
    api_settings: Settings, nice: int
) -> None:
    base = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    services = Services(api_settings.model_copy(update={"engine_nice": nice, "cache_url": "none"}))
    before = set(threading.enumerate())
    loader = threading.Thread(target=services.load)
    loader.start()
    loader.join()
    try:
        assert services.ready.is_set()
        started = set(threading.enumerate()) - before
        workers = [t for t in started if t.name.startswith("depeche-engine")]
        assert workers
        for worker in workers:
            assert worker.native_id is not None
            assert os.getpriority(os.PRIO_PROCESS, worker.native_id) == base + nice
        # The caller's own priority is untouched.
        assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == base
    finally:
        services.close()


def test_what_loading_leaves_alive_is_out_of_the_collectors_reach(api_settings: Settings) -> None:
    gc.unfreeze()
    services = Services(api_settings.model_copy(update={"cache_url": "none"}))
    try:
        assert gc.get_freeze_count() == 0
        services.load()
        assert services.ready.is_set()
        frozen = gc.get_freeze_count()
        # The models' objects are among the frozen ones; a full collection no longer walks them.
        assert frozen > 10_000
        assert gc.is_tracked(services.translator.runtime)
        tracked = {id(o) for o in gc.get_objects()}
        assert id(services.translator.runtime) not in tracked
        # What requests create afterwards is still collected.
        cycle: list[object] = []
        cycle.append(cycle)
        assert id(cycle) in {id(o) for o in gc.get_objects()}
    finally:
        services.close()


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_both_models_load_at_once_from_nothing(
    api_settings: Settings, tmp_path_factory: pytest.TempPathFactory, engine: str
) -> None:
    # A fresh models folder: both models are converted (or loaded by transformers) at the same
    # time, in two threads, as a new server's start does.
    fresh = api_settings.model_copy(
        update={
            "models_dir": tmp_path_factory.mktemp("fresh"),
            "cache_url": "none",
            "engine": engine,
        }
    )
    services = Services(fresh)
    try:
        services.load()
        assert services.error is None and services.ready.is_set()
        assert services.translator.translate(["Le maire a parlé."])[0]
    finally:
        services.close()


def test_closing_during_the_warm_up_cancels_it_and_waits_for_nothing(
    api_settings: Settings,
) -> None:
    services = Services(
        api_settings.model_copy(update={"summarization_model": "none", "cache_url": "none"})
    )
    held = HeldEngine(services)  # loads the model: the warm-up's batch waits inside the engine
    before = set(threading.enumerate())
    services.start()
    try:
        held.wait_entered()
        started = {t.name: t for t in set(threading.enumerate()) - before}
        loader, warm_up = started["depeche-load"], started["depeche-load-translation"]
        # Returns although the engine never lets the batch go: nothing waits for the warm-up,
        # and its end (cut short) is no failure to load.
        services.close()
        assert services.error is None and not services.ready.is_set()
        assert not loader.is_alive()  # `load` has returned
        # The warm-up's batches not started were answered at once; one still in the engine
        # holds a daemon thread, which the interpreter does not wait for at exit.
        assert warm_up.daemon
    finally:
        held.close()
