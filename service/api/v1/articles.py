"""`/v1/articles`: a French article in, its English translation, title, summary and flags out."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from starlette.concurrency import run_in_threadpool

from ...document import ArticleResult
from ...formats import takes_summary
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
        services.summarizer.summarize_articles([result])
    return result


@router.post("/articles", response_model=ArticleResponse, dependencies=door(DEPECHE, engine=True))
async def articles(
    body: ArticleRequest, response: Response, services: AppServices, caller: Caller
) -> dict[str, Any]:
    """A French article in, its English translation, title, summary and flags out."""
    result = await run_in_threadpool(translate_article, body, services, caller)
    states = [result.cache]
    if result.summary is not None and result.summary.chunks:
        states.append(result.summary.cache)
    response.headers["X-Cache"] = cache_state(states)
    return result.to_dict()
