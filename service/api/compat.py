"""Drop-in endpoints: LibreTranslate's `/translate` and `/languages`, DeepL's `/v2/translate`,
so that existing clients and CMS plugins work unchanged. JSON and form bodies alike."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from ..errors import InputError, UnsupportedLanguageError
from ..formats import Format, HtmlOptions
from . import errors
from .middleware import check_key, request_key
from .routes import NEEDS_ENGINE, AppServices, check_sizes

router = APIRouter(tags=["compatibility"], responses=errors.RESPONSES)

_STRINGS = {
    "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]
}


def _body_schema(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """OpenAPI for a body read by hand, in JSON or as a form."""
    schema = {"type": "object", "properties": properties, "required": required}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
            },
        }
    }


LIBRETRANSLATE_BODY = _body_schema(
    {
        "q": _STRINGS,
        "source": {"type": "string", "enum": ["fr", "auto"]},
        "target": {"type": "string", "enum": ["en"]},
        "format": {"type": "string", "enum": ["text", "html"]},
        "api_key": {"type": "string"},
    },
    ["q"],
)
DEEPL_BODY = _body_schema(
    {
        "text": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "target_lang": {"type": "string", "enum": ["EN", "EN-GB", "EN-US"]},
        "source_lang": {"type": "string", "enum": ["FR"]},
        "tag_handling": {"type": "string", "enum": ["html", "xml"]},
        "ignore_tags": {"type": "string"},
        "splitting_tags": {"type": "string"},
        "non_splitting_tags": {"type": "string"},
    },
    ["text", "target_lang"],
)


async def _body(request: Request) -> dict[str, Any]:
    """The request's fields, from JSON or a form (repeated form fields become lists)."""
    content_type = request.headers.get("content-type", "")
    if "application/json" in content_type:
        try:
            data = await request.json()
        except ValueError:
            raise InputError("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise InputError("the body must be a JSON object")
        return data
    form = await request.form()
    fields: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        fields[key] = values if len(values) > 1 or key.endswith("[]") else values[0]
    return {key.removesuffix("[]"): value for key, value in fields.items()}


def _tags(value: Any) -> tuple[str, ...]:
    """Element names DeepL clients send as a comma-separated string or a list."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return tuple(sorted({str(item).strip().lower() for item in items if str(item).strip()}))


def _texts(value: Any, name: str) -> tuple[list[str], bool]:
    """(texts, whether a single string was sent)."""
    if isinstance(value, str):
        return [value], True
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value, False
    raise InputError(f"{name} must be a string or a non-empty list of strings")


@router.post(
    "/translate",
    summary="LibreTranslate: translate",
    openapi_extra=LIBRETRANSLATE_BODY,
    dependencies=NEEDS_ENGINE,
)
async def libretranslate(request: Request, services: AppServices) -> dict[str, Any]:
    """LibreTranslate's API: `q` (string or list), `source` fr or auto, `target` en,
    `format` text or html, `api_key`. Answers `translatedText`."""
    data = await _body(request)
    keys = services.settings.api_key_list
    if keys and request_key(dict(request.scope["headers"]), b"") is None:
        check_key(data.get("api_key"), keys)
    texts, single = _texts(data.get("q"), "q")
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


@router.get("/languages", summary="LibreTranslate: languages")
def languages() -> list[dict[str, Any]]:
    """The language pairs depeche serves."""
    return [
        {"code": "fr", "name": "French", "targets": ["en"]},
        {"code": "en", "name": "English", "targets": []},
    ]


@router.post(
    "/v2/translate",
    summary="DeepL: translate",
    openapi_extra=DEEPL_BODY,
    dependencies=NEEDS_ENGINE,
)
async def deepl(request: Request, services: AppServices) -> dict[str, Any]:
    """DeepL's API: `text` (list), `target_lang` EN (EN-GB, EN-US), `source_lang` FR or none;
    the key in `Authorization: DeepL-Auth-Key …`."""
    data = await _body(request)
    texts, _ = _texts(data.get("text"), "text")
    target = str(data.get("target_lang", "")).upper()
    source = str(data.get("source_lang") or "FR").upper()
    if not target.startswith("EN") or source != "FR":
        raise UnsupportedLanguageError(f"{source} to {target}: depeche translates FR to EN")
    handling = str(data.get("tag_handling") or "").lower()
    if handling not in ("", "html", "xml"):
        raise InputError(f"tag_handling {handling!r}: use html or xml")
    check_sizes(texts, services.settings)
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
    documents = await run_in_threadpool(
        services.translator.translate_articles, texts, format, options
    )
    return {
        "translations": [
            {"detected_source_language": "FR", "text": d.text, "billed_characters": len(t)}
            for t, d in zip(texts, documents, strict=True)
        ]
    }
