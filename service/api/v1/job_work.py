"""What a job does: the work of its synchronous route, on the job's own thread, for the key
that asked for it (its glossaries, its quota), and that route's answer or error."""

from __future__ import annotations

import json
from typing import Any

from ...documents import translate_document
from ...errors import InputError
from ...jobs import Done, Failed, options, tenant_of
from ...store.jobs import JobRecord
from ..errors import DEPECHE, error_response
from ..services import Services
from .articles import translate_article
from .items import CONTENT_TYPES, english_item
from .schemas import ArticleRequest, ArticleResponse


def perform(services: Services, job: JobRecord) -> Done:
    """Run `job` as its route would; raises what the route would raise."""
    services.require_ready()
    tenant = tenant_of(job)
    asked = options(job)
    if job.kind == "article":
        body = ArticleRequest.model_validate_json(job.request)
        result = translate_article(body, services, tenant)
        answer = ArticleResponse.model_validate(result.to_dict()).model_dump(mode="json")
        return Done(_json(answer), "application/json")
    if job.kind == "item":
        media_type = str(asked["media_type"])
        english, _ = english_item(
            services,
            tenant,
            job.request.decode("utf-8"),
            CONTENT_TYPES[media_type],
            bool(asked.get("summarize")),
            asked.get("glossary_id"),
        )
        return Done(english.encode(), media_type)
    if job.kind == "document":
        glossary = services.glossary(tenant, asked.get("glossary_id"))
        document = translate_document(services.translator, job.request, asked["name"], glossary)
        services.bill(tenant, document.billed)  # as /v2/document bills
        return Done(document.data, document.media_type)
    raise InputError(f"a job of kind {job.kind!r}")


def describe(error: Exception) -> Failed:
    """The error answer the job's route would have given for `error`."""
    response = error_response(error, DEPECHE)
    body: dict[str, Any] = json.loads(bytes(response.body))
    return Failed(response.status_code, body)


def _json(content: Any) -> bytes:
    """As FastAPI's JSON responses write it."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
