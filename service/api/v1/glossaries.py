"""`/v1/glossaries`: the stored glossaries of a key, with their entries, as the editor's page
offers them (DeepL's routes make and manage them)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from .. import doors
from ..dependencies import AppServices, Caller
from ..errors import DEPECHE

router = doors.router(DEPECHE, prefix="/v1", tags=["depeche"])


@router.get("/glossaries", summary="Glossaries")
async def glossaries(services: AppServices, caller: Caller) -> dict[str, Any]:
    """The stored glossaries of the request's key (what the editor's page offers), with
    their entries."""
    found = await run_in_threadpool(services.glossaries(caller).list)
    return {"glossaries": [{**g.info(), "entries": dict(g.glossary.entries)} for g in found]}
