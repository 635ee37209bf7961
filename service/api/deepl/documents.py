"""DeepL's `/v2/document`: a document uploaded, its status, its result, as the official clients
poll them. A document is translated while its upload waits (within the request's deadline),
so the first status poll already says `done`; the file is kept in the store (`Documents`) for
the request that fetches it, on whichever replica."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from ...documents import TranslatedDocument, read_document
from ...tenants import Tenant
from .. import doors
from ..dependencies import AppServices, Caller
from ..doors import door
from ..errors import DEEPL
from ..files import UPLOAD_BODY, file_response, upload
from ..forms import fields, glossary_id
from ..services import Services
from .translate import check_languages

router = doors.router(DEEPL, prefix="/v2", tags=["DeepL"])


async def _stored(
    request: Request, services: Services, caller: Tenant, document_id: str, take: bool
) -> TranslatedDocument:
    """The document a DeepL client asks for with its `document_key` (forgotten if `take`)."""
    data = await fields(request)
    documents = services.documents(caller)
    key = str(data.get("document_key") or "")
    if take:
        return await run_in_threadpool(documents.take, document_id, key)
    return await run_in_threadpool(documents.get, document_id, key, False)


@router.post(
    "/document",
    summary="DeepL: upload a document",
    openapi_extra=UPLOAD_BODY,
    dependencies=door(DEEPL, body="documents", engine=True),
)
async def deepl_upload(request: Request, services: AppServices, caller: Caller) -> dict[str, str]:
    """`file` (.docx, .html, .md, .txt), `target_lang`, `source_lang`, `glossary_id` (or
    `glossary_ids` naming one)."""
    data = await fields(request)
    name, content = await upload(request)
    check_languages(data)
    read = await run_in_threadpool(read_document, services.settings, content, name)
    # Counted before any translation.
    await run_in_threadpool(services.check_quota, caller, read.billed)
    glossary = await run_in_threadpool(services.glossary, caller, glossary_id(data))
    document = await run_in_threadpool(read.translate, services.translator, glossary)
    await run_in_threadpool(services.bill, caller, document.billed)
    document_id, key = await run_in_threadpool(services.documents(caller).put, document)
    return {"document_id": document_id, "document_key": key}


@router.post("/document/{document_id}", summary="DeepL: a document's status")
async def deepl_status(
    document_id: str, request: Request, services: AppServices, caller: Caller
) -> dict[str, Any]:
    """`document_key`; the translation is done by the time the upload answers."""
    document = await _stored(request, services, caller, document_id, take=False)
    return {
        "document_id": document_id,
        "status": "done",
        "seconds_remaining": 0,
        "billed_characters": document.billed,
    }


@router.post(
    "/document/{document_id}/result",
    summary="DeepL: download a translated document",
    response_class=Response,
)
async def deepl_result(
    document_id: str, request: Request, services: AppServices, caller: Caller
) -> Response:
    """`document_key`; the file, once (DeepL's documents are downloaded once)."""
    return file_response(await _stored(request, services, caller, document_id, take=True))
