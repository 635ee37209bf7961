"""The engine registry: loading by name, and how an engine spreads over the cores."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future

import pytest
from depeche import engines
from depeche.engines import base as engine_base
from depeche.engines import resolve_parallel_batches
from depeche.errors import ConfigurationError


@pytest.mark.parametrize(
    ("device", "threads", "parallel", "cores", "expected"),
    [
        # (parallel batches, threads for each)
        ("cpu", 0, 0, 2, (2, 1)),  # the default: a batch per usable core
        ("cpu", 0, 0, 1, (1, 1)),  # pinned to one core (taskset): one thread, not two
        ("cpu", 0, 1, 8, (1, 8)),  # one batch at a time on every core: lowest latency alone
        ("cpu", 8, 2, 2, (2, 4)),  # explicit threads win over the affinity
        ("cpu", 4, 0, 16, (4, 1)),
        ("cpu", 2, 8, 16, (2, 1)),  # never more parallel batches than threads
        ("cpu", 5, 2, 16, (2, 2)),
        ("cuda", 0, 0, 16, (1, 0)),  # a GPU computes one batch at a time
        ("cuda", 4, 3, 16, (1, 4)),
    ],
)
def test_parallel_batches_and_threads(
    monkeypatch: pytest.MonkeyPatch,
    device: str,
    threads: int,
    parallel: int,
    cores: int,
    expected: tuple[int, int],
) -> None:
    monkeypatch.setattr(engine_base, "usable_cores", lambda: cores)
    assert resolve_parallel_batches(device, threads, parallel) == expected


def test_usable_cores_follow_the_affinity() -> None:
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})  # this thread only, as `taskset -c N` would
    try:
        assert engines.usable_cores() == 1
    finally:
        os.sched_setaffinity(0, allowed)
    assert engines.usable_cores() == len(allowed)


def test_an_unknown_engine_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="unknown engine 'marian'"):
        engines.load_engine("marian", None, None, engines.EngineConfig())  # type: ignore[arg-type]


class Recorded(engines.Engine):
    """An engine that loads nothing and says when it has."""

    name = "recorded"
    loaded = threading.Event()

    def __init__(self, source: object, config: engines.EngineConfig) -> None:
        self.compute_type = "float32"
        Recorded.loaded.set()

    def generate(self, batch: object, options: object) -> list[engines.Hypothesis]:
        raise NotImplementedError

    def alternatives(self, batch: object, options: object, count: int) -> list[list[list[int]]]:
        raise NotImplementedError

    def align(self, sources: object, targets: object) -> list[list[list[float]]]:
        raise NotImplementedError


def test_the_engine_loads_while_its_tokenizer_is_still_loading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(engines.ENGINES, "recorded", f"{__name__}:Recorded")
    tokenizer = object()
    loading: Future[object] = Future()

    def load_tokenizer() -> None:
        # Finishes only once the engine has loaded: waiting for it first would never end.
        if Recorded.loaded.wait(timeout=30):
            loading.set_result(tokenizer)
        else:
            loading.set_exception(AssertionError("the engine waited for its tokenizer"))

    Recorded.loaded.clear()
    side = threading.Thread(target=load_tokenizer)
    side.start()
    engine = engines.load_engine("recorded", None, loading, engines.EngineConfig())  # type: ignore[arg-type]
    side.join()
    assert engine.tokenizer is tokenizer
