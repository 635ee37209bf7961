"""`/v1/feeds`: the English feeds the server's feed poller keeps (`DEPECHE_FEEDS`, or a
`depeche feeds` sharing its store), read from the store, with an `ETag` and a
`Last-Modified` so that readers poll them cheaply (304)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from ... import digest
from ...errors import NotFoundError
from ...formats import media_type as media_type_of
from ...store import Store
from .. import doors
from ..dependencies import AppServices
from ..errors import DEPECHE

router = doors.router(DEPECHE, prefix="/v1", tags=["feeds"])
FEED_TYPES: dict[str, Any] = {"application/rss+xml": {}, "application/atom+xml": {}}


@router.get("/feeds")
async def list_feeds(services: AppServices) -> dict[str, Any]:
    """The feeds polled into the store: where each comes from, how its polls go, and where
    its English is; the digest's URL."""
    store = services.store
    found = await run_in_threadpool(_listed, store)
    return {"feeds": found, "digest": "/v1/feeds/digest"}


def _listed(store: Store) -> list[dict[str, Any]]:
    return [
        {
            "name": feed.name,
            "source": feed.url,
            "format": feed.format,
            "url": f"/v1/feeds/{feed.name}",
            "polled": _iso(feed.polled),
            "updated": _iso(feed.updated),
            "next_poll": _iso(feed.next_at) if feed.next_at else None,
            "failures": feed.failures,
            "last_error": feed.last_error,
            "entries": store.feed_entries.count(feed.name),
        }
        for feed in store.feeds.all()
    ]


@router.get(
    "/feeds/digest",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}},
)
async def feeds_digest(request: Request, services: AppServices) -> Response:
    """One Atom feed of the latest entries of every feed, in English, with their summaries."""
    entries = await run_in_threadpool(services.store.feed_entries.recent, digest.ENTRIES)
    latest = max((entry.seen for entry in entries), default=None)
    return _conditional(request, digest.render(entries), "atom", latest)


@router.get("/feeds/{name}", response_class=Response, responses={200: {"content": FEED_TYPES}})
async def english_feed(name: str, request: Request, services: AppServices) -> Response:
    """The feed `name` in English, in its source's format (RSS or Atom)."""
    feed = await run_in_threadpool(services.store.feeds.get, name)
    if feed is None or feed.english is None or feed.format not in ("rss", "atom"):
        raise NotFoundError(f"no English feed {name!r} (yet)")
    return _conditional(request, feed.english, feed.format, feed.updated)


def _conditional(request: Request, body: str, format: str, modified: float | None) -> Response:
    """`body` with its validators, or 304 when the reader's copy is current."""
    etag = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if modified is not None:
        headers["Last-Modified"] = formatdate(int(modified), usegmt=True)
    matches = request.headers.get("if-none-match")
    since = request.headers.get("if-modified-since")
    if matches is not None:
        tags = {tag.strip().removeprefix("W/") for tag in matches.split(",")}
        if etag in tags or "*" in tags:
            return Response(status_code=304, headers=headers)
    elif since is not None and modified is not None and int(modified) <= _seconds(since):
        return Response(status_code=304, headers=headers)
    media_type = media_type_of("rss" if format == "rss" else "atom")
    return Response(body.encode(), media_type=media_type, headers=headers)


def _seconds(http_date: str) -> float:
    """An HTTP date as seconds since the epoch (-1 when it is none)."""
    try:
        return parsedate_to_datetime(http_date).timestamp()
    except (TypeError, ValueError):
        return -1.0


def _iso(when: float | None) -> str | None:
    if when is None:
        return None
    return datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
