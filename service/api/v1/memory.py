"""`/v1/memory`: the translations editors approved. They win over the model for their exact
sentence, on every replica of the store, until replaced or deleted.

`/v1/memory/suggestions`: what LibreTranslate's `/suggest` received, waiting for an editor.
A suggestion is never used until approved (`POST …/{id}/approve`, in the approver's name);
`DELETE …/{id}` rejects it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ...approvals import Approval, Suggestion
from ...formats import plain_text
from .. import doors
from ..dependencies import AppServices, Caller
from ..errors import DEPECHE

router = doors.router(DEPECHE, prefix="/v1", tags=["depeche"])


class MemoryEntry(BaseModel):
    source: str = Field(min_length=1, description="The French sentence, as written.")
    translation: str = Field(min_length=1, description="Its approved English.")
    format: Literal["text", "markdown", "html"] = Field(
        "text",
        description="How both are written: markup is taken off (it is projected again "
        "onto the approved English wherever the sentence comes back).",
    )

    def plain(self) -> tuple[str, str]:
        """(source, translation) as the model reads and writes them."""
        if self.format == "text":
            return self.source, self.translation
        return plain_text(self.source, self.format), plain_text(self.translation, self.format)


class MemoryWrite(BaseModel):
    entries: list[MemoryEntry] = Field(min_length=1, max_length=10_000)


class MemoryDelete(BaseModel):
    sources: list[str] = Field(min_length=1, max_length=10_000)


def _entry(approval: Approval | Suggestion) -> dict[str, str]:
    """An approval as the API shows it: the fields `POST /v1/memory` takes, who and when."""
    return {
        "source": approval.source,
        "translation": approval.text,
        "who": approval.who,
        "when": approval.when,
    }


@router.get("/memory", summary="Approved translations")
async def list_memory(services: AppServices) -> dict[str, Any]:
    """Every approved translation, with who approved it and when."""
    found = await run_in_threadpool(services.translator.approved.all)
    return {"entries": [_entry(a) for a in found]}


@router.post("/memory", summary="Approve translations")
async def write_memory(body: MemoryWrite, services: AppServices, caller: Caller) -> dict[str, Any]:
    """Store approved translations (a later one replaces an earlier one)."""
    pairs = [entry.plain() for entry in body.entries]
    done = await run_in_threadpool(services.translator.approved.approve, pairs, caller.name)
    return {"entries": [_entry(a) for a in done]}


@router.delete("/memory", summary="Forget approved translations")
async def delete_memory(body: MemoryDelete, services: AppServices) -> dict[str, int]:
    """Remove the approvals of `sources`: the model translates them again."""
    removed = await run_in_threadpool(services.translator.approved.delete, body.sources)
    return {"deleted": removed}


@router.get("/memory/suggestions", summary="Suggestions waiting for an editor")
async def list_suggestions(services: AppServices) -> dict[str, Any]:
    """Every pending suggestion (`id`, `source`, `translation`, `who`, `when`), oldest first.
    None is used until approved."""
    found = await run_in_threadpool(services.translator.approved.suggestions)
    return {"suggestions": [{"id": s.id, **_entry(s)} for s in found]}


@router.post("/memory/suggestions/{suggestion_id}/approve", summary="Approve a suggestion")
async def approve_suggestion(
    suggestion_id: str, services: AppServices, caller: Caller
) -> dict[str, Any]:
    """Approve a pending suggestion, in the name of the request's key: from now on it is what
    its sentence translates to. Answers the approved translations."""
    done = await run_in_threadpool(services.translator.approved.accept, suggestion_id, caller.name)
    return {"entries": [_entry(a) for a in done]}


@router.delete("/memory/suggestions/{suggestion_id}", summary="Reject a suggestion")
async def reject_suggestion(suggestion_id: str, services: AppServices) -> dict[str, bool]:
    """Forget a pending suggestion."""
    await run_in_threadpool(services.translator.approved.reject, suggestion_id)
    return {"rejected": True}
