"""The batch queue, on engines the tests hold and release with events (no clock involved)."""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from depeche.deadline import Limit
from depeche.errors import DeadlineError, QueueFullError
from depeche.queue import BatchQueue, Task

from tests.sync import PATIENCE, wait_for


class Engine(Task[list[int], list[int]]):
    """Reverses each source; records the batches it ran. With `gate`, each batch waits inside
    the engine until the test opens it. Each batch holds at most `size` items (the longest
    first, as token batches are cut); `held` items (by their first id) wait for `release`."""

    def __init__(
        self,
        gate: threading.Event | None = None,
        size: int = 1_000,
        held: frozenset[int] = frozenset(),
        release: threading.Event | None = None,
    ) -> None:
        self.gate = gate
        self.size = size
        self.held = held
        self.release = release
        self.ran: list[list[list[int]]] = []
        self.entered = threading.Semaphore(0)

    @property
    def key(self) -> Hashable:
        return "reverse"

    def batches(self, items: Sequence[list[int]]) -> list[list[int]]:
        order = sorted(range(len(items)), key=lambda i: -len(items[i]))
        return [order[i : i + self.size] for i in range(0, len(order), self.size)]

    def run(self, items: Sequence[list[int]]) -> list[list[int]]:
        self.ran.append(list(items))
        self.entered.release()
        if self.gate is not None:
            assert self.gate.wait(PATIENCE)
        if self.release is not None and any(item[0] in self.held for item in items):
            assert self.release.wait(PATIENCE)
        return [list(reversed(x)) for x in items]

    def wait_entered(self) -> None:
        assert self.entered.acquire(timeout=PATIENCE), "the engine was never called"


def later(seconds: float = 600.0) -> Limit:
    return Limit(time.monotonic() + seconds)


def test_concurrent_requests_share_one_batch_and_get_their_own_outputs() -> None:
    engine = Engine()
    # A gathering window far longer than the test: the batch is taken once it is full.
    queue = BatchQueue(wait_ms=600_000, max_waiting=16, max_items=4)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: queue.submit([[n, n + 1]], engine, later()), range(4)))
    queue.close()
    assert results == [[[n + 1, n]] for n in range(4)]
    assert len(engine.ran) == 1 and len(engine.ran[0]) == 4


def test_past_max_waiting_a_request_is_refused_at_once() -> None:
    gate = threading.Event()
    engine = Engine(gate)
    queue = BatchQueue(wait_ms=0, max_waiting=1)
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(queue.submit, [[1]], engine, later())
        engine.wait_entered()
        waiting = pool.submit(queue.submit, [[2]], engine, later())
        wait_for(lambda: queue.depth == 1)
        # Refused, not queued: were it queued, this call would block until the gate opens.
        with pytest.raises(QueueFullError):
            queue.submit([[3]], engine, later())
        gate.set()
        assert running.result() and waiting.result()
    queue.close()
    assert engine.ran == [[[1]], [[2]]]


def test_closing_answers_the_requests_still_waiting_at_once() -> None:
    gate = threading.Event()
    engine = Engine(gate)
    queue = BatchQueue(wait_ms=0, max_waiting=4)
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(queue.submit, [[1]], engine, later())
        engine.wait_entered()
        waiting = pool.submit(queue.submit, [[2]], engine, later())
        wait_for(lambda: queue.depth == 1)
        queue.close()
        # Its deadline is 600 s away: nothing but the close answers it before the gate opens.
        assert isinstance(waiting.exception(timeout=PATIENCE), DeadlineError)
        assert not running.done()  # the batch in the engine ends as it would have
        gate.set()
        assert running.result(timeout=PATIENCE) == [[1]]
    assert engine.ran == [[[1]]]
    with pytest.raises(DeadlineError):  # and nothing is taken after it
        queue.submit([[3]], engine, later())


@dataclass(frozen=True)
class Switched(Limit):
    """A limit whose moment passes when the test says so."""

    passed: threading.Event = field(default_factory=threading.Event)

    def expired(self) -> bool:
        return self.passed.is_set() or super().expired()


