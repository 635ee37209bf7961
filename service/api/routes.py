"""The /v1 API: translation, summaries, whole articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from .. import markup
from ..article import english_text
from ..config import Settings
from ..document import TranslatedDocument
from ..errors import PayloadTooLargeError
from . import errors
from .schemas import (
    ArticleRequest,
    ArticleResponse,
    BlockOut,
    FlagOut,
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

router = APIRouter(prefix="/v1", tags=["depeche"], responses=errors.RESPONSES)


def services(request: Request) -> Services:
    """The app's models (a dependency)."""
    found: Services = request.app.state.services
    return found


Models = Annotated[Services, Depends(services)]


def check_sizes(texts: Sequence[str], settings: Settings) -> None:
    """Refuse requests over the configured limits (texts per request, characters per text)."""
    if len(texts) > settings.max_texts_per_request:
        raise PayloadTooLargeError(
            f"{len(texts)} texts; at most {settings.max_texts_per_request} per request"
        )
    for text in texts:
        if len(text) > settings.max_chars_per_text:
            raise PayloadTooLargeError(
                f"a text of {len(text)} characters; at most {settings.max_chars_per_text}"
            )


def cache_state(states: Sequence[str]) -> str:
    """`hit` when every part came from the cache, `miss` when none did, else `partial`."""
    if states and all(s == "hit" for s in states):
        return "hit"
    if all(s == "miss" for s in states):
        return "miss"
    return "partial"


def segments_out(document: TranslatedDocument) -> list[SegmentOut]:
    return [SegmentOut(**segment.as_dict()) for segment in document.segments]


@router.post("/translate", response_model=TranslateResponse)
def translate(body: TranslateRequest, response: Response, models: Models) -> TranslateResponse:
    """Translate one text or a list of texts (answers in request order)."""
    models.require_ready()
    texts = [body.text] if isinstance(body.text, str) else body.text
    check_sizes(texts, models.settings)
    documents = models.translator.translate_documents(texts, body.format)
    response.headers["X-Cache"] = cache_state([d.cache for d in documents])
    return TranslateResponse(
        translations=[TranslationOut(text=d.text, segments=segments_out(d)) for d in documents],
        model=models.translator.model.name,
    )


@router.post("/summarize", response_model=SummarizeResponse)
def summarize(body: SummarizeRequest, response: Response, models: Models) -> SummarizeResponse:
    """Summarize English text, or French text translated first."""
    summarizer = models.require_summarizer()
    check_sizes([body.text], models.settings)
    states = []
    text = body.text
    if body.source_lang == "fr":
        document = models.translator.translate_document(body.text, "text")
        states.append(document.cache)
        text = english_text(document)
    summary = summarizer.summarize(text, body.max_words, body.min_words)
    if summary.chunks:  # a text shorter than its summary needed no model: neither hit nor miss
        states.append(summary.cache)
    response.headers["X-Cache"] = cache_state(states)
    return SummarizeResponse(
        summary=summary.text, flags=summary.flags, model=summarizer.runtime.source.name
    )


@router.post("/articles", response_model=ArticleResponse)
def articles(body: ArticleRequest, response: Response, models: Models) -> ArticleResponse:
    """A French article in, its English translation, title, summary and flags out."""
    models.require_ready()
    check_sizes([body.text], models.settings)
    document = models.translator.translate_document(body.text, body.format)
    states = [document.cache]
    flags = [
        FlagOut(where="segment", segment=index, flag=flag)
        for index, segment in enumerate(document.segments)
        for flag in segment.flags
    ]
    summary_text = None
    # Summaries turned off on this server: the translation still comes, with no summary.
    if body.summarize and models.summarizer is not None:
        summary = models.summarizer.summarize(english_text(document))
        if summary.chunks:
            states.append(summary.cache)
        summary_text = summary.text
        flags.extend(FlagOut(where="summary", flag=flag) for flag in summary.flags)
    response.headers["X-Cache"] = cache_state(states)
    return ArticleResponse(
        title=title_of(document),
        text=document.text,
        blocks=[BlockOut(kind=b.kind) for b in document.blocks],
        summary=summary_text,
        segments=segments_out(document),
        flags=flags,
    )


def title_of(document: TranslatedDocument) -> str | None:
    """The plain text of the first heading's translation, if the document has a heading."""
    for index, block in enumerate(document.blocks):
        if block.kind.startswith("heading"):
            parts = [
                markup.strip(s.translation).plain for s in document.segments if s.block == index
            ]
            return " ".join(p for p in parts if p) or None
    return None


@router.get("/models", response_model=ModelsResponse)
def list_models(models: Models) -> ModelsResponse:
    """The models in use, with their revision, engine and compute type."""
    models.require_ready()
    runtimes = [("translation", models.translator.runtime)]
    if models.summarizer is not None:
        runtimes.append(("summarization", models.summarizer.runtime))
    return ModelsResponse(
        models=[
            ModelOut(
                role=role,
                name=r.source.name,
                revision=r.source.revision,
                engine=r.engine.name,
                compute_type=r.engine.compute_type,
                device=str(r.context["device"]),
            )
            for role, r in runtimes
        ]
    )
