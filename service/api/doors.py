"""What applies to a route before it runs, declared where the route is defined: its `Door`.

A route's door says whether it needs an API key and where the key is read, how large its body
may be, which API's dialect its errors are written in, and whether it runs an engine (counted
at the door, 503 until the models are ready). Each router gives its routes a door
(`router(DEEPL, ...)`); a route that differs declares its own in its decorator
(`dependencies=door(DEEPL, engine=True)`). The middleware finds the route a request is for, as
the router does, once per request (`Doors`), and reads what it needs from its door.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Depends, params
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Scope

from .errors import DEPECHE, Dialect

# How a route takes its API key, when keys are configured: `header`, in a header
# (`Authorization: Bearer|DeepL-Auth-Key`, `X-API-Key`) or the query string (`api_key`),
# refused at the door without one; `body`, LibreTranslate's way, there or else in the body's
# `api_key` field (a multipart body's is read at the door, a JSON or form body's by the route);
# `optional`, checked when one is given (a download URL is its own secret); `open`, none.
KeyRule = Literal["header", "body", "optional", "open"]
# Which cap a body has: `texts` (DEPECHE_MAX_BODY_BYTES) or `documents`
# (DEPECHE_MAX_DOCUMENT_BYTES, and the form around the file).
BodyCap = Literal["texts", "documents"]


@dataclass(frozen=True)
class Door:
    """What applies to a route at the door (the defaults: depeche's dialect, a key in a header
    or the query string, a body of texts, no engine)."""

    dialect: Dialect = DEPECHE
    key: KeyRule = "header"
    body: BodyCap = "texts"
    engine: bool = False

    def __call__(self) -> None:
        """Never called: a door rides in a route's dependencies only to reach its `Route`,
        which takes it out of them."""


def door(
    dialect: Dialect = DEPECHE,
    *,
    key: KeyRule = "header",
    body: BodyCap = "texts",
    engine: bool = False,
) -> list[params.Depends]:
    """A route's door, as the `dependencies` of its decorator (or of its router)."""
    return [Depends(Door(dialect, key, body, engine))]


class Route(APIRoute):
    """An API route with its door (`door`): the last one among its dependencies (its
    router's, then its own), taken out of them, so that FastAPI never calls it."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        dependencies: Sequence[params.Depends] | None = None,
        **kwargs: Any,
    ) -> None:
        given = list(dependencies or ())
        doors = [d.dependency for d in given if isinstance(d.dependency, Door)]
        self.door = doors[-1] if doors else Door()
        others = [d for d in given if not isinstance(d.dependency, Door)]
        super().__init__(path, endpoint, dependencies=others, **kwargs)


def router(dialect: Dialect, *, key: KeyRule = "header", **kwargs: Any) -> APIRouter:
    """A router for routes of `dialect`: their errors documented in it, and each route's door
    `door(dialect, key=key)` unless it declares its own."""
    return APIRouter(
        route_class=Route,
        responses=dialect.responses,
        dependencies=door(dialect, key=key),
        **kwargs,
    )


class DoorMount(Mount):
    """An app mounted under `path`, with its door."""

    def __init__(self, path: str, app: ASGIApp, *, name: str, door: Door) -> None:
        super().__init__(path, app=app, name=name)
        self.door = door


def door_of(route: BaseRoute) -> Door:
    """The door of `route` (the default for a route that declares none: the app's own
    pages, its OpenAPI schema and docs)."""
    found = getattr(route, "door", None)
    return found if isinstance(found, Door) else Door()


# Where the middleware leaves a request's door and route template in its scope.
DOOR = "depeche.door"
TEMPLATE = "depeche.template"


def door_in(scope: Scope) -> Door:
    """The door the middleware found for the request of `scope`."""
    found = scope.get(DOOR)
    return found if isinstance(found, Door) else Door()


def dialect_of(scope: Scope) -> Dialect:
    """The dialect errors of the request of `scope` are written in."""
    return door_in(scope).dialect


class Doors:
    """The door of a request's route, matched as the router matches it: the first route the
    path and method match, else the first the path matches (a 405), else none (a 404).

    A path no route matches gets the dialect of the routes under its first segment when they
    all have one (`/v2/…`: DeepL's), else depeche's; and needs a key.
    """

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = [(route, door_of(route), _template(route)) for route in routes]
        dialects: dict[str, set[Dialect]] = {}
        for _, found, template in self.routes:
            dialects.setdefault(_first_segment(template), set()).add(found.dialect)
        self.unmatched = {
            segment: Door(dialect=next(iter(found)))
            for segment, found in dialects.items()
            if len(found) == 1
        }

    def find(self, scope: Scope) -> tuple[Door, str]:
        """The door for `scope`, and the template of its route (`other`: none)."""
        partial: tuple[Door, str] | None = None
        for route, found, template in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return found, template
            if match is Match.PARTIAL and partial is None:
                partial = (found, template)
        if partial is not None:
            return partial
        return self.unmatched.get(_first_segment(scope["path"]), Door()), "other"


def _template(route: BaseRoute) -> str:
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "other"


def _first_segment(path: str) -> str:
    return path.lstrip("/").partition("/")[0]
