from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from depeche.deadline import Limit
from depeche.engines import DecodingOptions
from depeche.errors import DeadlineError, QueueFullError
from depeche.queue import BatchQueue, Report, Result

OPTIONS = DecodingOptions()


class Engine:
    """Reverses each source; records the batches it ran and can be made slow."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.batches: list[list[list[int]]] = []
        self.stopped_early = 0

    def __call__(
        self,
        ids: list[list[int]],
        options: DecodingOptions,
        stop: Callable[[], bool],
        report: Report,
    ) -> Result:
        self.batches.append(ids)
        deadline = time.monotonic() + self.seconds
        while time.monotonic() < deadline:  # engine batches, with a look at `stop` between
            if stop():
                self.stopped_early += 1
                raise DeadlineError("abandoned")
            time.sleep(0.01)
        return [list(reversed(x)) for x in ids], [False] * len(ids)


def later(seconds: float = 60.0) -> Limit:
    return Limit(time.monotonic() + seconds)


def test_concurrent_requests_share_one_batch_and_get_their_own_outputs() -> None:
    engine = Engine()
    queue = BatchQueue(engine, wait_ms=200, max_waiting=16)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: queue.submit([[n, n + 1]], OPTIONS, later()), range(4)))
    queue.close()
    assert [outputs for outputs, _ in results] == [[[n + 1, n]] for n in range(4)]
    assert len(engine.batches) == 1 and len(engine.batches[0]) == 4


def test_past_max_waiting_a_request_is_refused_at_once() -> None:
    engine = Engine(seconds=1.0)
    queue = BatchQueue(engine, wait_ms=0, max_waiting=1)
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(queue.submit, [[1]], OPTIONS, later())
        time.sleep(0.2)
        waiting = pool.submit(queue.submit, [[2]], OPTIONS, later())
        time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(QueueFullError):
            queue.submit([[3]], OPTIONS, later())
        assert time.monotonic() - started < 0.05
        assert running.result() and waiting.result()
    queue.close()


@pytest.mark.parametrize(
    ("how", "expires"),
    [("deadline", lambda limit: None), ("client gone", lambda limit: limit.cancelled.set())],
)
def test_work_nobody_waits_for_is_skipped_or_stopped(
    how: str, expires: Callable[[Limit], None]
) -> None:
    engine = Engine(seconds=2.0)
    queue = BatchQueue(engine, wait_ms=0, max_waiting=4)
    first, second = later(0.5), later(0.5)
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(queue.submit, [[1]], OPTIONS, first)
        time.sleep(0.1)  # the first is in the engine, the second waits behind it
        waiting = pool.submit(queue.submit, [[2]], OPTIONS, second)
        time.sleep(0.1)
        expires(first)
        expires(second)
        assert isinstance(running.exception(timeout=5), DeadlineError)
        assert isinstance(waiting.exception(timeout=5), DeadlineError)
    time.sleep(0.3)
    queue.close()
    # The running batch stopped early; the waiting one never reached the engine.
    assert engine.stopped_early == 1 and len(engine.batches) == 1, how


@pytest.mark.parametrize(("workers", "together"), [(1, 1), (2, 2)])
def test_a_worker_per_lane_gathers_while_another_waits_for_the_engine(
    workers: int, together: int
) -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def engine(
        ids: list[list[int]], options: DecodingOptions, stop: Callable[[], bool], report: Report
    ) -> Result:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.3)
        with lock:
            running -= 1
        return ids, [False] * len(ids)

    queue = BatchQueue(engine, wait_ms=0, max_waiting=8, workers=workers)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(queue.submit, [[1]], OPTIONS, later())
        time.sleep(0.1)  # the first is in the engine when the second arrives
        second = pool.submit(queue.submit, [[2]], OPTIONS, later())
        assert first.result() == ([[1]], [False]) and second.result() == ([[2]], [False])
    queue.close()
    assert most == together


def test_each_request_is_answered_when_its_own_sentences_are_done() -> None:
    finished = threading.Event()

    def engine(
        ids: list[list[int]], options: DecodingOptions, stop: Callable[[], bool], report: Report
    ) -> Result:
        # Two engine batches: the short sentences first, then the long one, which is slow.
        for index in sorted(range(len(ids)), key=lambda i: len(ids[i])):
            if len(ids[index]) > 2:
                time.sleep(0.5)
            report(index, list(reversed(ids[index])), False)
        finished.set()
        return [list(reversed(x)) for x in ids], [False] * len(ids)

    queue = BatchQueue(engine, wait_ms=200, max_waiting=8)
    with ThreadPoolExecutor(2) as pool:
        short = pool.submit(queue.submit, [[1], [2, 3]], OPTIONS, later())
        long = pool.submit(queue.submit, [[4, 5, 6, 7]], OPTIONS, later())
        assert short.result(timeout=5) == ([[1], [3, 2]], [False, False])
        assert not finished.is_set()  # answered while the long sentence was still running
        assert long.result(timeout=5) == ([[7, 6, 5, 4]], [False])
    queue.close()


def test_the_engine_stops_once_every_request_is_answered_or_gone() -> None:
    calls: list[bool] = []

    def engine(
        ids: list[list[int]], options: DecodingOptions, stop: Callable[[], bool], report: Report
    ) -> Result:
        calls.append(stop())
        report(0, ids[0], False)
        calls.append(stop())
        return ids, [False] * len(ids)

    queue = BatchQueue(engine, wait_ms=200, max_waiting=8)
    with ThreadPoolExecutor(2) as pool:
        gone = Limit(time.monotonic() + 60)
        answered = pool.submit(queue.submit, [[1]], OPTIONS, later())
        leaving = pool.submit(queue.submit, [[2]], OPTIONS, gone)
        time.sleep(0.05)
        gone.cancelled.set()  # its client hung up while the batch gathered
        assert answered.result(timeout=5) == ([[1]], [False])
        assert isinstance(leaving.exception(timeout=5), DeadlineError)
    queue.close()
    assert calls == [False, True]
