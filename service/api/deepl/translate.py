"""DeepL's API v2, as its clients call it (the official `deepl` client, CMS plugins): fields
from JSON, a form or the query string; errors as `{"message": "..."}`."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ...errors import InputError
from ...formats import Format, HtmlOptions
from ...tenants import Tenant
from .. import doors
from ..dependencies import AppServices, Caller
from ..doors import door
from ..errors import DEEPL
from ..forms import body_schema, fields, glossary_id, texts_of
from ..languages import check_pair
from ..limits import check_sizes

router = doors.router(DEEPL, prefix="/v2", tags=["DeepL"])
ENGINE = door(DEEPL, engine=True)

# DeepL's model types: depeche has one model, which serves any of them.
MODEL_TYPES = ["quality_optimized", "prefer_quality_optimized", "latency_optimized"]
# What DeepL answers for the limit of an account without one.
NO_LIMIT = 1_000_000_000_000
TRANSLATE_BODY = body_schema(
    {
        "text": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "target_lang": {"type": "string", "enum": ["EN", "EN-GB", "EN-US"]},
        "source_lang": {"type": "string", "enum": ["FR"]},
        "tag_handling": {"type": "string", "enum": ["html", "xml"]},
        "ignore_tags": {"type": "string"},
        "splitting_tags": {"type": "string"},
        "non_splitting_tags": {"type": "string"},
        "split_sentences": {"type": "string", "enum": ["0", "1", "nonewlines"]},
        "preserve_formatting": {"type": "string", "enum": ["0", "1"]},
        "formality": {"type": "string", "enum": ["default", "prefer_more", "prefer_less"]},
        "context": {"type": "string"},
        "glossary_id": {"type": "string"},
        "glossary_ids": {"type": "array", "items": {"type": "string"}, "maxItems": 1},
        "model_type": {"type": "string", "enum": MODEL_TYPES},
    },
    ["text", "target_lang"],
)
SOURCES = [{"language": "FR", "name": "French"}]
TARGETS = [
    {"language": "EN-GB", "name": "English (British)", "supports_formality": False},
    {"language": "EN-US", "name": "English (American)", "supports_formality": False},
]


def _tags(value: Any) -> tuple[str, ...]:
    """Element names DeepL clients send as a comma-separated string or a list."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return tuple(sorted({str(item).strip().lower() for item in items if str(item).strip()}))


def model_type_used(data: dict[str, Any]) -> dict[str, str]:
    """`model_type_used` for the answer when `model_type` was asked for."""
    asked = data.get("model_type")
    if asked is None:
        return {}
    if asked not in MODEL_TYPES:
        raise InputError(f"model_type {asked!r}: use one of {', '.join(MODEL_TYPES)}")
    return {"model_type_used": str(asked).removeprefix("prefer_")}


def check_languages(data: dict[str, Any]) -> None:
    """FR (or none) to EN, EN-GB or EN-US; no formality to choose in English."""
    target = str(data.get("target_lang", "")).upper()
    check_pair(str(data.get("source_lang") or "FR").upper(), target)
    formality = str(data.get("formality") or "default").lower()
    if formality not in ("default", "prefer_more", "prefer_less"):
        # DeepL's own answer: English has no formality to choose.
        raise InputError(f"'formality' is not supported for target_lang {target}")


async def _translate(request: Request, services: AppServices, caller: Tenant) -> dict[str, Any]:
    data = await fields(request)
    texts, _ = texts_of(data.get("text"), "text")
    billed = sum(len(text) for text in texts)
    await run_in_threadpool(services.check_quota, caller, billed)
    check_languages(data)
    handling = str(data.get("tag_handling") or "").lower()
    if handling not in ("", "html", "xml"):
        raise InputError(f"tag_handling {handling!r}: use html or xml")
    check_sizes(texts, services.settings)
    model = model_type_used(data)
    format: Format = "html" if handling else "text"
    options = (
        HtmlOptions(
            xml=handling == "xml",
            ignore=_tags(data.get("ignore_tags")),
            splitting=_tags(data.get("splitting_tags")),
            non_splitting=_tags(data.get("non_splitting_tags")),
        )
        if handling
        else None
    )
    glossary = await run_in_threadpool(services.glossary, caller, glossary_id(data))
    documents = await run_in_threadpool(
        services.translator.translate_articles, texts, format, options, glossary
    )
    await run_in_threadpool(services.bill, caller, billed)
    return {
        "translations": [
            {
                "detected_source_language": "FR",
                "text": d.text,
                "billed_characters": len(t),
                **model,
            }
            for t, d in zip(texts, documents, strict=True)
        ]
    }


@router.post(
    "/translate",
    summary="DeepL: translate",
    openapi_extra=TRANSLATE_BODY,
    dependencies=ENGINE,
)
async def translate(request: Request, services: AppServices, caller: Caller) -> dict[str, Any]:
    """`text` (list), `target_lang` EN (EN-GB, EN-US), `source_lang` FR or none,
    `tag_handling` and its options, `glossary_id` (or `glossary_ids` naming one),
    `model_type` (answered with `model_type_used`); the key in
    `Authorization: DeepL-Auth-Key …`.
    `split_sentences`, `preserve_formatting` and `context` are accepted: depeche always
    splits sentences itself and keeps formatting."""
    return await _translate(request, services, caller)


@router.get("/translate", summary="DeepL: translate (query)", dependencies=ENGINE)
async def translate_by_query(
    request: Request, services: AppServices, caller: Caller
) -> dict[str, Any]:
    """The same, every field in the query string (older clients)."""
    return await _translate(request, services, caller)


@router.get("/languages", summary="DeepL: languages", operation_id="deepl_languages")
@router.post("/languages", summary="DeepL: languages", operation_id="deepl_languages_post")
async def languages(request: Request) -> list[dict[str, Any]]:
    """Source languages, or target languages with `type=target`."""
    data = await fields(request)
    return TARGETS if str(data.get("type", "source")).lower() == "target" else SOURCES


@router.get("/usage", summary="DeepL: usage", operation_id="deepl_usage")
@router.post("/usage", summary="DeepL: usage", operation_id="deepl_usage_post")
async def usage(services: AppServices, caller: Caller) -> dict[str, int]:
    """Characters this API key has had translated, counted in the store (replicas on one store
    agree), and its limit (without one, DeepL's figure for an account without a limit:
    clients compare the count with it)."""
    count = await run_in_threadpool(services.store.usage.get, caller.owner)
    limit = services.settings.character_limit or NO_LIMIT
    return {"character_count": count, "character_limit": limit}


@router.get("/glossary-language-pairs", summary="DeepL: glossary language pairs")
async def glossary_language_pairs() -> dict[str, Any]:
    """The pairs glossaries may be made for."""
    return {"supported_languages": [{"source_lang": "fr", "target_lang": "en"}]}
