"""The FastAPI application: routes, one error table, middleware, models loaded at startup."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.routing import Mount, Route

from .. import __version__
from ..config import Settings, get_settings
from . import deepl, errors, health, libretranslate, v1, web
from .background import Background
from .doors import Doors, dialect_of
from .keys import Keys
from .metrics import Metrics
from .middleware import Doorkeeper
from .services import Services


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """The depeche HTTP service. Models load in the lifespan, in a background thread."""
    settings = settings or get_settings()

    def on_batch(role: str, size: int) -> None:
        metrics.batch_sentences.labels(role).observe(size)

    services = services or Services(settings, on_batch=on_batch)
    metrics = Metrics(services.caches, services.depth, services.store.jobs.counts)
    background = Background(services, metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services.start()
        background.start()
        yield
        background.close()
        services.close()

    app = FastAPI(
        title="depeche",
        description="French-to-English translation and summaries for newsrooms.",
        version=__version__,
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.metrics = metrics
    app.state.background = background
    app.state.keys = Keys.of(settings)
    errors.install(app, dialect_of)
    routers = [*v1.ROUTERS, *libretranslate.ROUTERS, *deepl.ROUTERS, health.router]
    for router in routers:
        app.include_router(router)
    web.install(app)
    # Every route the app has, in the order the router tries them: the routers', then the
    # app's own (its page, its OpenAPI schema and docs).
    every_route = [route for router in routers for route in router.routes] + [
        route for route in app.router.routes if isinstance(route, Route | Mount)
    ]

    app.state.doors = Doors(every_route)
    app.add_middleware(
        Doorkeeper,
        doors=app.state.doors,
        keys=app.state.keys,
        metrics=metrics,
        max_bytes=settings.max_body_bytes,
        max_document_bytes=settings.max_document_bytes,
        queue_size=settings.queue_size,
        ready=services.require_ready,
        draining=services.draining.is_set,
        deadline_s=settings.request_timeout_s,
    )
    # Outside the door: a browser's preflight carries no key, and it may read the door's
    # refusals.
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["*"],
        )
    return app
