"""`/v1/articles`: a French article in, its English translation, title, summary and flags out."""

from __future__ import annotations

from fastapi import Response
from pydantic_core import to_json
from starlette.concurrency import run_in_threadpool

from ...formats import takes_summary
from ...results import ArticleResult
from ...tenants import Tenant
from .. import doors
from ..dependencies import AppServices, Caller
from ..doors import door
from ..errors import DEPECHE
from ..limits import check_sizes
from ..services import Services
from .schemas import ArticleRequest, ArticleResponse
from .texts import cache_state

router = doors.router(DEPECHE, prefix="/v1", tags=["depeche"])


def translate_article(body: ArticleRequest, services: Services, caller: Tenant) -> ArticleResult:
    """The article of `body`, translated, and summarized when asked for and turned on."""
    check_sizes([body.text], services.settings)
    glossary = services.glossary(caller, body.glossary_id, body.glossary)
    result = services.translator.translate_article(body.text, body.format, glossary=glossary)
    # Summaries turned off on this server: the translation still comes, with no summary.
    if body.summarize and services.summarizer is not None and takes_summary(result.format):
        services.summarizer.summarize_articles([result], body.max_words, body.min_words)
    return result


@router.post("/articles", response_model=ArticleResponse, dependencies=door(DEPECHE, engine=True))
async def articles(body: ArticleRequest, services: AppServices, caller: Caller) -> Response:
    """A French article in, its English translation, title, summary and flags out."""
    content, cache = await run_in_threadpool(_answer, body, services, caller)
    return Response(content, media_type="application/json", headers={"X-Cache": cache})


def _answer(body: ArticleRequest, services: Services, caller: Tenant) -> tuple[bytes, str]:
    """The article's JSON, written in the thread pool with the translation rather than on the
    event loop, which serves every connection; and its `X-Cache`."""
    result = translate_article(body, services, caller)
    states = [result.cache]
    if result.summary is not None and result.summary.chunks:
        states.append(result.summary.cache)
    return article_json(result), cache_state(states)


def article_json(result: ArticleResult) -> bytes:
    """`result` as `ArticleResponse` documents it: each of its fields, nulls included.

    Written from `ArticleResult.to_dict`, not checked against the model: on an unchanged
    article, building and writing the model's objects costs more than the cache hit itself.
    The tests hold the two equal."""
    return to_json(result.to_dict(), inf_nan_mode="null")
