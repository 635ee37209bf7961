"""The editor's page: static HTML, CSS and JavaScript served by the service itself (no build
step, no CDN), so it works on an air-gapped newsroom network (it renders articles with
`/v1/render`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from .doors import Door, DoorMount

WEB = Path(__file__).resolve().parent.parent / "web"
# Only the page's own script and style sheet run or apply: no inline script or style, no
# eval, no plugin, no frame, nothing loaded from elsewhere (an article's images included).
# The page's links carry no address (it may hold the API key).
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def install(app: FastAPI) -> None:
    """Serve `/` and `/static/*`."""
    # The page loads its script and style sheet without its key (it sends it on API calls).
    static = DoorMount("/static", StaticFiles(directory=WEB), name="static", door=Door(key="open"))
    app.router.routes.append(static)

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html", headers=PAGE_HEADERS)