@pytest.mark.parametrize("how", ["deadline", "client gone"])
def test_work_nobody_waits_for_is_skipped(how: str) -> None:
    gate = threading.Event()
    # One item a batch: the first request's two batches run one after the other.
    engine = Engine(gate, size=1)
    queue = BatchQueue(wait_ms=0, max_waiting=4)
    first, second = Switched(time.monotonic() + 600), Switched(time.monotonic() + 600)
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(queue.submit, [[1, 1], [2]], engine, first)
        engine.wait_entered()  # its first batch is in the engine, the second waits
        waiting = pool.submit(queue.submit, [[3]], engine, second)
        wait_for(lambda: queue.depth == 1)
        for limit in (first, second):
            (limit.cancelled if how == "client gone" else limit.passed).set()
        gate.set()  # the batch in the engine runs to its end
        assert isinstance(running.exception(timeout=PATIENCE), DeadlineError)
        assert isinstance(waiting.exception(timeout=PATIENCE), DeadlineError)
    queue.close()
    # The rest never reached the engine.
    assert engine.ran == [[[1, 1]]], how


@pytest.mark.parametrize(("workers", "together"), [(1, 1), (2, 2)])
def test_a_worker_per_parallel_batch_gathers_while_another_waits_for_the_engine(
    workers: int, together: int
) -> None:
    gate = threading.Event()
    engine = Engine(gate)
    queue = BatchQueue(workers=workers, wait_ms=0, max_waiting=8)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(queue.submit, [[1]], engine, later())
        engine.wait_entered()  # the first is in the engine when the second arrives
        second = pool.submit(queue.submit, [[2]], engine, later())
        if together == 2:
            engine.wait_entered()  # a second worker took it into the engine meanwhile
            assert len(engine.ran) == 2
        else:
            wait_for(lambda: queue.depth == 1)  # one worker: it waits for the first batch
            assert len(engine.ran) == 1
        gate.set()
        assert first.result() == [[1]]
        assert second.result() == [[2]]
    queue.close()


def test_the_batches_of_one_request_run_side_by_side() -> None:
    gate = threading.Event()
    engine = Engine(gate, size=1)
    queue = BatchQueue(workers=2, wait_ms=0)
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(queue.submit, [[1], [2], [3]], engine, None)
        engine.wait_entered()
        engine.wait_entered()  # two of its batches in the engine at once, on two workers
        assert len(engine.ran) == 2
        gate.set()
        assert answer.result(timeout=PATIENCE) == [[1], [2], [3]]
    queue.close()


def test_each_request_is_answered_when_its_own_items_are_done() -> None:
    release = threading.Event()
    # A batch per item: the long one (held by the test) in its own.
    engine = Engine(size=1, held=frozenset({4}), release=release)
    queue = BatchQueue(workers=2, wait_ms=600_000, max_waiting=8, max_items=3)
    with ThreadPoolExecutor(2) as pool:
        long = pool.submit(queue.submit, [[4, 5, 6, 7]], engine, later())
        wait_for(lambda: queue.depth == 1)
        short = pool.submit(queue.submit, [[1], [2, 3]], engine, later())
        # Answered while the long item is still in the engine.
        assert short.result(timeout=PATIENCE) == [[1], [3, 2]]
        assert not long.done()
        release.set()
        assert long.result(timeout=PATIENCE) == [[7, 6, 5, 4]]
    queue.close()
    assert sorted(map(sorted, engine.ran)) == [[[1]], [[2, 3]], [[4, 5, 6, 7]]]


def test_a_request_gone_before_its_batch_is_gathered_never_reaches_the_engine() -> None:
    engine = Engine()
    # The batch is taken once it holds 2 submissions.
    queue = BatchQueue(wait_ms=600_000, max_waiting=8, max_items=2)
    with ThreadPoolExecutor(1) as pool:
        answered = pool.submit(queue.submit, [[1]], engine, later())
        wait_for(lambda: queue.depth == 1)
        gone = later()
        gone.cancelled.set()  # its client hangs up while the batch gathers
        with pytest.raises(DeadlineError):
            queue.submit([[2]], engine, gone)
        assert answered.result(timeout=PATIENCE) == [[1]]
    queue.close()
    # Only the request still waited for reached the engine.
    assert engine.ran == [[[1]]]


def test_an_engine_error_is_each_waiting_requests_error() -> None:
    class Failing(Engine):
        def run(self, items: Sequence[list[int]]) -> list[list[int]]:
            raise RuntimeError("the engine failed")

    queue = BatchQueue(wait_ms=0)
    with pytest.raises(RuntimeError, match="the engine failed"):
        queue.submit([[1]], Failing(), None)
    assert queue.submit([[1, 2]], Engine(), None) == [[2, 1]]  # the queue goes on
    queue.close()
