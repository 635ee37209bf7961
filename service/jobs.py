"""Jobs: an article, a news item or a document handed over to be translated later, its result
kept in the store for the client to fetch, or POSTed to its callback when it is done.

A job is what its synchronous route would take (`kind`: `article` as /v1/articles, `item` as
/v1/items, `document` as DeepL's /v2/document), kept as it came with the options that route
reads; it belongs to the API key that asked for it. Its result is what that route would have
answered (or its error, with the status). `service.job_runner` runs them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from .errors import InputError, NotFoundError
from .store import Store
from .store.jobs import DONE, FAILED, DeliveryAttempt, JobRecord
from .store.records import check_text
from .tenants import Tenant

Kind = Literal["article", "item", "document"]
KINDS: tuple[Kind, ...] = ("article", "item", "document")


@dataclass(frozen=True)
class JobRequest:
    """What a client asks a job to do: the body its route would take (`request`), the options
    that route reads besides (query parameters, form fields), and where to call back."""

    kind: Kind
    request: bytes
    options: dict[str, Any] = field(default_factory=dict)
    callback_url: str | None = None

    def fingerprint(self) -> str:
        """The same for the same request, whoever makes it and whenever."""
        digest = hashlib.sha256()
        head = [self.kind, self.options, self.callback_url]
        digest.update(json.dumps(head, sort_keys=True).encode())
        digest.update(b"\0")
        digest.update(self.request)
        return digest.hexdigest()


@dataclass(frozen=True)
class Done:
    """A job's result: the body its route would have answered, and its content type."""

    body: bytes
    content_type: str


@dataclass(frozen=True)
class Failed:
    """A job's error: the status and body its route would have answered."""

    status: int
    body: dict[str, Any]


def submit(
    store: Store,
    tenant: Tenant,
    request: JobRequest,
    now: float,
    idempotency_key: str | None = None,
) -> tuple[JobRecord, bool]:
    """Queue `request` for `tenant`; the job and whether it is new. With an idempotency key
    the tenant used before, for the same request, the job made then;
    `IdempotencyKeyReusedError` for another request."""
    if request.kind not in KINDS:
        raise InputError(f"kind {request.kind!r}: use one of {', '.join(KINDS)}")
    if idempotency_key is not None:
        check_text(idempotency_key, "Idempotency-Key")
        if not 1 <= len(idempotency_key) <= 255:
            raise InputError("Idempotency-Key: 1 to 255 characters")
    if request.callback_url is not None:
        check_text(request.callback_url, "callback_url")
    options = {**request.options, "tenant": {"name": tenant.name, "admin": tenant.admin}}
    job = JobRecord(
        id=f"job_{uuid.uuid4().hex}",
        owner=tenant.owner,
        kind=request.kind,
        idempotency_key=idempotency_key,
        fingerprint=request.fingerprint(),
        request=request.request,
        options=json.dumps(options),
        callback_url=request.callback_url,
        created=now,
        not_before=now,
    )
    return store.jobs.submit(job)


def find(store: Store, tenant: Tenant, job_id: str) -> JobRecord:
    """The job of `job_id` if it is `tenant`'s (an admin's: anyone's); `NotFoundError`
    otherwise."""
    job = store.jobs.get(job_id, None if tenant.admin else (tenant.owner,))
    if job is None:
        raise NotFoundError("job not found")
    return job


def options(job: JobRecord) -> dict[str, Any]:
    """The options the job's route reads."""
    found: dict[str, Any] = json.loads(job.options)
    return found


def tenant_of(job: JobRecord) -> Tenant:
    """Who the job runs for: the key that asked for it, with the rights it had."""
    asked = options(job).get("tenant", {})
    return Tenant(job.owner, str(asked.get("name", "job")), bool(asked.get("admin", False)))


def result_path(job_id: str) -> str:
    """Where a job's result is fetched (`GET`), as its route would have answered it."""
    return f"/v1/jobs/{job_id}/result"


def view(job: JobRecord, deliveries: Sequence[DeliveryAttempt] | None = None) -> dict[str, Any]:
    """The job as `GET /v1/jobs/{id}` shows it (and its callback sends it): its state, and
    once done its result (an article's object, an item's English text, a document's name and
    type; each at `result_url` too), once failed its error; `deliveries`, when given, the
    attempts at its callback."""
    shown: dict[str, Any] = {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "created": _iso(job.created),
        "started": _iso(job.started),
        "finished": _iso(job.finished),
        "expires": _iso(job.expires),
        "runs": job.runs,
        "callback_url": job.callback_url,
        "delivery": job.delivery,
    }
    if job.state == DONE and job.result is not None:
        shown["content_type"] = job.result_type
        shown["result_url"] = result_path(job.id)
        if job.kind == "article":
            shown["result"] = json.loads(job.result)
        elif job.kind == "item":
            shown["result"] = job.result.decode("utf-8")
        else:
            shown["result"] = {"name": options(job).get("name"), "content_type": job.result_type}
    if job.state == FAILED and job.error is not None:
        failure = json.loads(job.error)
        shown["status"] = failure["status"]
        shown.update(failure["body"])
    if deliveries is not None:
        shown["deliveries"] = [
            {
                "attempt": d.number,
                "at": _iso(d.at),
                "status": d.status,
                "error": d.error,
                "seconds": round(d.seconds, 3),
            }
            for d in deliveries
        ]
    return shown


def callback_payload(job: JobRecord) -> dict[str, Any]:
    """What a job's callback POSTs: `job.done` or `job.failed`, when, and the job."""
    return {"type": f"job.{job.state}", "timestamp": _iso(job.finished), "data": view(job)}


def _iso(when: float | None) -> str | None:
    if when is None:
        return None
    moment = datetime.fromtimestamp(when, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
