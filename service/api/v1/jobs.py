"""`/v1/jobs`: an article, a news item or a document handed over at once (202), translated
by the server's job workers; its state, result and callback attempts read back later, or its
result POSTed to a callback, signed (Standard Webhooks).

The body is what the synchronous route takes; `kind` (in the query string) says which, else
the content type does: `application/json` an article (/v1/articles' body), `multipart/form-
data` a document (`file`, as DeepL's /v2/document), a news item's or feed's content type an
item (/v1/items' body; `?kind=item` for a ninjs item, whose type is JSON too).
`callback_url` goes with the route's other options: in the article's JSON, in the document's
form, in the query string for an item (or any kind).
"""

from __future__ import annotations

import json
import time
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool

from ... import jobs
from ...config import Settings
from ...documents import kind_of
from ...errors import InputError, JobNotDoneError, PayloadTooLargeError, UnsupportedMediaTypeError
from ...formats import decode
from ...store.jobs import DONE, FAILED
from ...store.records import check_text
from ...tenants import Tenant
from ...webhooks import AllowedHosts, CallbackRefusedError, check_callback
from .. import doors
from ..dependencies import AppServices, Caller
from ..doors import door
from ..errors import DEPECHE
from ..files import upload
from ..forms import fields, glossary_id
from ..limits import check_sizes
from ..services import Services
from .items import CONTENT_TYPES
from .schemas import GLOSSARY_ID_HELP, ArticleRequest

router = doors.router(DEPECHE, prefix="/v1", tags=["jobs"])

CALLBACK_HELP = (
    "Where the finished job is POSTed, signed (Standard Webhooks): an http or https URL of "
    "an allowed host."
)


class ArticleJob(ArticleRequest):
    """An article job: /v1/articles' body, and where to call back."""

    callback_url: str | None = Field(None, description=CALLBACK_HELP)


JOB_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ArticleJob.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "callback_url": {"type": "string"},
                        "glossary_id": {"type": "string"},
                    },
                    "required": ["file"],
                }
            },
            **{
                kind: {"schema": {"type": "string"}}
                for kind in CONTENT_TYPES
                if kind != "application/json"
            },
        },
    }
}


