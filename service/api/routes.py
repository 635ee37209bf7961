"""The /v1 API: translation, summaries, whole articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Response

from ..config import Settings
from ..document import ArticleResult
from ..errors import TextLimitError
from ..formats import takes_summary
from ..tenants import Tenant
from . import doors
from .dependencies import AppServices, Caller
from .doors import door
from .errors import DEPECHE
from .schemas import (
    ArticleRequest,
    ArticleResponse,
    ModelOut,
    ModelsResponse,
    SegmentOut,
    SummarizeRequest,
    SummarizeResponse,
    TranslateRequest,
    TranslateResponse,
    TranslationOut,
)
from .services import Services

router = doors.router(DEPECHE, prefix="/v1", tags=["depeche"])


# The door of a route that runs an engine: counted at the door, 503 until the models are ready.
ENGINE = door(DEPECHE, engine=True)


def check_sizes(texts: Sequence[str], settings: Settings) -> None:
    """Refuse requests over the configured limits (texts per request, characters per text)."""
    if len(texts) > settings.max_texts_per_request:
        raise TextLimitError(
            f"{len(texts)} texts; at most {settings.max_texts_per_request} per request"
        )
    for text in texts:
        if len(text) > settings.max_chars_per_text:
            raise TextLimitError(
                f"a text of {len(text)} characters; at most {settings.max_chars_per_text}"
            )


def cache_state(states: Sequence[str]) -> str:
    """`hit` when every part came from the cache, `miss` when none did, else `partial`."""
    if states and all(s == "hit" for s in states):
        return "hit"
    if all(s == "miss" for s in states):
        return "miss"
    return "partial"


@router.post("/translate", response_model=TranslateResponse, dependencies=ENGINE)
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


@router.post("/summarize", response_model=SummarizeResponse, dependencies=ENGINE)
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


def translate_article(body: ArticleRequest, services: Services, caller: Tenant) -> ArticleResult:
    """The article of `body`, translated, and summarized when asked for and turned on."""
    check_sizes([body.text], services.settings)
    glossary = services.glossary(caller, body.glossary_id, body.glossary)
    result = services.translator.translate_article(body.text, body.format, glossary=glossary)
    # Summaries turned off on this server: the translation still comes, with no summary.
    if body.summarize and services.summarizer is not None and takes_summary(result.format):
        services.summarizer.summarize_articles([result])
    return result


@router.post("/articles", response_model=ArticleResponse, dependencies=ENGINE)
def articles(
    body: ArticleRequest, response: Response, services: AppServices, caller: Caller
) -> dict[str, Any]:
    """A French article in, its English translation, title, summary and flags out."""
    result = translate_article(body, services, caller)
    states = [result.cache]
    if result.summary is not None and result.summary.chunks:
        states.append(result.summary.cache)
    response.headers["X-Cache"] = cache_state(states)
    return result.to_dict()


@router.get("/models", response_model=ModelsResponse)
def list_models(services: AppServices) -> ModelsResponse:
    """The models in use, with their revision, engine and compute type."""
    services.require_ready()
    return ModelsResponse(
        models=[
            ModelOut(
                role=role,
                name=pipeline.runtime.source.name,
                revision=pipeline.runtime.source.revision,
                engine=pipeline.runtime.engine.name,
                compute_type=pipeline.runtime.engine.compute_type,
                device=str(pipeline.runtime.context["device"]),
            )
            for role, pipeline in services.pipelines
        ]
    )
