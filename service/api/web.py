"""The editor's page: static HTML, CSS and JavaScript served by the service itself (no build
step, no CDN), so it works on an air-gapped newsroom network."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

WEB = Path(__file__).resolve().parent.parent / "web"


def install(app: FastAPI) -> None:
    """Serve `/` and `/static/*`."""
    app.mount("/static", StaticFiles(directory=WEB), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html")
