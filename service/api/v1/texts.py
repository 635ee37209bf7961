"""`/v1/translate` and `/v1/summarize`: texts translated, English (or French) summarized."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Response
from pydantic_core import to_json
from starlette.concurrency import run_in_threadpool

from ...tenants import Tenant
from .. import doors
from ..dependencies import AppServices, Caller
from ..doors import door
from ..errors import DEPECHE
from ..limits import check_sizes
from ..services import Services
from .schemas import (
    SummarizeRequest,
    SummarizeResponse,
    TranslateRequest,
    TranslateResponse,
)

router = doors.router(DEPECHE, prefix="/v1", tags=["depeche"])


def cache_state(states: Sequence[str]) -> str:
    """`hit` when every part came from the cache, `miss` when none did, else `partial`."""
    if states and all(s == "hit" for s in states):
        return "hit"
    if all(s == "miss" for s in states):
        return "miss"
    return "partial"


@router.post(
    "/translate", response_model=TranslateResponse, dependencies=door(DEPECHE, engine=True)
)
async def translate(body: TranslateRequest, services: AppServices, caller: Caller) -> Response:
    """Translate one text or a list of texts (answers in request order)."""
    content, cache = await run_in_threadpool(_translate, body, services, caller)
    return Response(content, media_type="application/json", headers={"X-Cache": cache})


def _translate(body: TranslateRequest, services: Services, caller: Tenant) -> tuple[bytes, str]:
    """The answer's JSON, written in the thread pool with the translation rather than on the
    event loop, which serves every connection; and its `X-Cache`."""
    texts = [body.text] if isinstance(body.text, str) else body.text
    check_sizes(texts, services.settings)
    glossary = services.glossary(caller, body.glossary_id, body.glossary)
    results = services.translator.translate_articles(texts, body.format, glossary=glossary)
    # What `TranslateResponse` documents, written without building its objects (the tests
    # hold the two equal): on a cache hit, they would cost more than the hit.
    answer = {
        "translations": [
            {"text": r.text, "segments": [s.to_dict() for s in r.segments]} for r in results
        ],
        "model": services.translator.model.name,
    }
    return to_json(answer, inf_nan_mode="null"), cache_state([r.cache for r in results])


@router.post(
    "/summarize", response_model=SummarizeResponse, dependencies=door(DEPECHE, engine=True)
)
async def summarize(
    body: SummarizeRequest, response: Response, services: AppServices
) -> SummarizeResponse:
    """Summarize English text, or French text translated first."""
    answer, cache = await run_in_threadpool(_summarize, body, services)
    response.headers["X-Cache"] = cache
    return answer


def _summarize(body: SummarizeRequest, services: Services) -> tuple[SummarizeResponse, str]:
    summarizer = services.require_summarizer()
    check_sizes([body.text], services.settings)
    states = []
    text = body.text
    if body.source_lang == "fr":
        result = services.translator.translate_article(body.text, "auto")
        states.append(result.cache)
        text = result.english_prose()
    summary = summarizer.summarize(text, body.max_words, body.min_words)
    if summary.chunks:  # a text shorter than its summary needed no model: neither hit nor miss
        states.append(summary.cache)
    answer = SummarizeResponse(
        summary=summary.text, flags=summary.flags, model=summarizer.runtime.source.name
    )
    return answer, cache_state(states)
