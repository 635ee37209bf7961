"""LibreTranslate's `/translate_file`, and the download URL it answers. The file is translated
while the upload waits (within the request's deadline) and kept in the store (`Documents`) an
hour, for the request that fetches it, on whichever replica."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from ...documents import read_document
from .. import doors
from ..dependencies import AppServices, download_caller
from ..doors import door
from ..errors import LIBRETRANSLATE
from ..files import UPLOAD_BODY, file_response, upload
from .fields import keyed_fields, source_of

router = doors.router(LIBRETRANSLATE, key="body", tags=["LibreTranslate"])


@router.post(
    "/translate_file",
    summary="LibreTranslate: translate a file",
    openapi_extra=UPLOAD_BODY,
    dependencies=door(LIBRETRANSLATE, key="body", body="documents", engine=True),
)
async def translate_file(request: Request, services: AppServices) -> dict[str, str]:
    """`file`, `source` fr or auto, `target` en, `api_key`. Answers `translatedFileUrl`."""
    data, owner = await keyed_fields(request)
    name, content = await upload(request)
    source_of(data)
    read = await run_in_threadpool(read_document, services.settings, content, name)
    document = await run_in_threadpool(read.translate, services.translator)
    document_id, _ = await run_in_threadpool(services.documents(owner).put, document)
    url = str(request.url_for("download_file", document_id=document_id, name=quote(document.name)))
    return {"translatedFileUrl": url}


# The URL is the file's secret, as LibreTranslate's: a key, when given, must be good.
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
    return file_response(document)
