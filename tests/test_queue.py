"""The batch queue, on engines the tests hold and release with events (no clock involved)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from depeche.deadline import Limit
from depeche.engines import DecodingOptions
from depeche.errors import DeadlineError, QueueFullError
from depeche.queue import BatchQueue, OnSentence, Result

from tests.sync import PATIENCE, wait_for

OPTIONS = DecodingOptions()


class Engine:
    """Reverses each source; records the batches it ran. With `gate`, each batch waits inside
    the engine until the test opens it, looking at `stop` as a real engine does between its
    batches."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.gate = gate
        self.batches: list[list[list[int]]] = []
        self.entered = threading.Semaphore(0)
        self.stopped_early = 0

    def __call__(
        self,
        ids: list[list[int]],
        options: DecodingOptions,
        stop: Callable[[], bool],
        on_sentence: OnSentence,
    ) -> Result:
        self.batches.append(ids)
        self.entered.release()
        while self.gate is not None and not self.gate.wait(0.005):
            if stop():
                self.stopped_early += 1
                raise DeadlineError("abandoned")
        return [list(reversed(x)) for x in ids], [False] * len(ids), [-len(x) / 10 for x in ids]

    def wait_entered(self) -> None:
        assert self.entered.acquire(timeout=PATIENCE), "the engine was never called"


def later(seconds: float = 600.0) -> Limit:
    return Limit(time.monotonic() + seconds)


def test_concurrent_requests_share_one_batch_and_get_their_own_outputs() -> None:
    engine = Engine()
    # A gathering window far longer than the test: the batch is taken once it is full.
    queue = BatchQueue(engine, wait_ms=600_000, max_waiting=16, max_sentences=4)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: queue.submit([[n, n + 1]], OPTIONS, later()), range(4)))
    queue.close()
    assert results == [([[n + 1, n]], [False], [-0.2]) for n in range(4)]
    assert len(engine.batches) == 1 and len(engine.batches[0]) == 4


def test_past_max_waiting_a_request_is_refused_at_once() -> None:
    gate = threading.Event()
    engine = Engine(gate)
    queue = BatchQueue(engine, wait_ms=0, max_waiting=1)
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(queue.submit, [[1]], OPTIONS, later())
        engine.wait_entered()
        waiting = pool.submit(queue.submit, [[2]], OPTIONS, later())
        wait_for(lambda: queue.depth == 1)
        # Refused, not queued: were it queued, this call would block until the gate opens.
        with pytest.raises(QueueFullError):
            queue.submit([[3]], OPTIONS, later())
        gate.set()
        assert running.result() and waiting.result()
    queue.close()
    assert [batch for batch in engine.batches] == [[[1]], [[2]]]


def test_closing_answers_the_requests_still_waiting_at_once() -> None:
    gate = threading.Event()
    engine = Engine(gate)
    queue = BatchQueue(engine, wait_ms=0, max_waiting=4)
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(queue.submit, [[1]], OPTIONS, later())
        engine.wait_entered()
        waiting = pool.submit(queue.submit, [[2]], OPTIONS, later())
        wait_for(lambda: queue.depth == 1)
        queue.close()
        # Its deadline is 600 s away: nothing but the close answers it before the gate opens.
        assert isinstance(waiting.exception(timeout=PATIENCE), DeadlineError)
        assert not running.done()  # the batch in the engine ends as it would have
        gate.set()
        assert running.result(timeout=PATIENCE) == ([[1]], [False], [-0.1])
    assert engine.batches == [[[1]]]


@dataclass(frozen=True)
class Switched(Limit):
    """A limit whose moment passes when the test says so."""

    passed: threading.Event = field(default_factory=threading.Event)

    def expired(self) -> bool:
        return self.passed.is_set() or super().expired()


