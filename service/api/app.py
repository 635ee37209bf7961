"""The FastAPI application: routes, one error table, middleware, models loaded at startup."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import Scope

from ..config import Settings, get_settings
from . import compat, errors, health, routes, stream, web
from .metrics import Metrics
from .middleware import Admission, ApiKeys, BodyLimit, Deadline, RequestMetrics
from .services import Services


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """The depeche HTTP service. Models load in the lifespan, in a background thread."""
    settings = settings or get_settings()
    models = services or Services(settings)
    metrics = Metrics(models.caches, models.depth)

    def on_batch(engine: str, size: int) -> None:
        metrics.batch_sentences.labels(engine).observe(size)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loader = threading.Thread(
            target=models.load, args=(on_batch,), name="depeche-load", daemon=True
        )
        loader.start()
        yield
        models.close()

    app = FastAPI(
        title="depeche",
        description="French-to-English translation and summaries for newsrooms.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.services = models
    app.state.metrics = metrics
    errors.install(app)
    app.include_router(routes.router)
    app.include_router(stream.router)
    web.install(app)
    app.include_router(compat.router)
    app.include_router(health.router)

    known = {route.path for route in app.routes if hasattr(route, "path")}

    def route_of(scope: Scope) -> str:
        path = scope.get("path", "")
        return path if path in known else "other"  # bounded label values

    # Added last runs first: the body limit sees a request before anything reads it.
    app.add_middleware(Deadline, seconds=settings.request_timeout_s)
    app.add_middleware(Admission, limit=settings.queue_size)
    app.add_middleware(RequestMetrics, metrics=metrics, route_of=route_of)
    app.add_middleware(ApiKeys, keys=settings.api_key_list)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