# A job may hold a whole document.
@router.post(
    "/jobs",
    status_code=202,
    openapi_extra=JOB_BODY,
    dependencies=door(DEPECHE, body="documents"),
)
async def submit_job(
    request: Request,
    services: AppServices,
    caller: Caller,
    kind: Annotated[
        jobs.Kind | None,
        Query(description="article, item or document; unset: by the content type."),
    ] = None,
    callback_url: Annotated[str | None, Query(description=CALLBACK_HELP)] = None,
    summarize: Annotated[bool, Query(description="An item's summary, as /v1/items.")] = False,
    item_glossary_id: Annotated[
        str | None, Query(alias="glossary_id", description=GLOSSARY_ID_HELP)
    ] = None,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="The same key with the same request gives the same job (for a day "
            "after it ends, DEPECHE_JOB_RETENTION_S); with another request, 422.",
        ),
    ] = None,
) -> JSONResponse:
    """Queue a job; answers 202 with the job (as `GET /v1/jobs/{id}` shows it) and its
    `Location`."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    kind = kind or _kind_of(media_type)
    if kind == "article":
        asked = await _article(request, services, caller)
    elif kind == "item":
        asked = await _item(request, services, caller, media_type, summarize, item_glossary_id)
    else:
        asked = await _document(request, services, caller)
    url = _callback(asked.callback_url, callback_url, services.settings)
    asked = jobs.JobRequest(asked.kind, asked.request, asked.options, url)
    job, new = await run_in_threadpool(
        jobs.submit, services.store, caller, asked, time.time(), idempotency_key
    )
    if new:
        request.app.state.background.jobs.wake()
    headers = {"Location": f"/v1/jobs/{job.id}"}
    if not new:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(jobs.view(job), status_code=202, headers=headers)


@router.get("/jobs/{job_id}")
async def get_job(job_id: str, services: AppServices, caller: Caller) -> dict[str, Any]:
    """The job's state (queued, running, done, failed); once done its result, once failed
    its error; the attempts at its callback."""
    job = await run_in_threadpool(jobs.find, services.store, caller, job_id)
    deliveries = await run_in_threadpool(services.store.jobs.deliveries, job.id)
    return jobs.view(job, deliveries)


@router.get("/jobs/{job_id}/result", response_class=Response)
async def job_result(job_id: str, services: AppServices, caller: Caller) -> Response:
    """What the synchronous route would have answered: the article's JSON, the item in
    English with its content type, the document's file; a failed job's error with its
    status. 409 until the job has ended."""
    job = await run_in_threadpool(jobs.find, services.store, caller, job_id)
    if job.state == FAILED and job.error is not None:
        failure = json.loads(job.error)
        return JSONResponse(failure["body"], status_code=failure["status"])
    if job.state != DONE or job.result is None:
        raise JobNotDoneError(f"job {job.id} is {job.state}")
    headers = {}
    if job.kind == "document":
        name = str(jobs.options(job).get("name") or "document")
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(job.result, media_type=job.result_type, headers=headers)


def _kind_of(media_type: str) -> jobs.Kind:
    if media_type == "application/json":
        return "article"
    if media_type == "multipart/form-data":
        return "document"
    if media_type in CONTENT_TYPES:
        return "item"
    raise UnsupportedMediaTypeError(
        f"a body of {media_type or 'no content type'}: send an article as application/json, a "
        "document as multipart/form-data, or a news item with its content type"
    )


async def _article(request: Request, services: Services, caller: Tenant) -> jobs.JobRequest:
    try:
        body = ArticleJob.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    check_sizes([body.text], services.settings)
    # A glossary the caller cannot use is refused now, not once the job runs.
    await run_in_threadpool(services.glossary, caller, body.glossary_id, body.glossary)
    article = ArticleRequest.model_validate(body.model_dump(exclude={"callback_url"}))
    return jobs.JobRequest("article", article.model_dump_json().encode(), {}, body.callback_url)


async def _item(
    request: Request,
    services: Services,
    caller: Tenant,
    media_type: str,
    summarize: bool,
    glossary: str | None,
) -> jobs.JobRequest:
    if media_type not in CONTENT_TYPES:
        raise UnsupportedMediaTypeError(
            f"an item of {media_type or 'no content type'}; send one of {', '.join(CONTENT_TYPES)}"
        )
    text = decode(await request.body(), "the body")
    check_sizes([text], services.settings)
    await run_in_threadpool(services.glossary, caller, glossary)
    options = {"media_type": media_type, "summarize": summarize, "glossary_id": glossary}
    return jobs.JobRequest("item", text.encode(), options)


async def _document(request: Request, services: Services, caller: Tenant) -> jobs.JobRequest:
    data = await fields(request)
    name, content = await upload(request)
    check_text(name, "the file's name")
    kind_of(name)
    limit = services.settings.max_document_bytes
    if len(content) > limit:
        raise PayloadTooLargeError(f"a document of {len(content)} bytes; at most {limit}")
    # As /v2/document: its size is known once translated.
    await run_in_threadpool(services.check_quota, caller, 1)
    chosen = glossary_id(data)
    await run_in_threadpool(services.glossary, caller, chosen)
    url = data.get("callback_url")
    if url is not None and not isinstance(url, str):
        raise InputError("callback_url must be one URL")
    return jobs.JobRequest("document", content, {"name": name, "glossary_id": chosen}, url)


def _callback(given: str | None, query: str | None, settings: Settings) -> str | None:
    """The callback URL of a job, checked; `CallbackRefusedError` (400) for one that is not
    http(s), or of a host that is not allowed, or when this server sends no callbacks."""
    if given is not None and query is not None and given != query:
        raise InputError("callback_url is given twice, differently")
    url = given if given is not None else query
    if url is None:
        return None
    if settings.webhook_secret is None:
        raise CallbackRefusedError(
            "this server sends no callbacks (DEPECHE_WEBHOOK_SECRET is not set): poll "
            "GET /v1/jobs/{id} instead"
        )
    return check_callback(url, AllowedHosts.parse(settings.webhook_allowed_hosts))
