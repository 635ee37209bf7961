"""DeepL's v3 glossary routes, as `DeepLClient` in the official clients calls them: a glossary
holds dictionaries, one per language pair, and depeche's hold at most one, French to English.
They are the same glossaries as v2's, in the same store: an id from either works in both, and
in `glossary_id` or `glossary_ids` when translating."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from ...errors import GlossaryError, NotFoundError
from ...glossary import Glossary
from ...store.glossaries import StoredGlossary
from ...tenants import Tenant
from .. import doors
from ..dependencies import AppServices, Caller
from ..errors import DEEPL
from ..forms import body_schema, fields
from ..languages import check_pair
from ..services import Services
from . import glossaries

router = doors.router(DEEPL, prefix="/v3", tags=["DeepL"])

PAIR = ("fr", "en")
DICTIONARY_FIELDS: dict[str, Any] = {
    "source_lang": {"type": "string", "enum": ["fr", "FR"]},
    "target_lang": {"type": "string", "enum": ["en", "EN"]},
    "entries": {"type": "string"},
    "entries_format": {"type": "string", "enum": ["tsv", "csv"]},
}
DICTIONARY_REQUIRED = ["source_lang", "target_lang", "entries"]
DICTIONARIES = {
    "type": "array",
    "items": {"type": "object", "properties": DICTIONARY_FIELDS, "required": DICTIONARY_REQUIRED},
}
CREATE_BODY = body_schema(
    {"name": {"type": "string"}, "dictionaries": DICTIONARIES}, ["name", "dictionaries"]
)
UPDATE_BODY = body_schema({"name": {"type": "string"}, "dictionaries": DICTIONARIES}, [])
REPLACE_BODY = body_schema(DICTIONARY_FIELDS, DICTIONARY_REQUIRED)
# A form's dictionaries, as deepl-node sends them: `dictionaries[0].entries` and so on.
_FORM_FIELD = re.compile(r"dictionaries\[(\d+)\]\.(\w+)")


def info(stored: StoredGlossary) -> dict[str, Any]:
    """What DeepL's v3 routes answer for a glossary: its dictionaries without their entries."""
    entries = stored.glossary.entries
    return {
        "glossary_id": stored.glossary_id,
        "name": stored.glossary.name,
        "dictionaries": [_dictionary_info(len(entries))] if entries else [],
        "creation_time": stored.created,
    }


def _dictionary_info(count: int) -> dict[str, Any]:
    return {"source_lang": PAIR[0], "target_lang": PAIR[1], "entry_count": count}


def _pair(source: Any, target: Any) -> None:
    """A dictionary's language pair, which must be French to English."""
    check_pair(str(source or "").lower(), str(target or "").lower(), serves="glossaries are")


