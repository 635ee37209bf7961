"""The jobs table, on SQLite and on PostgreSQL alike: idempotent submission, claims under a
lease that only its holder's changes pass, a lease that runs out, and retention. Time is the
test's: every call is given its moment."""

from __future__ import annotations

import threading

import pytest
from depeche.errors import IdempotencyKeyReusedError
from depeche.store import Store, connect
from depeche.store.jobs import DeliveryAttempt, JobRecord


def job(
    id: str,
    created: float = 100.0,
    key: str | None = None,
    request: bytes = b"{}",
    owner: str = "o1",
    callback: str | None = None,
) -> JobRecord:
    return JobRecord(
        id=id,
        owner=owner,
        kind="article",
        idempotency_key=key,
        fingerprint=f"fp-{request.hex()}",
        request=request,
        options="{}",
        callback_url=callback,
        created=created,
        not_before=created,
    )


def test_a_key_gives_the_same_job_for_the_same_request_and_refuses_another(store: Store) -> None:
    first, new = store.jobs.submit(job("j1", key="k"))
    assert new and first.id == "j1"
    again, new = store.jobs.submit(job("j2", key="k"))
    assert not new and again.id == "j1"
    assert store.jobs.get("j2", None) is None
    with pytest.raises(IdempotencyKeyReusedError, match="j1"):
        store.jobs.submit(job("j3", key="k", request=b'{"text": "other"}'))
    other_owner, new = store.jobs.submit(job("j4", key="k", owner="o2"))
    assert new and other_owner.id == "j4"  # keys are each owner's own
    assert store.jobs.submit(job("j5"))[1] and store.jobs.submit(job("j6"))[1]  # no key


def test_jobs_are_claimed_oldest_first_once_each(store: Store) -> None:
    for number, created in enumerate([30.0, 10.0, 20.0]):
        store.jobs.submit(job(f"j{number}", created))
    claimed = [store.jobs.claim(f"lease{n}", 200.0, 100.0, "w") for n in range(4)]
    assert [c.id if c else None for c in claimed] == ["j1", "j2", "j0", None]
    assert all(c.state == "running" and c.runs == 1 for c in claimed if c)
    assert store.jobs.counts() == {"queued": 0, "running": 3, "done": 0, "failed": 0}


def test_a_job_not_due_yet_waits(store: Store) -> None:
    store.jobs.submit(job("j1", created=100.0))
    assert store.jobs.claim("a", 200.0, 99.0, "w") is None
    assert store.jobs.claim("a", 200.0, 100.0, "w") is not None


def test_a_lease_that_runs_out_lets_another_claim_the_job(store: Store) -> None:
    store.jobs.submit(job("j1"))
    assert store.jobs.claim("dead", 160.0, 100.0, "w1") is not None
    assert store.jobs.claim("other", 220.0, 150.0, "w2") is None  # still held
    assert store.jobs.renew("j1", "dead", 170.0)
    taken = store.jobs.claim("other", 230.0, 171.0, "w2")
    assert taken is not None and taken.runs == 2 and taken.ran_by == "w2"
    # The first holder's changes no longer pass.
    assert not store.jobs.renew("j1", "dead", 300.0)
    assert not store.jobs.finish("j1", "dead", state="done", now=180.0, expires=999.0, result=b"x")
    assert store.jobs.finish(
        "j1", "other", state="done", now=180.0, expires=999.0, result=b"y", result_type="t"
    )
    done = store.jobs.get("j1", ["o1"])
    assert done is not None and (done.state, done.result, done.lease) == ("done", b"y", None)


def test_deferred_and_released_jobs_go_back_to_the_queue(store: Store) -> None:
    store.jobs.submit(job("j1"))
    store.jobs.claim("a", 200.0, 100.0, "w")
    assert store.jobs.defer("j1", "a", 150.0)
    deferred = store.jobs.get("j1", None)
    assert deferred is not None and (deferred.state, deferred.runs) == ("queued", 0)
    assert store.jobs.claim("b", 200.0, 120.0, "w") is None
    assert store.jobs.claim("b", 250.0, 150.0, "w") is not None
    assert store.jobs.release("j1", "b")
    released = store.jobs.get("j1", None)
    assert released is not None and (released.state, released.lease) == ("queued", None)
    assert store.jobs.claim("c", 250.0, 150.0, "w") is not None


def test_a_callback_keeps_the_lease_until_delivered_and_is_taken_up_again(store: Store) -> None:
    store.jobs.submit(job("j1", callback="http://127.0.0.1/hook"))
    store.jobs.claim("a", 200.0, 100.0, "w")
    assert store.jobs.finish("j1", "a", state="failed", now=110.0, expires=500.0, deliver=True)
    assert store.jobs.claim_delivery("b", 300.0, 150.0) is None  # "a" delivers it
    attempt = DeliveryAttempt(1, 111, 500, "answered 500", 0.01)
    store.jobs.record_attempt("j1", attempt)
    pending = store.jobs.claim_delivery("b", 300.0, 201.0)  # "a" stopped renewing
    assert pending is not None and pending.delivery == "pending"
    store.jobs.record_attempt("j1", DeliveryAttempt(1, 202, 204, None, 0.02))
    assert store.jobs.delivered("j1", "b", "delivered")
    assert [(d.number, d.status) for d in store.jobs.deliveries("j1")] == [(1, 500), (2, 204)]
    assert store.jobs.claim_delivery("c", 900.0, 800.0) is None


def test_finished_jobs_are_deleted_past_their_time_unless_a_callback_is_pending(
    store: Store,
) -> None:
    store.jobs.submit(job("plain", created=100.0, key="k"))
    store.jobs.submit(job("hooked", created=101.0, callback="http://127.0.0.1/hook"))
    for name in ("plain", "hooked"):
        lease = f"lease-{name}"
        store.jobs.claim(lease, 200.0, 105.0, "w")
        store.jobs.finish(
            name, lease, state="done", now=110.0, expires=150.0, deliver=name == "hooked"
        )
    store.jobs.record_attempt("hooked", DeliveryAttempt(1, 111, None, "timed out", 15.0))
    assert store.jobs.sweep(149.0) == 0
    assert store.jobs.sweep(151.0) == 1
    assert store.jobs.get("plain", None) is None and store.jobs.get("hooked", None) is not None
    # A key whose job is gone is free again.
    assert store.jobs.submit(job("again", created=160.0, key="k", request=b"[]"))[1]
    store.jobs.delivered("hooked", "lease-hooked", "failed")
    assert store.jobs.sweep(151.0) == 1
    assert store.jobs.deliveries("hooked") == []


def test_replicas_claiming_at_once_get_each_job_once(store: Store, store_url: str) -> None:
    for number in range(40):
        store.jobs.submit(job(f"j{number:02}", created=float(number)))
    replicas = [connect(store_url) for _ in range(4)]
    claimed: list[list[str]] = [[] for _ in replicas]
    start = threading.Barrier(len(replicas))

    def claim_all(index: int) -> None:
        start.wait()
        while (found := replicas[index].jobs.claim(f"r{index}", 900.0, 100.0, "w")) is not None:
            claimed[index].append(found.id)

    threads = [threading.Thread(target=claim_all, args=(i,)) for i in range(len(replicas))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for replica in replicas:
        replica.close()
    everything = sorted(i for ids in claimed for i in ids)
    assert everything == [f"j{number:02}" for number in range(40)]
