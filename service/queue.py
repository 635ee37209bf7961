"""Queue: gather the sentences of concurrent requests into one engine batch.

Each request thread submits its token ids and waits. A worker thread takes the first
waiting submission, keeps gathering others for `wait_ms` (those with the same decoding
options), runs them through the engine as one batch, and hands each request its outputs as
soon as its last sentence is done (the engine runs a gathered batch in pieces, by length).
There is a worker per batch the engine computes at once: while one waits for the engine,
another gathers what arrived meanwhile, so the engine never idles while requests wait.
The queue is bounded: past `max_waiting` submissions, `submit` refuses at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

from .deadline import Limit
from .engines.base import DecodingOptions
from .errors import DeadlineError, QueueFullError

# Output ids, whether each ran into its length cap, and the model's score of each.
Result = tuple[list[list[int]], list[bool], list[float]]
# Called with (index, output ids, capped, score) as each sentence of the merged ids is done.
OnSentence = Callable[[int, list[int], bool, float], None]
# Runs merged ids, calling back as sentences are done; stops with DeadlineError between
# engine batches once `stop()` is true.
Runner = Callable[[list[list[int]], DecodingOptions, Callable[[], bool], OnSentence], Result]


@dataclass(frozen=True)
class Batching:
    """How a runtime batches concurrent requests (the HTTP service's choice, made when the
    runtime is built): gather for `wait_ms`, hold at most `max_waiting` submissions, give
    each request `timeout` seconds unless it has a deadline of its own."""

    wait_ms: float
    max_waiting: int
    timeout: float
    # Called with the number of sentences of each gathered batch (metrics).
    on_batch: Callable[[int], None] | None = None


@dataclass
class _Submission:
    ids: list[list[int]]
    options: DecodingOptions
    limit: Limit
    future: Future[Result] = field(default_factory=Future)
    # Filled in as the engine reports each sentence; `left` counts those still to come.
    outputs: list[list[int]] = field(init=False)
    capped: list[bool] = field(init=False)
    scores: list[float] = field(init=False)
    left: int = field(init=False)

    def __post_init__(self) -> None:
        self.outputs = [[] for _ in self.ids]
        self.capped = [False] * len(self.ids)
        self.scores = [0.0] * len(self.ids)
        self.left = len(self.ids)

    def waited_for(self) -> bool:
        """Whether a client still waits for this answer."""
        return not self.future.done() and not self.limit.expired()


class BatchQueue:
    """A bounded queue in front of one engine, drained by `workers` threads."""

    def __init__(
        self,
        run: Runner,
        *,
        wait_ms: float,
        max_waiting: int,
        max_sentences: int = 512,
        workers: int = 1,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self._run = run
        self.wait = wait_ms / 1000
        self.max_waiting = max_waiting
        self.max_sentences = max_sentences
        self._on_batch = on_batch
        self._waiting: list[_Submission] = []
        self._condition = threading.Condition()
        self._closed = False
        self._workers = [
            threading.Thread(target=self._work, name=f"depeche-batch-{n}", daemon=True)
            for n in range(workers)
        ]
        for worker in self._workers:
            worker.start()

    @property
    def depth(self) -> int:
        """Submissions waiting for the engine."""
        return len(self._waiting)

    def submit(self, ids: list[list[int]], options: DecodingOptions, limit: Limit) -> Result:
        """Run `ids` in the next batch and wait for the outputs, until `limit` expires."""
        if not ids:
            return [], [], []
        submission = _Submission(ids, options, limit)
        with self._condition:
            if len(self._waiting) >= self.max_waiting:
                raise QueueFullError("too many requests are waiting for the engine")
            self._waiting.append(submission)
            self._condition.notify()
        try:
            return submission.future.result(limit.remaining())
        except (FutureTimeout, CancelledError):
            submission.future.cancel()  # still waiting: it never reaches the engine
            raise DeadlineError() from None

    def _take(self) -> list[_Submission]:
        with self._condition:
            while not self._waiting and not self._closed:
                self._condition.wait()
            if self._closed:
                return []
            # Another worker may take `first` meanwhile; this one then takes what is left.
            first = self._waiting[0]
            deadline = time.monotonic() + self.wait
            # Gather: wait out the window unless the batch is already full.
            while (remaining := deadline - time.monotonic()) > 0 and self._size(
                first
            ) < self.max_sentences:
                self._condition.wait(remaining)
            taken: list[_Submission] = []
            kept: list[_Submission] = []
            size = 0
            for item in self._waiting:
                fits = size + len(item.ids) <= self.max_sentences or not taken
                if item.options == first.options and fits:
                    taken.append(item)
                    size += len(item.ids)
                else:
                    kept.append(item)
            self._waiting = kept
            return taken

    def _size(self, first: _Submission) -> int:
        return sum(len(item.ids) for item in self._waiting if item.options == first.options)

    def _work(self) -> None:
        while not self._closed:
            batch = []
            for item in self._take():
                if item.limit.expired():  # its client stopped waiting: skip the work
                    item.future.cancel()
                elif item.future.set_running_or_notify_cancel():
                    batch.append(item)
            if batch:
                self._run_batch(batch)

    def _run_batch(self, batch: list[_Submission]) -> None:
        owners = [(item, n) for item in batch for n in range(len(item.ids))]
        lock = threading.Lock()

        def on_sentence(index: int, output: list[int], capped: bool, score: float) -> None:
            item, n = owners[index]
            with lock:
                item.outputs[n], item.capped[n], item.scores[n] = output, capped, score
                item.left -= 1
                if item.left == 0 and not item.future.done():
                    item.future.set_result((item.outputs, item.capped, item.scores))

        def abandoned() -> bool:  # the engine stops once nobody waits for the rest
            return not any(item.waited_for() for item in batch)

        merged = [ids for item in batch for ids in item.ids]
        if self._on_batch is not None:
            self._on_batch(len(merged))
        try:
            outputs, capped, scores = self._run(merged, batch[0].options, abandoned, on_sentence)
        except Exception as exc:  # handed to every request still waiting, which raises it
            with lock:
                for item in batch:
                    if not item.future.done():
                        item.future.set_exception(exc)
            return
        with lock:  # a runner that did not report: everything is done now
            position = 0
            for item in batch:
                end = position + len(item.ids)
                if not item.future.done():
                    item.future.set_result(
                        (outputs[position:end], capped[position:end], scores[position:end])
                    )
                position = end

    def close(self) -> None:
        """Stop the workers. Submissions still waiting are cancelled: their callers get
        `DeadlineError` at once rather than waiting out their deadline."""
        with self._condition:
            self._closed = True
            waiting, self._waiting = self._waiting, []
            self._condition.notify_all()
        for item in waiting:
            item.future.cancel()
