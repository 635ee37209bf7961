"""LibreTranslate's `/translate` and `/detect`, as its clients call them (libretranslatepy,
deep-translator, CMS plugins): fields from the query string, JSON or a form; errors as
`{"error": "..."}`."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ... import language
from ...errors import InputError, UnsupportedLanguageError
from ...formats import Format, plain_text
from .. import doors
from ..dependencies import AppServices
from ..doors import door
from ..errors import LIBRETRANSLATE
from ..forms import STRINGS, body_schema, texts_of
from ..limits import check_sizes
from .fields import keyed_fields, required, source_of

MAX_ALTERNATIVES = 8
SUPPORTED = ("fr", "en")
# Under this length, as LibreTranslate does, a text is only asked whether it is French or
# English: the identifier knows too little of it to name another language.
SHORT = 20
# How sure the identifier must be of another language before a text is refused for it: French
# headlines are often close to Occitan or Catalan.
OTHER_LANGUAGE = 0.5
# LibreTranslate's clients may send their key in the body.
router = doors.router(LIBRETRANSLATE, key="body", tags=["LibreTranslate"])

TRANSLATE_BODY = body_schema(
    {
        "q": STRINGS,
        "source": {"type": "string", "enum": ["fr", "auto"]},
        "target": {"type": "string", "enum": ["en"]},
        "format": {"type": "string", "enum": ["text", "html"]},
        "alternatives": {"type": "integer", "minimum": 0, "maximum": MAX_ALTERNATIVES},
        "api_key": {"type": "string"},
    },
    ["q", "source", "target"],
)
DETECT_BODY = body_schema({"q": {"type": "string"}, "api_key": {"type": "string"}}, ["q"])


@router.post(
    "/translate",
    summary="LibreTranslate: translate",
    openapi_extra=TRANSLATE_BODY,
    dependencies=door(LIBRETRANSLATE, key="body", engine=True),
)
async def translate(request: Request, services: AppServices) -> dict[str, Any]:
    """`q` (string or list), `source` fr or auto, `target` en, `format` text or html,
    `alternatives` (other translations, text only), `api_key`. Answers `translatedText`;
    with `source` auto, each text's `detectedLanguage`: English comes back as it is, another
    language is refused."""
    data, _ = await keyed_fields(request)
    texts, single = texts_of(required(data, "q"), "q")
    source = source_of(data)
    text_format = _format(data.get("format"))
    check_sizes(texts, services.settings)
    count = _alternatives(data.get("alternatives"))
    detected: list[tuple[str, float]] = [("fr", 1.0)] * len(texts)
    if source == "auto":
        detected = await run_in_threadpool(detect_sources, texts, text_format)
    french = [i for i, (code, _) in enumerate(detected) if code == "fr"]
    documents = await run_in_threadpool(
        services.translator.translate_articles, [texts[i] for i in french], text_format
    )
    answers = list(texts)  # English stays as it is
    for i, document in zip(french, documents, strict=True):
        answers[i] = document.text
    result: dict[str, Any] = {"translatedText": answers[0] if single else answers}
    if count:
        # From the beam's n-best lists; HTML has markup to place in each: none given for it.
        others: list[list[str]] = [[] for _ in texts]
        if text_format == "text" and french:
            found = await run_in_threadpool(
                services.translator.alternatives, [texts[i] for i in french], count
            )
            for i, alternatives in zip(french, found, strict=True):
                others[i] = alternatives
        result["alternatives"] = others[0] if single else others
    if source == "auto":
        languages = [{"confidence": round(p * 100, 1), "language": c} for c, p in detected]
        result["detectedLanguage"] = languages[0] if single else languages
    return result


def _format(value: Any) -> Format:
    """`format`: text (the default) or html."""
    found = str(value or "text").lower()
    if found not in ("text", "html"):
        raise InputError(f"{found} format is not supported")
    return "html" if found == "html" else "text"


def detect_sources(texts: list[str], format: Format) -> list[tuple[str, float]]:
    """The language of each text sent with `source` auto, and its probability: French or
    English (the likelier), unless the identifier is sure of another language, which is
    refused (`UnsupportedLanguageError` naming it). A text nothing is known of is French."""
    found = []
    for text in texts:
        plain = plain_text(text, format) if format == "html" else text
        ranked = language.identify(plain)
        ours = [(code, p) for code, p in ranked if code in SUPPORTED]
        best = ranked[0] if ranked else ("fr", 0.0)
        if best[0] not in SUPPORTED and best[1] >= OTHER_LANGUAGE and len(plain) >= SHORT:
            raise UnsupportedLanguageError(
                f"{best[0]} is not supported (detected): depeche translates fr to en"
            )
        found.append(ours[0] if ours else ("fr", 0.0))
    return found


def _alternatives(value: Any) -> int:
    whole = InputError("alternatives must be a whole number")
    if isinstance(value, bool) or not isinstance(value, int | float | str | None):
        raise whole
    if isinstance(value, int):
        count = value
    else:
        try:
            number = float(value or 0)  # `1e309` is infinite: no whole number
        except ValueError:
            raise whole from None
        if not number.is_integer():
            raise whole
        count = int(number)
    if not 0 <= count <= MAX_ALTERNATIVES:
        raise InputError(f"alternatives must be between 0 and {MAX_ALTERNATIVES}")
    return count


@router.post("/detect", summary="LibreTranslate: detect", openapi_extra=DETECT_BODY)
async def detect(request: Request, services: AppServices) -> list[dict[str, Any]]:
    """The language of `q` among those depeche translates, French and English, the likelier
    first, with confidences in percent (at most three, as LibreTranslate answers; English at
    0 when neither is likely)."""
    data, _ = await keyed_fields(request)
    texts, _ = texts_of(required(data, "q"), "q")
    found = await run_in_threadpool(language.identify, " ".join(texts))
    ours = [(code, p) for code, p in found if code in SUPPORTED][:3]
    return [
        {"language": code, "confidence": round(p * 100, 1)} for code, p in ours or [("en", 0.0)]
    ]
