"""What LibreTranslate's requests carry: their fields (from the query string, JSON or a form),
read once their key is good; the fields it requires; its language pair."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from ...errors import InputError
from ...tenants import Tenant
from ..dependencies import tenant_of
from ..forms import fields
from ..languages import check_pair


async def keyed_fields(request: Request) -> tuple[dict[str, Any], Tenant]:
    """The request's fields and its tenant, once its API key (in a header, the query string or
    the body) is good."""
    data = await fields(request)
    return data, tenant_of(request, data)


def required(data: dict[str, Any], name: str) -> Any:
    """A field LibreTranslate requires: missing or empty is its 400."""
    value = data.get(name)
    if value in (None, "", []):
        raise InputError(f"Invalid request: missing {name} parameter")
    return value


def source_of(
    data: dict[str, Any], *, auto: bool = True, serves: str = "depeche translates"
) -> str:
    """The request's `source` (fr, or auto where `auto`), once it and `target` (en), both
    required, are a pair depeche translates."""
    source = str(required(data, "source")).lower()
    target = str(required(data, "target")).lower()
    check_pair(source, target, auto=auto, serves=serves)
    return source
