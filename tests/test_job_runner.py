"""The job runner a step at a time, on a clock the test moves, with work of the test's own:
a busy engine puts a job off, a lost lease drops its result, a job that keeps killing its
server fails, a stop in the middle of a callback leaves it to the next runner, and finished
jobs go once their time is over."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from depeche.backoff import Backoff
from depeche.errors import InputError, QueueFullError
from depeche.job_runner import MAX_RUNS, SWEEP_S, JobRunner, pausing
from depeche.jobs import Done, Failed, JobRequest, submit
from depeche.store import Store, connect
from depeche.store.jobs import JobRecord
from depeche.tenants import Tenant
from depeche.webhooks import WebhookSender

from tests.http_server import Answer, Server, script
from tests.sync import Clock

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
ALICE = Tenant("alice", "key-alice")


def describe(error: Exception) -> Failed:
    return Failed(400, {"error": {"type": "invalid_input", "message": str(error)}})


class Work:
    """What the runner's jobs do: an answer of the test's, or its error."""

    def __init__(self) -> None:
        self.ran: list[str] = []
        self.error: Exception | None = None
        self.during: list[object] = []

    def __call__(self, job: JobRecord) -> Done:
        self.ran.append(job.id)
        for action in self.during:
            action()  # type: ignore[operator]
        if self.error is not None:
            raise self.error
        return Done(b'{"text": "done"}', "application/json")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = connect(f"sqlite:///{tmp_path}/store.sqlite3")
    yield opened
    opened.close()


def runner(store: Store, work: Work, clock: Clock, **options: object) -> JobRunner:
    return JobRunner(
        store, work, describe, lease_s=60.0, retention_s=3600.0, clock=clock, **options
    )  # type: ignore[arg-type]


def queue(store: Store, clock: Clock, callback: str | None = None) -> str:
    request = JobRequest("article", b'{"text": "Il pleut."}', callback_url=callback)
    job, _ = submit(store, ALICE, request, clock.now)
    return job.id


def test_a_job_runs_once_and_is_kept_for_its_time(store: Store) -> None:
    clock, work = Clock(), Work()
    jobs = runner(store, work, clock)
    job_id = queue(store, clock)
    assert jobs.step() and not jobs.step()
    done = store.jobs.get(job_id, None)
    assert done is not None and (done.state, done.result, done.runs) == (
        "done",
        b'{"text": "done"}',
        1,
    )
    assert done.expires == clock.now + 3600
    clock.now += 3600 + SWEEP_S + 1
    jobs.step()
    assert store.jobs.get(job_id, None) is None


def test_an_error_fails_the_job_with_its_answer(store: Store) -> None:
    clock, work = Clock(), Work()
    work.error = InputError("not a feed")
    job_id = queue(store, clock)
    runner(store, work, clock).step()
    failed = store.jobs.get(job_id, None)
    assert failed is not None and failed.state == "failed" and failed.error is not None
    assert json.loads(failed.error) == {
        "status": 400,
        "body": {"error": {"type": "invalid_input", "message": "not a feed"}},
    }


def test_a_busy_engine_puts_the_job_off(store: Store) -> None:
    clock, work = Clock(), Work()
    work.error = QueueFullError("busy", retry_after=3)
    jobs = runner(store, work, clock)
    job_id = queue(store, clock)
    assert jobs.step()
    waiting = store.jobs.get(job_id, None)
    assert waiting is not None and (waiting.state, waiting.runs) == ("queued", 0)
    assert not jobs.step()  # not before 3 s
    work.error = None
    clock.now += 3
    assert jobs.step()
    assert store.jobs.get(job_id, None).state == "done"  # type: ignore[union-attr]


def test_a_runner_whose_lease_was_taken_over_drops_its_result(store: Store) -> None:
    clock, work = Clock(), Work()
    job_id = queue(store, clock)
    jobs = runner(store, work, clock)

    def stalled() -> None:  # past its lease, another replica claims the job
        clock.now += 61
        assert store.jobs.claim("other", clock.now + 60, clock.now, "other") is not None
        jobs.heartbeat.beat()

    work.during.append(stalled)
    jobs.step()
    taken = store.jobs.get(job_id, None)
    assert taken is not None and (taken.state, taken.lease, taken.runs) == ("running", "other", 2)


def test_a_job_that_keeps_stopping_its_servers_fails(store: Store) -> None:
    clock, work = Clock(), Work()
    job_id = queue(store, clock)
    for number in range(MAX_RUNS):  # each claim's server dies: the lease runs out
        assert store.jobs.claim(f"dead{number}", clock.now + 60, clock.now, "w") is not None
        clock.now += 61
    runner(store, work, clock).step()
    failed = store.jobs.get(job_id, None)
    assert failed is not None and failed.state == "failed" and work.ran == []
    assert "started 3 times" in json.loads(failed.error or "{}")["body"]["error"]["message"]


def test_a_stop_between_callback_attempts_leaves_the_callback_to_the_next_runner(
    store: Store,
) -> None:
    clock, work = Clock(), Work()
    with Server(script(Answer(500), Answer(204))) as receiver:
        job_id = queue(store, clock, f"{receiver.url}/hook")
        stop = threading.Event()
        steady = Backoff(first=5.0, factor=2.0)
        waits: list[float] = []

        def stopping(seconds: float) -> None:  # SIGTERM while waiting for the next attempt
            waits.append(seconds)
            stop.set()
            pausing(stop)(seconds)

        first = runner(
            store,
            work,
            clock,
            stop=stop,
            sender=WebhookSender(SECRET, backoff=steady, sleep=stopping),
        )
        first.step()
        left = store.jobs.get(job_id, None)
        assert left is not None and (left.state, left.delivery, left.lease) == (
            "done",
            "pending",
            None,
        )
        second = runner(store, work, clock, sender=WebhookSender(SECRET, backoff=steady))
        assert second.step()
    attempts = [(d.number, d.status) for d in store.jobs.deliveries(job_id)]
    assert attempts == [(1, 500), (2, 204)] and waits == [5.0]
    assert store.jobs.get(job_id, None).delivery == "delivered"  # type: ignore[union-attr]
    assert work.ran == [job_id]  # the job itself ran once
    ids = {request.headers["webhook-id"] for request in receiver.requests}
    assert ids == {f"msg_{job_id}"}
