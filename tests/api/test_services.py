from __future__ import annotations

import os
import threading

import pytest

from service.api.services import Services
from service.config import Settings


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
        workers = [t for t in started if t.name.startswith("depeche-batch")]
        assert workers
        for worker in workers:
            assert worker.native_id is not None
            assert os.getpriority(os.PRIO_PROCESS, worker.native_id) == base + nice
        # The caller's own priority is untouched.
        assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == base
    finally:
        services.close()
