"""Running jobs: a few workers in each server process claim jobs from the store, one at a
time each, and run them beside the requests (through the same engine queue, so that a busy
engine puts a job off rather than a client's request), then call back.

A job is claimed with a lease the heartbeat renews while it runs; if this process stops, its
jobs go back to the queue at once, and if it dies they are claimed again once their lease
runs out. A job started `MAX_RUNS` times without finishing (a job that kills its replica)
fails. The callback is delivered under the same lease, each attempt recorded; one cut short
by a stop is taken up again by the next replica to claim it. The clock is the caller's.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import deadline
from .deadline import Limit
from .errors import QueueFullError, StoreUnavailableError
from .jobs import Done, Failed, callback_payload
from .leases import Heartbeat, holder_name, new_lease
from .store import Store
from .store.jobs import DELIVERED, DONE, FAILED, DeliveryAttempt, JobRecord
from .webhooks import Attempt, CallbackRefusedError, WebhookSender

log = logging.getLogger(__name__)

# Seconds between looks at the queue when nothing wakes a worker (a job submitted to
# another replica is found within this).
POLL_S = 1.0
# Seconds a worker waits after the store could not be reached.
STORE_RETRY_S = 5.0
MAX_RUNS = 3
# Seconds between sweeps of the jobs past their time.
SWEEP_S = 60.0
INTERRUPTED = Failed(
    500,
    {
        "error": {
            "type": "internal_error",
            "message": f"the job was started {MAX_RUNS} times and never finished (the "
            "servers running it stopped)",
        }
    },
)

Perform = Callable[[JobRecord], Done]
Describe = Callable[[Exception], Failed]


class Stopping(Exception):
    """The process is stopping: a wait between callback attempts is cut short."""


def pausing(stop: threading.Event) -> Callable[[float], None]:
    """A `sleep` for `WebhookSender` that raises `Stopping` as soon as `stop` is set."""

    def pause(seconds: float) -> None:
        if stop.wait(seconds):
            raise Stopping()

    return pause


@dataclass
class _Claim:
    job_id: str
    lease: str
    limit: Limit = field(default_factory=lambda: Limit(float("inf")))  # set while it runs
    lost: bool = False


class JobRunner:
    """`workers` threads running the store's jobs with `perform` (which raises the route's
    errors; `describe` turns one into the route's error answer). `sender` delivers callbacks
    (None: callbacks fail, unsent). `on_finished(state)` and `on_attempt(attempt)` hear of
    each job finished and each callback attempt (metrics)."""

    def __init__(
        self,
        store: Store,
        perform: Perform,
        describe: Describe,
        *,
        workers: int = 1,
        lease_s: float = 60.0,
        timeout_s: float = 3600.0,
        retention_s: float = 86400.0,
        sender: WebhookSender | None = None,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.time,
        on_finished: Callable[[str], None] | None = None,
        on_attempt: Callable[[Attempt], None] | None = None,
    ) -> None:
        self.store = store
        self.perform = perform
        self.describe = describe
        self.workers = workers
        self.lease_s = lease_s
        self.timeout_s = timeout_s
        self.retention_s = retention_s
        self.sender = sender
        self.stop = stop or threading.Event()
        self.clock = clock
        self.on_finished = on_finished
        self.on_attempt = on_attempt
        self.holder = holder_name()
        self.heartbeat = Heartbeat(lease_s / 3, self.stop)
        self._wake = threading.Event()
        self._claims: dict[str, _Claim] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._swept = 0.0

    # -- the workers' loop ------------------------------------------------------------------

    def start(self, ready: threading.Event) -> None:
        """Start the workers and the heartbeat; the workers take jobs once `ready` is set."""
        self.heartbeat.start()
        for number in range(self.workers):
            thread = threading.Thread(
                target=self._work, args=(ready,), name=f"depeche-job-{number}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def wake(self) -> None:
        """A job was just submitted here: look at the queue now."""
        self._wake.set()

    def _work(self, ready: threading.Event) -> None:
        while not self.stop.is_set() and not ready.wait(POLL_S):
            pass
        while not self.stop.is_set():
            try:
                busy = self.step()
            except StoreUnavailableError as exc:
                log.warning("jobs: %s", exc)
                self.stop.wait(STORE_RETRY_S)
                continue
            except Exception:
                log.exception("jobs: a worker failed; it goes on")
                busy = False
            if not busy:
                self._wake.wait(POLL_S)
                self._wake.clear()

    def step(self) -> bool:
        """Claim one job and run it (and call back), or else take up one pending callback;
        whether there was anything to do."""
        now = self.clock()
        if now - self._swept >= SWEEP_S:
            self._swept = now
            swept = self.store.jobs.sweep(now)
            if swept:
                log.info("jobs: %d finished past their time deleted", swept)
        lease = new_lease()
        job = self.store.jobs.claim(lease, now + self.lease_s, now, self.holder)
        if job is not None:
            self._run(job, lease)
            return True
        job = self.store.jobs.claim_delivery(lease, now + self.lease_s, now)
        if job is not None:
            with self._held(job.id, lease):
                self._deliver(job.id, lease)
            return True
        return False

    # -- one job -----------------------------------------------------------------------------

    @contextmanager
    def _held(self, job_id: str, lease: str) -> Iterator[_Claim]:
        """While a job is held: its lease renewed by the heartbeat (a lost lease cancels the
        work), and let go by `close`."""
        claim = _Claim(job_id, lease)

        def renew() -> bool:
            return self.store.jobs.renew(job_id, lease, self.clock() + self.lease_s)

        def lost() -> None:
            log.warning("jobs: %s: its lease was lost; another server runs it", job_id)
            claim.lost = True
            claim.limit.cancelled.set()

        with self._lock:
            self._claims[lease] = claim
        self.heartbeat.hold(lease, renew, lost)
        try:
            yield claim
        finally:
            self.heartbeat.drop(lease)
            with self._lock:
                self._claims.pop(lease, None)

    def _run(self, job: JobRecord, lease: str) -> None:
        with deadline.limit(self.timeout_s) as limit, self._held(job.id, lease) as claim:
            claim.limit = limit
            log.info("jobs: %s (%s) started, run %d", job.id, job.kind, job.runs)
            outcome: Done | Failed
            if job.runs > MAX_RUNS:
                outcome = INTERRUPTED
            else:
                try:
                    outcome = self.perform(job)
                except QueueFullError as exc:
                    self.store.jobs.defer(job.id, lease, self.clock() + exc.retry_after)
                    return
                except Exception as exc:
                    if self.stop.is_set() or claim.lost:
                        # Released by `close`, or claimed by another replica: it runs again.
                        log.info("jobs: %s stopped before its end (%s)", job.id, exc)
                        return
                    outcome = self.describe(exc)
            if claim.lost:
                return
            self._finish(job, lease, outcome)

    def _finish(self, job: JobRecord, lease: str, outcome: Done | Failed) -> None:
        now = self.clock()
        state = DONE if isinstance(outcome, Done) else FAILED
        fields: dict[str, Any] = (
            {"result": outcome.body, "result_type": outcome.content_type}
            if isinstance(outcome, Done)
            else {"error": json.dumps({"status": outcome.status, "body": outcome.body})}
        )
        deliver = job.callback_url is not None
        if not self.store.jobs.finish(
            job.id,
            lease,
            state=state,
            now=now,
            expires=now + self.retention_s,
            deliver=deliver,
            **fields,
        ):
            log.warning("jobs: %s was taken over by another server; its result is dropped", job.id)
            return
        log.info("jobs: %s %s", job.id, state)
        if self.on_finished is not None:
            self.on_finished(state)
        if deliver:
            self._deliver(job.id, lease)

    def _deliver(self, job_id: str, lease: str) -> None:
        """POST the finished job to its callback, recording each attempt; `Stopping` leaves
        it pending for the next replica."""
        job = self.store.jobs.get(job_id, None)
        if job is None or job.callback_url is None:
            return
        outcome = FAILED
        if self.sender is None:
            log.warning("jobs: %s: no callback sent (DEPECHE_WEBHOOK_SECRET is not set)", job_id)
        else:
            try:
                delivery = self.sender.deliver(
                    job.callback_url,
                    callback_payload(job),
                    message_id=f"msg_{job.id}",
                    on_attempt=lambda attempt: self._attempted(job_id, attempt),
                )
            except Stopping:
                self.store.jobs.release(job_id, lease)
                return
            except CallbackRefusedError as exc:
                log.warning("jobs: %s: %s", job_id, exc)
            else:
                outcome = DELIVERED if delivery.delivered else FAILED
                if not delivery.delivered:
                    log.warning("jobs: %s: its callback was never accepted", job_id)
        self.store.jobs.delivered(job_id, lease, outcome)

    def _attempted(self, job_id: str, attempt: Attempt) -> None:
        self.store.jobs.record_attempt(
            job_id,
            DeliveryAttempt(
                attempt.number, attempt.at, attempt.status, attempt.error, attempt.seconds
            ),
        )
        if self.on_attempt is not None:
            self.on_attempt(attempt)

    # -- stopping ----------------------------------------------------------------------------

    def close(self, wait: float = 5.0) -> None:
        """Stop: the jobs running here stop at their next engine batch and go back to the
        queue (released here at once, whether or not their worker is still in the engine),
        callbacks waiting between attempts are left pending; the workers get `wait` seconds
        to end."""
        self.stop.set()
        self._wake.set()
        with self._lock:
            claims = list(self._claims.values())
        for claim in claims:
            claim.limit.cancelled.set()
        for claim in claims:
            try:
                self.store.jobs.release(claim.job_id, claim.lease)
            except StoreUnavailableError as exc:
                log.warning(
                    "jobs: %s could not be released (%s): it runs again once its lease runs out",
                    claim.job_id,
                    exc,
                )
        end = time.monotonic() + wait
        for thread in self._threads:
            thread.join(max(0.0, end - time.monotonic()))
        self.heartbeat.join(max(0.0, end - time.monotonic()))
