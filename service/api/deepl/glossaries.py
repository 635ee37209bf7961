"""DeepL's v2 glossary routes, as the official clients call them."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from ...errors import GlossaryError
from ...glossary import Glossary
from .. import doors
from ..dependencies import AppServices, Caller
from ..errors import DEEPL
from ..forms import body_schema, fields
from ..languages import check_pair

router = doors.router(DEEPL, prefix="/v2", tags=["DeepL"])

CREATE_BODY = body_schema(
    {
        "name": {"type": "string"},
        "source_lang": {"type": "string", "enum": ["fr", "FR"]},
        "target_lang": {"type": "string", "enum": ["en", "EN"]},
        "entries": {"type": "string"},
        "entries_format": {"type": "string", "enum": ["tsv", "csv"]},
    },
    ["name", "source_lang", "target_lang", "entries"],
)


@router.post(
    "/glossaries", status_code=201, summary="DeepL: create a glossary", openapi_extra=CREATE_BODY
)
async def create(request: Request, services: AppServices, caller: Caller) -> dict[str, object]:
    """`name`, `source_lang` fr, `target_lang` en, `entries` in `entries_format` tsv (the
    default) or csv."""
    data = await fields(request)
    source, target = str(data.get("source_lang", "")), str(data.get("target_lang", ""))
    check_pair(source.lower(), target.lower(), serves="glossaries are")
    name = str(data.get("name") or "").strip()
    if not name:
        raise GlossaryError("a glossary needs a name")
    glossary = Glossary.parse(
        str(data.get("entries") or ""), str(data.get("entries_format") or "tsv"), name
    )
    stored = await run_in_threadpool(services.glossaries(caller).create, glossary)
    return stored.info()


@router.get("/glossaries", summary="DeepL: list glossaries")
async def list_glossaries(services: AppServices, caller: Caller) -> dict[str, Any]:
    """The glossaries of the request's key (every one for an admin key)."""
    found = await run_in_threadpool(services.glossaries(caller).list)
    return {"glossaries": [g.info() for g in found]}


@router.get("/glossaries/{glossary_id}", summary="DeepL: a glossary")
async def get_glossary(
    glossary_id: str, services: AppServices, caller: Caller
) -> dict[str, object]:
    """A glossary's name, languages, creation time and entry count."""
    stored = await run_in_threadpool(services.glossaries(caller).get, glossary_id)
    return stored.info()


@router.get(
    "/glossaries/{glossary_id}/entries",
    summary="DeepL: a glossary's entries",
    response_class=Response,
    responses={200: {"content": {"text/tab-separated-values": {}}}},
)
async def entries(glossary_id: str, services: AppServices, caller: Caller) -> Response:
    """The entries as TSV."""
    stored = await run_in_threadpool(services.glossaries(caller).get, glossary_id)
    return Response(stored.glossary.to_tsv(), media_type="text/tab-separated-values; charset=utf-8")


@router.delete(
    "/glossaries/{glossary_id}",
    status_code=204,
    response_class=Response,
    summary="DeepL: delete a glossary",
)
async def delete(glossary_id: str, services: AppServices, caller: Caller) -> Response:
    """Remove a glossary from the store."""
    await run_in_threadpool(services.glossaries(caller).delete, glossary_id)
    return Response(status_code=204)
