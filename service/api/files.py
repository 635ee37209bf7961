"""Files over HTTP, for any dialect's document routes: an upload read from a multipart form,
and a translated file answered as an attachment."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote

from fastapi import Request, Response

from ..documents import TranslatedDocument
from ..errors import InputError
from ..pipeline import check_encodable

# The OpenAPI of a body that is an upload (`file`).
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


async def upload(request: Request, name: str = "file") -> tuple[str, bytes]:
    """The file of a multipart form's field `name`: (file name, bytes). The name is the
    last part of the path a client sent (`../x/a.md` is `a.md`), never a path."""
    form = await request.form()
    found = form.get(name)
    if found is None or isinstance(found, str):
        raise InputError(f"a file is required in the multipart field {name!r}")
    filename = PurePosixPath((found.filename or "").replace("\\", "/")).name
    check_encodable([filename])
    return filename, await found.read()


def file_response(document: TranslatedDocument) -> Response:
    """`document` as a download, named as it was uploaded."""
    disposition = f"attachment; filename*=UTF-8''{quote(document.name)}"
    return Response(
        document.data,
        media_type=document.media_type,
        headers={"Content-Disposition": disposition},
    )
