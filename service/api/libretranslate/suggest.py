"""LibreTranslate's `/suggest`: a better translation of a sentence, kept for an editor."""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ...errors import InputError
from ...pipeline import check_encodable
from .. import doors
from ..dependencies import AppServices
from ..errors import LIBRETRANSLATE
from ..forms import body_schema
from .fields import keyed_fields, source_of

router = doors.router(LIBRETRANSLATE, key="body", tags=["LibreTranslate"])

SUGGEST_BODY = body_schema(
    {
        "q": {"type": "string"},
        "s": {"type": "string"},
        "source": {"type": "string", "enum": ["fr"]},
        "target": {"type": "string", "enum": ["en"]},
        "api_key": {"type": "string"},
    },
    ["q", "s", "source", "target"],
)


@router.post("/suggest", summary="LibreTranslate: suggest", openapi_extra=SUGGEST_BODY)
async def suggest(request: Request, services: AppServices) -> dict[str, bool]:
    """A better translation `s` of `q`, kept for review: it is used only once an editor
    approves it (the editor's page, or `/v1/memory/suggestions`)."""
    data, caller = await keyed_fields(request)
    source, text = data.get("q"), data.get("s")
    if (
        not isinstance(source, str)
        or not isinstance(text, str)
        or not source.strip()
        or not text.strip()
    ):
        raise InputError("q and s must be non-empty strings")
    check_encodable([source, text])
    source_of(data, auto=False, serves="suggestions are for")
    await run_in_threadpool(services.translator.approved.suggest, source, text, caller.name)
    return {"success": True}
