"""LibreTranslate's API, as its clients call it (libretranslatepy, deep-translator, CMS plugins):
fields from the query string, JSON or a form; errors as `{"error": "..."}`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from .. import language
from ..documents import KINDS
from ..errors import UnsupportedLanguageError
from ..formats import Format
from . import errors
from .forms import STRINGS, body_schema, fields, texts_of
from .middleware import check_key, request_key
from .routes import NEEDS_ENGINE, AppServices, check_sizes

router = APIRouter(tags=["LibreTranslate"], responses=errors.LIBRETRANSLATE_RESPONSES)

TRANSLATE_BODY = body_schema(
    {
        "q": STRINGS,
        "source": {"type": "string", "enum": ["fr", "auto"]},
        "target": {"type": "string", "enum": ["en"]},
        "format": {"type": "string", "enum": ["text", "html"]},
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
    `api_key`. Answers `translatedText`."""
    data = await keyed_fields(request, services)
    texts, single = texts_of(data.get("q"), "q")
    source = str(data.get("source", "auto")).lower()
    target = str(data.get("target", "en")).lower()
    if source not in ("fr", "auto") or target != "en":
        raise UnsupportedLanguageError(f"{source} to {target}: depeche translates fr to en")
    text_format: Format = "html" if str(data.get("format", "text")).lower() == "html" else "text"
    check_sizes(texts, services.settings)
    documents = await run_in_threadpool(services.translator.translate_articles, texts, text_format)
    answers = [d.text for d in documents]
    result: dict[str, Any] = {"translatedText": answers[0] if single else answers}
    if source == "auto":
        detected = {"confidence": 100.0, "language": "fr"}
        result["detectedLanguage"] = detected if single else [detected] * len(answers)
    return result


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
        "suggestions": False,
        "filesTranslation": True,
        "supportedFilesFormat": sorted(KINDS),
        "language": {
            "source": {"code": "fr", "name": "French"},
            "target": {"code": "en", "name": "English"},
        },
    }
