"""Queue: the one way to an engine, and the one pool of threads that runs it.

Every engine call (generation, alignment, n-best lists) is a submission of items with the
`Task` that runs them. A pool of workers, as many as the engine computes batches at once,
drains the queue: a free worker takes the first waiting submission, keeps gathering for
`wait_ms` the others that can share its batches (the same task: generation with the same
decoding options, or alignment), merges them and cuts them into the task's batches (token
batches, `token_batches`). The batches go to a list that every free worker takes from, so
that the batches of one submission run side by side; while every worker computes, new
submissions wait, to be gathered into fewer, larger batches. Each submission is answered as
soon as its own items are done.

The queue is bounded: past `max_waiting` waiting submissions, `submit` refuses at once. A
batch none of whose submissions is still waited for (a deadline passed, a client gone) is
skipped.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .deadline import Limit
from .errors import DeadlineError, QueueFullError

Item = TypeVar("Item")
Answer = TypeVar("Answer")
# No bound on the submissions waiting (library and CLI calls, which wait as long as it takes).
UNBOUNDED = 1 << 62


class Task(ABC, Generic[Item, Answer]):
    """A kind of engine work: how its items are cut into batches, and how a batch is run.
    Submissions whose tasks have the same `key` share batches."""

    @property
    @abstractmethod
    def key(self) -> Hashable:
        """What submissions sharing a batch must have in common."""

    @abstractmethod
    def batches(self, items: Sequence[Item]) -> list[list[int]]:
        """The indices of `items`, cut into the batches the engine runs, each index once."""

    @abstractmethod
    def run(self, items: Sequence[Item]) -> list[Answer]:
        """The answer of each item of one batch (runs in a worker)."""


@dataclass(frozen=True)
class Batching:
    """How a runtime batches concurrent requests (the HTTP service's choice, made when the
    runtime is built): gather for `wait_ms`, hold at most `max_waiting` submissions, give
    each request `timeout` seconds unless it has a deadline of its own."""

    wait_ms: float
    max_waiting: int
    timeout: float
    # Called with the number of items of each gathered batch (metrics).
    on_batch: Callable[[int], None] | None = None


@dataclass(eq=False)
class _Submission:
    items: Sequence[Any]
    task: Task[Any, Any]
    limit: Limit | None
    future: Future[list[Any]] = field(default_factory=Future)
    answers: list[Any] = field(init=False)
    left: int = field(init=False)  # items still to come

    def __post_init__(self) -> None:
        self.answers = [None] * len(self.items)
        self.left = len(self.items)

    def waited_for(self) -> bool:
        """Whether a client still waits for this answer."""
        expired = self.limit is not None and self.limit.expired()
        return not self.future.done() and not expired


@dataclass(frozen=True, eq=False)
class _Batch:
    """One engine batch of a gathered group: (submission, item index) of each item."""

    task: Task[Any, Any]
    members: list[tuple[_Submission, int]]

    def waited_for(self) -> bool:
        return any(submission.waited_for() for submission, _ in self.members)


class BatchQueue:
    """A bounded queue in front of one engine, drained by `workers` threads."""

    def __init__(
        self,
        *,
        workers: int = 1,
        wait_ms: float = 0.0,
        max_waiting: int = UNBOUNDED,
        max_items: int = 512,
        on_batch: Callable[[int], None] | None = None,
        name: str = "depeche-engine",
    ) -> None:
        self.wait = wait_ms / 1000
        self.max_waiting = max_waiting
        self.max_items = max_items
        self._on_batch = on_batch
        self._waiting: list[_Submission] = []
        self._ready: deque[_Batch] = deque()
        self._condition = threading.Condition()
        self._answer_lock = threading.Lock()
        self._closed = False
        self._workers = [
            threading.Thread(target=self._work, name=f"{name}-{n}", daemon=True)
            for n in range(workers)
        ]
        for worker in self._workers:
            worker.start()

    @property
    def depth(self) -> int:
        """Submissions waiting for the engine."""
        return len(self._waiting)

    def submit(
        self, items: Sequence[Item], task: Task[Item, Answer], limit: Limit | None = None
    ) -> list[Answer]:
        """Run `items` with `task` in the next batches and wait for their answers, until
        `limit` expires (None: as long as it takes)."""
        if not items:
            return []
        submission = _Submission(items, task, limit)
        with self._condition:
            if self._closed:
                raise DeadlineError("the engine is closed")
            if len(self._waiting) >= self.max_waiting:
                raise QueueFullError("too many requests are waiting for the engine")
            self._waiting.append(submission)
            self._condition.notify()
        try:
            return submission.future.result(limit.remaining() if limit is not None else None)
        except (FutureTimeout, CancelledError):
            submission.future.cancel()  # still waiting: it never reaches the engine
            raise DeadlineError() from None

    # -- workers -------------------------------------------------------------------------------

    def _work(self) -> None:
        while (batch := self._next()) is not None:
            self._run(batch)

    def _next(self) -> _Batch | None:
        """The next batch to run: one already cut, else the first of a group gathered now."""
        with self._condition:
            while True:
                if self._closed:
                    return None
                if self._ready:
                    return self._ready.popleft()
                if self._waiting:
                    batches = self._gather()
                    if batches:
                        self._ready.extend(batches[1:])
                        if len(batches) > 1:
                            self._condition.notify_all()  # idle workers take the others
                        return batches[0]
                    continue
                self._condition.wait()

    def _gather(self) -> list[_Batch]:
        """Wait out the window (unless the group is full already), take the submissions that
        share the first one's task, and cut them into batches. Called holding the lock."""
        first = self._waiting[0]
        ends = time.monotonic() + self.wait
        while (remaining := ends - time.monotonic()) > 0 and self._size(first) < self.max_items:
            self._condition.wait(remaining)
            if self._closed or first not in self._waiting:
                return []  # closed, or another worker took it meanwhile
        taken: list[_Submission] = []
        kept: list[_Submission] = []
        size = 0
        for submission in self._waiting:
            fits = size + len(submission.items) <= self.max_items or not taken
            if submission.task.key == first.task.key and fits:
                taken.append(submission)
                size += len(submission.items)
            else:
                kept.append(submission)
        self._waiting = kept
        group = [
            s
            for s in taken
            # Its client stopped waiting: skip the work (a cancelled future says False).
            if not (s.limit is not None and s.limit.expired() and s.future.cancel())
            and s.future.set_running_or_notify_cancel()
        ]
        if not group:
            return []
        members = [(s, n) for s in group for n in range(len(s.items))]
        if self._on_batch is not None:
            self._on_batch(len(members))
        task = group[0].task
        indices = task.batches([s.items[n] for s, n in members])
        return [_Batch(task, [members[i] for i in batch]) for batch in indices]

    def _size(self, first: _Submission) -> int:
        return sum(len(s.items) for s in self._waiting if s.task.key == first.task.key)

    def _run(self, batch: _Batch) -> None:
        if not batch.waited_for():  # nobody waits for any of it any more: the engine skips it
            with self._answer_lock:
                for submission, _ in batch.members:
                    if not submission.future.done():
                        submission.future.set_exception(DeadlineError())
            return
        try:
            answers = batch.task.run([submission.items[n] for submission, n in batch.members])
        except Exception as exc:  # handed to every request still waiting, which raises it
            with self._answer_lock:
                for submission, _ in batch.members:
                    if not submission.future.done():
                        submission.future.set_exception(exc)
            return
        with self._answer_lock:
            for (submission, n), answer in zip(batch.members, answers, strict=True):
                submission.answers[n] = answer
                submission.left -= 1
                if submission.left == 0 and not submission.future.done():
                    submission.future.set_result(submission.answers)

    def close(self) -> None:
        """Stop the workers. Submissions still waiting, and batches not started, are
        answered with `DeadlineError` at once rather than waiting out their deadline; a
        batch the engine is computing ends as it would have."""
        with self._condition:
            self._closed = True
            waiting, self._waiting = self._waiting, []
            dropped = list(self._ready)
            self._ready.clear()
            self._condition.notify_all()
        for submission in waiting:
            submission.future.cancel()
        with self._answer_lock:
            for batch in dropped:
                for submission, _ in batch.members:
                    if not submission.future.done():
                        submission.future.set_exception(DeadlineError())
