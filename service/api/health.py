"""Liveness, readiness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from ..errors import NotReadyError
from .dependencies import AppServices
from .doors import Route, door

router = APIRouter(tags=["operations"], route_class=Route)
# Open whatever the keys: what probes and load balancers call.
OPEN = door(key="open")


@router.get("/healthz", dependencies=OPEN)
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", dependencies=OPEN)
async def readyz(services: AppServices) -> dict[str, str]:
    """200 once the models are loaded and warmed; 503 until then (or if loading failed), and
    from the moment the process is asked to stop."""
    services.require_ready()
    if services.draining.is_set():
        raise NotReadyError("shutting down")
    return {"status": "ready"}


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> Response:
    """Prometheus metrics (the jobs' counts are read from the store)."""
    registry = request.app.state.metrics.registry
    body = await run_in_threadpool(generate_latest, registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