@pytest.mark.parametrize("how", ["deadline", "client gone"])
def test_work_nobody_waits_for_is_skipped_or_stopped(how: str) -> None:
    gate = threading.Event()
    engine = Engine(gate)
    queue = BatchQueue(engine, wait_ms=0, max_waiting=4)
    first, second = Switched(time.monotonic() + 600), Switched(time.monotonic() + 600)
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(queue.submit, [[1]], OPTIONS, first)
        engine.wait_entered()  # the first is in the engine, the second waits behind it
        waiting = pool.submit(queue.submit, [[2]], OPTIONS, second)
        wait_for(lambda: queue.depth == 1)
        for limit in (first, second):
            (limit.cancelled if how == "client gone" else limit.passed).set()
        assert isinstance(running.exception(timeout=PATIENCE), DeadlineError)
        assert isinstance(waiting.exception(timeout=PATIENCE), DeadlineError)
    # The running batch stopped early; the waiting one never reached the engine.
    wait_for(lambda: engine.stopped_early == 1)
    queue.close()
    assert engine.stopped_early == 1 and len(engine.batches) == 1, how


@pytest.mark.parametrize(("workers", "together"), [(1, 1), (2, 2)])
def test_a_worker_per_parallel_batch_gathers_while_another_waits_for_the_engine(
    workers: int, together: int
) -> None:
    gate = threading.Event()
    engine = Engine(gate)
    queue = BatchQueue(engine, wait_ms=0, max_waiting=8, workers=workers)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(queue.submit, [[1]], OPTIONS, later())
        engine.wait_entered()  # the first is in the engine when the second arrives
        second = pool.submit(queue.submit, [[2]], OPTIONS, later())
        if together == 2:
            engine.wait_entered()  # a second worker took it into the engine meanwhile
            assert len(engine.batches) == 2
        else:
            wait_for(lambda: queue.depth == 1)  # one worker: it waits for the first batch
            assert len(engine.batches) == 1
        gate.set()
        assert first.result() == ([[1]], [False], [-0.1])
        assert second.result() == ([[2]], [False], [-0.1])
    queue.close()


def test_each_request_is_answered_when_its_own_sentences_are_done() -> None:
    long_may_finish = threading.Event()
    finished = threading.Event()

    def engine(
        ids: list[list[int]], options: DecodingOptions, stop: Callable[[], bool], on: OnSentence
    ) -> Result:
        # Two engine batches: the short sentences first, then the long one, held by the test.
        for index in sorted(range(len(ids)), key=lambda i: len(ids[i])):
            if len(ids[index]) > 2:
                assert long_may_finish.wait(PATIENCE)
            on(index, list(reversed(ids[index])), False, -float(index))
        finished.set()
        return [list(reversed(x)) for x in ids], [False] * len(ids), [0.0] * len(ids)

    queue = BatchQueue(engine, wait_ms=600_000, max_waiting=8, max_sentences=3)
    with ThreadPoolExecutor(2) as pool:
        short = pool.submit(queue.submit, [[1], [2, 3]], OPTIONS, later())
        long = pool.submit(queue.submit, [[4, 5, 6, 7]], OPTIONS, later())
        # Each sentence's own score, as the engine reported it, not the batch's last values.
        assert short.result(timeout=PATIENCE) == ([[1], [3, 2]], [False, False], [-0.0, -1.0])
        assert not finished.is_set()  # answered while the long sentence was still running
        long_may_finish.set()
        assert long.result(timeout=PATIENCE) == ([[7, 6, 5, 4]], [False], [-2.0])
    queue.close()


def test_the_engine_stops_once_every_request_is_answered_or_gone() -> None:
    calls: list[bool] = []

    def engine(
        ids: list[list[int]], options: DecodingOptions, stop: Callable[[], bool], on: OnSentence
    ) -> Result:
        calls.append(stop())
        on(0, ids[0], False, -0.5)
        calls.append(stop())
        return ids, [False] * len(ids), [-0.5] * len(ids)

    # The batch is taken once it holds 2 submissions.
    queue = BatchQueue(engine, wait_ms=600_000, max_waiting=8, max_sentences=2)
    with ThreadPoolExecutor(1) as pool:
        answered = pool.submit(queue.submit, [[1]], OPTIONS, later())
        wait_for(lambda: queue.depth == 1)
        gone = later()
        gone.cancelled.set()  # its client hangs up while the batch gathers
        with pytest.raises(DeadlineError):
            queue.submit([[2]], OPTIONS, gone)
        assert answered.result(timeout=PATIENCE) == ([[1]], [False], [-0.5])
    queue.close()
    # Only the request still waited for reached the engine, which stops once it is answered.
    assert calls == [False, True]
