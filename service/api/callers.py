"""Who a request speaks for: the one place a request becomes a `Tenant`.

The key comes from a header or the query string (`request_key`; the `ApiKeys` middleware has
checked it), else from the body's `api_key`, as LibreTranslate's clients send it (checked here).
Either way, the same key is the same owner.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request

from ..config import Settings
from ..errors import InputError
from ..store.records import check_text
from ..tenants import Tenant, tenant
from .middleware import check_key, request_key


def tenant_of(request: Request, data: Mapping[str, Any] | None = None) -> Tenant:
    """The tenant of `request` (`data`: its fields, when its key may be in the body); a
    missing or unknown key is refused here."""
    settings: Settings = request.app.state.services.settings
    key = request_key(dict(request.scope["headers"]), request.scope.get("query_string", b""))
    if key is None and data is not None and data.get("api_key") not in (None, ""):
        value = data["api_key"]
        if not isinstance(value, str):
            raise InputError("api_key must be a string")
        key = check_text(value, "api_key")
    keys = settings.api_key_list
    check_key(key, keys)
    return tenant(key, keys, settings.admin_key_list)


def download_caller(request: Request) -> Tenant | None:
    """The tenant of a request to a download URL, whose id is its secret: None when it
    carries no key (any owner's file), else its key's tenant, checked."""
    key = request_key(dict(request.scope["headers"]), request.scope.get("query_string", b""))
    return tenant_of(request) if key else None


async def _current(request: Request) -> Tenant:
    return tenant_of(request)


# A dependency: the tenant of a request whose key is in a header or the query string.
Caller = Annotated[Tenant, Depends(_current)]