def _dictionaries(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The dictionaries of a request, from JSON (a list) or a form (indexed fields)."""
    found = data.get("dictionaries")
    if isinstance(found, list):
        if not all(isinstance(d, dict) for d in found):
            raise GlossaryError("dictionaries must be objects")
        return found
    indexed: dict[int, dict[str, Any]] = {}
    for key, value in data.items():
        if match := _FORM_FIELD.fullmatch(key):
            indexed.setdefault(int(match[1]), {})[match[2]] = value
    return [indexed[i] for i in sorted(indexed)]


def _entries(dictionary: dict[str, Any]) -> Glossary:
    """The entries of one French-to-English dictionary."""
    _pair(dictionary.get("source_lang"), dictionary.get("target_lang"))
    text, format = dictionary.get("entries"), dictionary.get("entries_format") or "tsv"
    if not isinstance(text, str) or not isinstance(format, str):
        raise GlossaryError("a dictionary's entries and entries_format are strings")
    return Glossary.parse(text, format)


def _one_dictionary(data: dict[str, Any]) -> Glossary | None:
    """The request's dictionary (None when it gives none)."""
    dictionaries = _dictionaries(data)
    if len(dictionaries) > 1:
        raise GlossaryError("depeche's glossaries hold one dictionary, fr to en")
    return _entries(dictionaries[0]) if dictionaries else None


def _name(value: Any) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name:
        raise GlossaryError("a glossary needs a name")
    return name


async def _get(services: Services, caller: Tenant, glossary_id: str) -> StoredGlossary:
    return await run_in_threadpool(services.glossaries(caller).get, glossary_id)


async def _save(
    services: Services, caller: Tenant, stored: StoredGlossary, glossary: Glossary
) -> StoredGlossary:
    return await run_in_threadpool(services.glossaries(caller).update, stored, glossary)


@router.post(
    "/glossaries", status_code=201, summary="DeepL: create a glossary", openapi_extra=CREATE_BODY
)
async def create(request: Request, services: AppServices, caller: Caller) -> dict[str, Any]:
    """`name` and `dictionaries` (one: `source_lang` fr, `target_lang` en, `entries` in
    `entries_format` tsv or csv)."""
    data = await fields(request)
    name = _name(data.get("name"))
    entries = _one_dictionary(data)
    if entries is None:
        raise GlossaryError("a glossary needs a dictionary")
    glossary = Glossary(entries.entries, name)
    return info(await run_in_threadpool(services.glossaries(caller).create, glossary))


@router.get("/glossaries", summary="DeepL: list glossaries")
async def list_glossaries(services: AppServices, caller: Caller) -> dict[str, Any]:
    """The glossaries of the request's key (every one for an admin key), without entries."""
    found = await run_in_threadpool(services.glossaries(caller).list)
    return {"glossaries": [info(g) for g in found]}


@router.get("/glossaries/{glossary_id}", summary="DeepL: a glossary")
async def get_glossary(glossary_id: str, services: AppServices, caller: Caller) -> dict[str, Any]:
    """A glossary's name, creation time and dictionaries."""
    return info(await _get(services, caller, glossary_id))


@router.patch(
    "/glossaries/{glossary_id}", summary="DeepL: update a glossary", openapi_extra=UPDATE_BODY
)
async def update(
    glossary_id: str, request: Request, services: AppServices, caller: Caller
) -> dict[str, Any]:
    """A new `name`, and/or entries merged into the dictionary (a term given again takes the
    new English)."""
    data = await fields(request)
    stored = await _get(services, caller, glossary_id)
    name = _name(data["name"]) if "name" in data else stored.glossary.name
    merged = dict(stored.glossary.entries)
    added = _one_dictionary(data)
    if added is not None:
        merged |= dict(added.entries)
    return info(await _save(services, caller, stored, Glossary(tuple(merged.items()), name)))


@router.put(
    "/glossaries/{glossary_id}/dictionaries",
    summary="DeepL: replace a glossary's dictionary",
    openapi_extra=REPLACE_BODY,
)
async def replace(
    glossary_id: str, request: Request, services: AppServices, caller: Caller
) -> dict[str, Any]:
    """The dictionary's entries, all replaced."""
    data = await fields(request)
    entries = _entries(data)
    stored = await _get(services, caller, glossary_id)
    saved = await _save(services, caller, stored, Glossary(entries.entries, stored.glossary.name))
    return _dictionary_info(len(saved.glossary.entries))


@router.get("/glossaries/{glossary_id}/entries", summary="DeepL: a dictionary's entries")
async def entries(
    glossary_id: str, request: Request, services: AppServices, caller: Caller
) -> dict[str, Any]:
    """The entries of the `source_lang` to `target_lang` dictionary, as TSV."""
    data = await fields(request)
    stored = await _get(services, caller, glossary_id)
    pair = (str(data.get("source_lang", "")).lower(), str(data.get("target_lang", "")).lower())
    if pair != PAIR or not stored.glossary.entries:
        raise NotFoundError(f"glossary {glossary_id!r} has no {pair[0]} to {pair[1]} dictionary")
    tsv = stored.glossary.to_tsv()
    return {
        "dictionaries": [
            {
                "source_lang": PAIR[0],
                "target_lang": PAIR[1],
                "entries": tsv,
                "entries_format": "tsv",
            }
        ]
    }


@router.delete(
    "/glossaries/{glossary_id}/dictionaries",
    status_code=204,
    response_class=Response,
    summary="DeepL: delete a glossary's dictionary",
)
async def delete_dictionary(
    glossary_id: str, request: Request, services: AppServices, caller: Caller
) -> Response:
    """Remove the `source_lang` to `target_lang` dictionary (the glossary stays, empty)."""
    data = await fields(request)
    _pair(data.get("source_lang"), data.get("target_lang"))
    stored = await _get(services, caller, glossary_id)
    if not stored.glossary.entries:
        raise NotFoundError(f"glossary {glossary_id!r} has no fr to en dictionary")
    await _save(services, caller, stored, Glossary((), stored.glossary.name))
    return Response(status_code=204)


# The same deletion as v2's.
router.delete(
    "/glossaries/{glossary_id}",
    status_code=204,
    response_class=Response,
    summary="DeepL: delete a glossary",
)(glossaries.delete)
