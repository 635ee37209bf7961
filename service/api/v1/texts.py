"""`/v1/translate` and `/v1/summarize`: texts translated, English (or French) summarized."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Response

from .. import doors
from ..dependencies import AppServices, Caller
from ..doors import door
from ..errors import DEPECHE
from ..limits import check_sizes
from .schemas import (
    SegmentOut,
    SummarizeRequest,
    SummarizeResponse,
    TranslateRequest,
    TranslateResponse,
    TranslationOut,
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
def translate(
    body: TranslateRequest, response: Response, services: AppServices, caller: Caller
) -> TranslateResponse:
    """Translate one text or a list of texts (answers in request order)."""
    texts = [body.text] if isinstance(body.text, str) else body.text
    check_sizes(texts, services.settings)
    glossary = services.glossary(caller, body.glossary_id, body.glossary)
    results = services.translator.translate_articles(texts, body.format, glossary=glossary)
    response.headers["X-Cache"] = cache_state([r.cache for r in results])
    return TranslateResponse(
        translations=[
            TranslationOut(text=r.text, segments=[SegmentOut(**s.to_dict()) for s in r.segments])
            for r in results
        ],
        model=services.translator.model.name,
    )


@router.post(
    "/summarize", response_model=SummarizeResponse, dependencies=door(DEPECHE, engine=True)
)
def summarize(
    body: SummarizeRequest, response: Response, services: AppServices
) -> SummarizeResponse:
    """Summarize English text, or French text translated first."""
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
    response.headers["X-Cache"] = cache_state(states)
    return SummarizeResponse(
        summary=summary.text, flags=summary.flags, model=summarizer.runtime.source.name
    )
