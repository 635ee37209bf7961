"""LibreTranslate's API, as its clients call it (libretranslatepy, deep-translator, CMS plugins):
fields from the query string, JSON or a form; errors as `{"error": "..."}`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from .. import language
from ..documents import KINDS
from ..errors import InputError, UnsupportedLanguageError
from ..formats import Format
from . import errors
from .forms import STRINGS, body_schema, fields, texts_of
from .middleware import author, check_key, request_key
from .routes import NEEDS_ENGINE, AppServices, check_sizes

MAX_ALTERNATIVES = 8
router = APIRouter(tags=["LibreTranslate"], responses=errors.LIBRETRANSLATE_RESPONSES)

TRANSLATE_BODY = body_schema(
    {
        "q": STRINGS,
        "source": {"type": "string", "enum": ["fr", "auto"]},
        "target": {"type": "string", "enum": ["en"]},
        "format": {"type": "string", "enum": ["text", "html"]},
        "alternatives": {"type": "integer", "minimum": 0, "maximum": MAX_ALTERNATIVES},
        "api_key": {"type": "string"},
    },
    ["q"],
)
DETECT_BODY = body_schema({"q": {"type": "string"}, "api_key": {"type": "string"}}, ["q"])
LANGUAGES = [
    {"code": "fr", "name": "French", "targets": ["en"]},
    {"code": "en", "name": "English", "targets": []},
]


async def keyed_fields(request: Request, services: AppServices) -> dict[str, Any]:
    """The request's fields, once its API key (in a header, the query or the body) is good."""
    data = await fields(request)
    keys = services.settings.api_key_list
    if keys and request_key(dict(request.scope["headers"]), b"") is None:
        check_key(data.get("api_key"), keys)
    return data


@router.post(
    "/translate",
    summary="LibreTranslate: translate",
    openapi_extra=TRANSLATE_BODY,
    dependencies=NEEDS_ENGINE,
)
async def translate(request: Request, services: AppServices) -> dict[str, Any]:
    """`q` (string or list), `source` fr or auto, `target` en, `format` text or html,
    `alternatives` (other translations, text only), `api_key`. Answers `translatedText`."""
    data = await keyed_fields(request, services)
    texts, single = texts_of(data.get("q"), "q")
    source = check_pair(data)
    text_format: Format = "html" if str(data.get("format", "text")).lower() == "html" else "text"
    check_sizes(texts, services.settings)
    documents = await run_in_threadpool(services.translator.translate_articles, texts, text_format)
    answers = [d.text for d in documents]
    result: dict[str, Any] = {"translatedText": answers[0] if single else answers}
    count = _alternatives(data.get("alternatives"))
    if count:
        # From the beam's n-best lists; HTML has markup to place in each: none given for it.
        others: list[list[str]] = [[] for _ in texts]
        if text_format == "text":
            others = await run_in_threadpool(services.translator.alternatives, texts, count)
        result["alternatives"] = others[0] if single else others
    if source == "auto":
        detected = {"confidence": 100.0, "language": "fr"}
        result["detectedLanguage"] = detected if single else [detected] * len(answers)
    return result


def check_pair(data: dict[str, Any]) -> str:
    """The request's `source` (fr or auto), once it and `target` (en) are pairs depeche
    translates."""
    source = str(data.get("source", "auto")).lower()
    target = str(data.get("target", "en")).lower()
    if source not in ("fr", "auto") or target != "en":
        raise UnsupportedLanguageError(f"{source} to {target}: depeche translates fr to en")
    return source


def _alternatives(value: Any) -> int:
    try:
        count = int(value or 0)
    except (TypeError, ValueError):
        raise InputError("alternatives must be a whole number") from None
    if not 0 <= count <= MAX_ALTERNATIVES:
        raise InputError(f"alternatives must be between 0 and {MAX_ALTERNATIVES}")
    return count


@router.post("/detect", summary="LibreTranslate: detect", openapi_extra=DETECT_BODY)
async def detect(request: Request, services: AppServices) -> list[dict[str, Any]]:
    """The language of `q`, French or English (the languages depeche knows), with its
    confidence in percent."""
    data = await keyed_fields(request, services)
    texts, _ = texts_of(data.get("q"), "q")
    found = await run_in_threadpool(language.identify, " ".join(texts))
    return [
        {"language": code, "confidence": round(confidence * 100, 1)} for code, confidence in found
    ]


@router.get("/languages", summary="LibreTranslate: languages")
def languages() -> list[dict[str, Any]]:
    """The language pairs depeche serves (open, as LibreTranslate keeps it)."""
    return LANGUAGES


@router.get("/frontend/settings", summary="LibreTranslate: settings")
def frontend_settings(services: AppServices) -> dict[str, Any]:
    """What LibreTranslate's clients read before their first call."""
    settings = services.settings
    return {
        "charLimit": settings.max_chars_per_text,
        "frontendTimeout": int(settings.request_timeout_s * 1000),
        "apiKeys": bool(settings.api_key_list),
        "keyRequired": bool(settings.api_key_list),
        "suggestions": True,
        "filesTranslation": True,
        "supportedFilesFormat": sorted(KINDS),
        "language": {
            "source": {"code": "fr", "name": "French"},
            "target": {"code": "en", "name": "English"},
        },
    }


SUGGEST_BODY = body_schema(
    {
        "q": {"type": "string"},
        "s": {"type": "string"},
        "source": {"type": "string", "enum": ["fr"]},
        "target": {"type": "string", "enum": ["en"]},
        "api_key": {"type": "string"},
    },
    ["q", "s"],
)


@router.post("/suggest", summary="LibreTranslate: suggest", openapi_extra=SUGGEST_BODY)
async def suggest(request: Request, services: AppServices) -> dict[str, bool]:
    """A better translation `s` of `q`: stored as approved, it is what `q` translates to
    from now on (on every replica of the store)."""
    services.require_ready()
    data = await keyed_fields(request, services)
    source, text = data.get("q"), data.get("s")
    if (
        not isinstance(source, str)
        or not isinstance(text, str)
        or not source.strip()
        or not text.strip()
    ):
        raise InputError("q and s must be non-empty strings")
    if (
        str(data.get("source", "fr")).lower() != "fr"
        or str(data.get("target", "en")).lower() != "en"
    ):
        raise UnsupportedLanguageError("suggestions are for fr to en")
    who = author(request, data)
    await run_in_threadpool(services.translator.approved.approve_text, source, text, who)
    return {"success": True}
