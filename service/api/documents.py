"""Whole documents through the drop-in APIs: DeepL's `/v2/document` (upload, status,
result, as the official clients poll them) and LibreTranslate's `/translate_file` with the
download URL it answers. A document is translated while its upload waits (within the
request's deadline), so the first status poll already says `done`; the file is kept in the
store (`Documents`) for the request that fetches it, on whichever replica."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from ..documents import TranslatedDocument, read_document
from ..tenants import Tenant
from . import doors
from .deepl import bill, check_languages, check_quota, glossary_id
from .dependencies import AppServices, Caller, download_caller, tenant_of
from .doors import door
from .errors import DEEPL, LIBRETRANSLATE
from .files import upload
from .forms import fields
from .libretranslate import check_pair, keyed_fields
from .services import Services

deepl_router = doors.router(DEEPL, prefix="/v2", tags=["DeepL"])
router = doors.router(LIBRETRANSLATE, key="body", tags=["LibreTranslate"])

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            }
        },
    }
}


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


def _file_response(document: TranslatedDocument) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(document.name)}"
    return Response(
        document.data,
        media_type=document.media_type,
        headers={"Content-Disposition": disposition},
    )


@deepl_router.post(
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
    await check_quota(services, caller, read.billed)  # counted before any translation
    glossary = await run_in_threadpool(services.glossary, caller, glossary_id(data))
    document = await run_in_threadpool(read.translate, services.translator, glossary)
    await bill(services, caller, document.billed)
    document_id, key = await run_in_threadpool(services.documents(caller).put, document)
    return {"document_id": document_id, "document_key": key}


@deepl_router.post("/document/{document_id}", summary="DeepL: a document's status")
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


@deepl_router.post(
    "/document/{document_id}/result",
    summary="DeepL: download a translated document",
    response_class=Response,
)
async def deepl_result(
    document_id: str, request: Request, services: AppServices, caller: Caller
) -> Response:
    """`document_key`; the file, once (DeepL's documents are downloaded once)."""
    return _file_response(await _stored(request, services, caller, document_id, take=True))


@router.post(
    "/translate_file",
    summary="LibreTranslate: translate a file",
    openapi_extra=UPLOAD_BODY,
    dependencies=door(LIBRETRANSLATE, key="body", body="documents", engine=True),
)
async def translate_file(request: Request, services: AppServices) -> dict[str, str]:
    """`file`, `source` fr or auto, `target` en, `api_key`. Answers `translatedFileUrl`."""
    data = await keyed_fields(request, services)
    name, content = await upload(request)
    check_pair(data)
    owner = tenant_of(request, data)
    read = await run_in_threadpool(read_document, services.settings, content, name)
    document = await run_in_threadpool(read.translate, services.translator)
    document_id, _ = await run_in_threadpool(services.documents(owner).put, document)
    url = str(request.url_for("download_file", document_id=document_id, name=quote(document.name)))
    return {"translatedFileUrl": url}


@router.get(
    "/download_file/{document_id}/{name}",
    summary="LibreTranslate: download a translated file",
    response_class=Response,
    dependencies=door(LIBRETRANSLATE, key="optional"),
)
async def download_file(
    document_id: str, name: str, request: Request, services: AppServices
) -> Response:
    """The translated file (its URL is its secret; it is kept an hour). With a key, only that
    key's files are found."""
    documents = services.documents(download_caller(request))
    document = await run_in_threadpool(documents.get, document_id, None)
    return _file_response(document)
