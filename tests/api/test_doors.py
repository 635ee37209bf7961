"""Routes declare their door where they are defined; a request finds its route's once."""

from __future__ import annotations

import pytest
from depeche.api import doors
from depeche.api.doors import Door, Doors, door
from depeche.api.errors import DEEPL, DEPECHE, LIBRETRANSLATE
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute
from starlette.routing import Route as StarletteRoute
from starlette.types import Scope


def _app() -> tuple[FastAPI, list[BaseRoute], Doors]:
    deepl = doors.router(DEEPL, prefix="/v2")
    libre = doors.router(LIBRETRANSLATE, key="body")

    @deepl.post("/translate", dependencies=door(DEEPL, engine=True))
    async def translate() -> None: ...

    @deepl.get("/usage")
    async def usage() -> None: ...

    @libre.get("/languages", dependencies=door(LIBRETRANSLATE, key="open"))
    async def languages() -> None: ...

    @libre.post("/translate_file", dependencies=door(LIBRETRANSLATE, body="documents"))
    async def translate_file() -> None: ...

    app = FastAPI()
    for router in (deepl, libre):
        app.include_router(router)
    routes = [*deepl.routes, *libre.routes]
    routes += [r for r in app.router.routes if isinstance(r, StarletteRoute)]
    return app, routes, Doors(routes)


def _scope(method: str, path: str) -> Scope:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


@pytest.mark.parametrize(
    ("method", "path", "found", "template"),
    [
        ("POST", "/v2/translate", Door(DEEPL, engine=True), "/v2/translate"),
        ("GET", "/v2/usage", Door(DEEPL), "/v2/usage"),  # the router's door
        ("GET", "/languages", Door(LIBRETRANSLATE, key="open"), "/languages"),
        ("POST", "/translate_file", Door(LIBRETRANSLATE, body="documents"), "/translate_file"),
        # The path but not the method: the route's door (its 405 in its dialect).
        ("GET", "/v2/translate", Door(DEEPL, engine=True), "/v2/translate"),
        # No route: the dialect of the routes under the first segment, a key needed.
        ("GET", "/v2/nowhere", Door(DEEPL), "other"),
        ("GET", "/translate_file/x", Door(LIBRETRANSLATE), "other"),
        ("GET", "/nowhere", Door(DEPECHE), "other"),
        # FastAPI's own pages declare nothing: the default door.
        ("GET", "/openapi.json", Door(), "/openapi.json"),
    ],
)
def test_a_request_finds_its_routes_door(
    method: str, path: str, found: Door, template: str
) -> None:
    _, _, table = _app()
    assert table.find(_scope(method, path)) == (found, template)


def test_a_door_is_carried_never_called() -> None:
    _, routes, _ = _app()
    api_routes = [route for route in routes if isinstance(route, APIRoute)]
    assert len(api_routes) == 4
    for route in api_routes:
        assert isinstance(route, doors.Route) and isinstance(route.door, Door)
        # Not among the dependencies FastAPI resolves for each request.
        assert not [d for d in route.dependencies if isinstance(d.dependency, Door)]
        assert not [d for d in route.dependant.dependencies if isinstance(d.call, Door)]


def test_a_routers_errors_are_documented_in_its_dialect() -> None:
    app, _, _ = _app()
    operation = app.openapi()["paths"]["/v2/usage"]["get"]
    schema = operation["responses"]["403"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/DeepLErrorBody"}
