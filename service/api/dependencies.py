"""What routes take from the app: its services (models, store, settings), and who a request
speaks for, the one place a request becomes a `Tenant`. Readiness is the door's: a route whose
door says it runs an engine is answered 503 there until the models are loaded.

The tenant's key is the one the middleware read at the door, from a header, the query string or a
multipart body (`keys.key_in`; checked there when the route's door asks for it), else the
`api_key` field of a JSON or form body, as LibreTranslate's clients send it (`keys.body_key`,
checked here).
Either way, the same key is the same owner.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request

from ..config import Settings
from ..tenants import Tenant
from .keys import Keys, body_key, key_in
from .services import Services


async def services(request: Request) -> Services:
    """The app's services (a dependency; `async`, as every dependency here, so that FastAPI
    calls it on the event loop rather than in a thread of its own)."""
    found: Services = request.app.state.services
    return found


async def settings(request: Request) -> Settings:
    """The app's settings (a dependency)."""
    found: Settings = request.app.state.services.settings
    return found


AppServices = Annotated[Services, Depends(services)]
AppSettings = Annotated[Settings, Depends(settings)]


def _keys(request: Request) -> Keys:
    found: Keys = request.app.state.keys
    return found


def tenant_of(request: Request, data: Mapping[str, Any] | None = None) -> Tenant:
    """The tenant of `request` (`data`: its fields, when its key may be in the body); a
    missing or unknown key is refused here."""
    key = key_in(request.scope)
    if key is None and data is not None:
        key = body_key(data)
    return _keys(request).tenant(key)


def download_caller(request: Request) -> Tenant | None:
    """The tenant of a request to a download URL, whose id is its secret: None when it
    carries no key (any owner's file), else its key's tenant, checked."""
    return tenant_of(request) if key_in(request.scope) else None


async def _current(request: Request) -> Tenant:
    return tenant_of(request)


# A dependency: the tenant of a request whose key is in a header or the query string.
Caller = Annotated[Tenant, Depends(_current)]
