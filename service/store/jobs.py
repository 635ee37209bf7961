"""Jobs in the store: asked for once, claimed by one worker of one replica at a time.

A job is `queued` until a worker claims it with a lease (a token of its own and a time it
holds until, renewed while the work goes on); it is then `running`, and `done` or `failed`
once the worker that holds the lease says so. Every change a worker makes carries its lease:
a worker whose lease ran out (a replica that died, or stalled past it) changes nothing, and
the job is claimed again by another. Claims take the oldest job first; on PostgreSQL,
replicas claiming at once skip each other's rows (`FOR UPDATE SKIP LOCKED`), on SQLite the
claim is one write transaction.

A job with a callback keeps its lease once finished, for the delivery (`delivery` is
`pending` until it is `delivered` or `failed`); a delivery whose lease ran out is claimed
again. Finished jobs are deleted past `expires`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import IdempotencyKeyReusedError
from .sql import Cursor
from .tables import Table, _owned, findable

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)
PENDING, DELIVERED = "pending", "delivered"


@dataclass(frozen=True)
class JobRecord:
    """A job: what was asked (`kind`, `request` and its `options` as JSON), by whom, and
    where it stands. Times are seconds since the epoch."""

    id: str
    owner: str
    kind: str
    idempotency_key: str | None
    fingerprint: str
    request: bytes
    options: str
    callback_url: str | None
    state: str = QUEUED
    created: float = 0.0
    not_before: float = 0.0
    started: float | None = None
    finished: float | None = None
    expires: float | None = None
    runs: int = 0
    ran_by: str | None = None
    lease: str | None = None
    lease_until: float | None = None
    result: bytes | None = None
    result_type: str | None = None
    error: str | None = None
    delivery: str | None = None


@dataclass(frozen=True)
class DeliveryAttempt:
    """One attempt at a job's callback: its number, when (Unix time), the receiver's status
    (None when none came) and why it failed (None: delivered)."""

    number: int
    at: int
    status: int | None
    error: str | None
    seconds: float


_COLUMNS = (
    "id, owner, kind, idempotency_key, fingerprint, request, options, callback_url, state, "
    "created, not_before, started, finished, expires, runs, ran_by, lease, lease_until, "
    "result, result_type, error, delivery"
)
_COUNT = len(_COLUMNS.split(", "))


def _record(row: Sequence[Any]) -> JobRecord:
    values = list(row)
    for index in (5, 18):  # request, result: memoryview on PostgreSQL
        if values[index] is not None:
            values[index] = bytes(values[index])
    return JobRecord(*values)


class Jobs(Table):
    """The `jobs` table and its callbacks' attempts (`job_deliveries`)."""

    def submit(self, job: JobRecord) -> tuple[JobRecord, bool]:
        """Store a new job; with an idempotency key its owner used before, the job made then
        (whether it is new is the second value). `IdempotencyKeyReusedError` when that job
        was asked with another request."""
        with self.store.transaction() as cursor:
            if job.idempotency_key is not None:
                # A finished job past its time no longer holds its key.
                cursor.execute(
                    "DELETE FROM jobs WHERE owner = ? AND idempotency_key = ? AND expires < ? "
                    "AND (delivery IS NULL OR delivery <> ?)",
                    (job.owner, job.idempotency_key, job.created, PENDING),
                )
            values = [getattr(job, name) for name in _COLUMNS.split(", ")]
            inserted = cursor.execute(
                f"INSERT INTO jobs ({_COLUMNS}) VALUES ({', '.join('?' * _COUNT)}) "
                "ON CONFLICT (owner, idempotency_key) DO NOTHING",
                values,
            ).rowcount
            if inserted:
                return job, True
            row = cursor.execute(
                f"SELECT {_COLUMNS} FROM jobs WHERE owner = ? AND idempotency_key = ?",
                (job.owner, job.idempotency_key),
            ).fetchone()
        found = _record(row)
        if found.fingerprint != job.fingerprint:
            raise IdempotencyKeyReusedError(
                f"Idempotency-Key {job.idempotency_key!r} was used for another request "
                f"(job {found.id}); use a new key for a new request"
            )
        return found, False

    def get(self, job_id: str, owners: Sequence[str] | None) -> JobRecord | None:
        """The job of `job_id` among `owners`' (None: anyone's)."""
        if not findable(job_id):
            return None
        where, params = _owned(owners)
        with self.store.read() as cursor:
            row = cursor.execute(
                f"SELECT {_COLUMNS} FROM jobs WHERE id = ?{where}", [job_id, *params]
            ).fetchone()
        return None if row is None else _record(row)

    def deliveries(self, job_id: str) -> list[DeliveryAttempt]:
        """The attempts at a job's callback, in order."""
        with self.store.read() as cursor:
            rows = cursor.execute(
                "SELECT number, at, status, error, seconds FROM job_deliveries "
                "WHERE job_id = ? ORDER BY number",
                (job_id,),
            ).fetchall()
        return [DeliveryAttempt(*row) for row in rows]

    def claim(self, lease: str, until: float, now: float, ran_by: str) -> JobRecord | None:
        """The oldest job to run, now `running` under `lease` until `until`: a queued job
        whose time has come, or a running one whose lease ran out. None when there is none."""
        with self.store.transaction() as cursor:
            row = cursor.execute(
                "UPDATE jobs SET state = ?, lease = ?, lease_until = ?, started = ?, "
                "runs = runs + 1, ran_by = ? WHERE id = (SELECT id FROM jobs WHERE "
                "(state = ? AND not_before <= ?) OR (state = ? AND lease_until < ?) "
                f"ORDER BY created, id LIMIT 1{self.store.skip_locked}) RETURNING {_COLUMNS}",
                (RUNNING, lease, until, now, ran_by, QUEUED, now, RUNNING, now),
            ).fetchone()
        return None if row is None else _record(row)

    def claim_delivery(self, lease: str, until: float, now: float) -> JobRecord | None:
        """A finished job whose callback is pending and held by nobody, now under `lease`."""
        with self.store.transaction() as cursor:
            row = cursor.execute(
                "UPDATE jobs SET lease = ?, lease_until = ? WHERE id = (SELECT id FROM jobs "
                "WHERE delivery = ? AND (lease_until IS NULL OR lease_until < ?) "
                f"ORDER BY finished, id LIMIT 1{self.store.skip_locked}) RETURNING {_COLUMNS}",
                (lease, until, PENDING, now),
            ).fetchone()
        return None if row is None else _record(row)

    def _held(self, sql: str, params: Sequence[Any], job_id: str, lease: str) -> bool:
        """Run an UPDATE of the job held under `lease` (`WHERE id = ? AND lease = ?` is
        added); whether it still was."""
        with self.store.transaction() as cursor:
            changed = _changed(
                cursor, f"{sql} WHERE id = ? AND lease = ?", [*params, job_id, lease]
            )
        return bool(changed)

    def renew(self, job_id: str, lease: str, until: float) -> bool:
        """Hold the job until `until`; False when its lease was lost."""
        return self._held("UPDATE jobs SET lease_until = ?", [until], job_id, lease)

    def finish(
        self,
        job_id: str,
        lease: str,
        *,
        state: str,
        now: float,
        expires: float,
        result: bytes | None = None,
        result_type: str | None = None,
        error: str | None = None,
        deliver: bool = False,
    ) -> bool:
        """Mark the job `done` (its result) or `failed` (its error), kept until `expires`;
        with `deliver`, its callback is pending and the lease is kept for it. False (nothing
        changed) when the lease was lost."""
        kept = "lease = lease, lease_until = lease_until"
        return self._held(
            "UPDATE jobs SET state = ?, finished = ?, expires = ?, result = ?, "
            "result_type = ?, error = ?, delivery = ?, "
            f"{kept if deliver else 'lease = NULL, lease_until = NULL'}",
            [state, now, expires, result, result_type, error, PENDING if deliver else None],
            job_id,
            lease,
        )

    def defer(self, job_id: str, lease: str, not_before: float) -> bool:
        """Put the job back in the queue until `not_before`, as if it had not run (the
        engine was too busy to take it)."""
        return self._held(
            "UPDATE jobs SET state = ?, not_before = ?, runs = runs - 1, lease = NULL, "
            "lease_until = NULL",
            [QUEUED, not_before],
            job_id,
            lease,
        )

    def release(self, job_id: str, lease: str) -> bool:
        """Let the job go (this replica is stopping): a running job is queued again at once,
        a pending delivery left for the next claim."""
        return self._held(
            "UPDATE jobs SET state = CASE WHEN state = ? THEN ? ELSE state END, "
            "lease = NULL, lease_until = NULL",
            [RUNNING, QUEUED],
            job_id,
            lease,
        )

    def delivered(self, job_id: str, lease: str, outcome: str) -> bool:
        """The end of the job's callback: `delivered` or `failed`; the lease is let go."""
        return self._held(
            "UPDATE jobs SET delivery = ?, lease = NULL, lease_until = NULL",
            [outcome],
            job_id,
            lease,
        )

    def record_attempt(self, job_id: str, attempt: DeliveryAttempt) -> None:
        """Keep an attempt at the job's callback, numbered after those already kept."""
        with self.store.transaction() as cursor:
            row = cursor.execute(
                "SELECT coalesce(max(number), 0) FROM job_deliveries WHERE job_id = ?", (job_id,)
            ).fetchone()
            cursor.execute(
                "INSERT INTO job_deliveries (job_id, number, at, status, error, seconds) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    int(row[0]) + 1,
                    attempt.at,
                    attempt.status,
                    attempt.error,
                    attempt.seconds,
                ),
            )

    def sweep(self, now: float) -> int:
        """Delete the finished jobs past their time whose callback is not pending; how many."""
        with self.store.transaction() as cursor:
            return _changed(
                cursor,
                "DELETE FROM jobs WHERE expires < ? AND (delivery IS NULL OR delivery <> ?)",
                [now, PENDING],
            )

    def counts(self) -> dict[str, int]:
        """How many jobs are in each state (every state named)."""
        with self.store.read() as cursor:
            rows = cursor.execute("SELECT state, count(*) FROM jobs GROUP BY state").fetchall()
        return {state: 0 for state in STATES} | {str(row[0]): int(row[1]) for row in rows}


def _changed(cursor: Cursor, sql: str, params: Sequence[Any]) -> int:
    return int(cursor.execute(sql, params).rowcount)
