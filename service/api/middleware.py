"""ASGI middleware: the route's door found, body size limit (before parsing), API keys,
metrics, unexpected errors, readiness and admission, deadline. Each reads what applies to the
request from its route's door (`doors`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import deadline
from ..errors import (
    DepecheError,
    InvalidApiKeyError,
    MissingApiKeyError,
    PayloadTooLargeError,
    QueueFullError,
)
from .doors import DOOR, TEMPLATE, Doors, dialect_of, door_in
from .errors import error_response
from .keys import KEY, Keys, multipart_boundary, read_body_key, request_key
from .metrics import Metrics

# The status counted for a request whose client went away before any answer (nginx's).
CLIENT_GONE = 499


async def _send_error(
    send: Send, exc: Exception, scope: Scope, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    response = error_response(exc, dialect_of(scope))
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": [*response.raw_headers, *headers],
        }
    )
    await send({"type": "http.response.body", "body": response.body})


class FindDoor:
    """Find the route of each request, once: its door and template, for the layers inside."""

    def __init__(self, app: ASGIApp, doors: Doors) -> None:
        self.app = app
        self.doors = doors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[DOOR], scope[TEMPLATE] = self.doors.find(scope)
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuse bodies over `max_bytes` with 413 before the app reads them: by Content-Length,
    and while streaming for chunked bodies (uvicorn itself has no limit)."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_document_bytes: int = 0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_document_bytes = max_document_bytes + 65536

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        limit = self.max_document_bytes if door_in(scope).body == "documents" else self.max_bytes
        too_large = PayloadTooLargeError(f"request body over {limit} bytes")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _send_error(send, too_large, scope)
            return
        if length is not None:
            await self.app(scope, receive, send)
            return
        # No Content-Length (chunked): read up to the limit here, then replay it to the app,
        # so that the refusal comes before any parsing.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            if received > limit:
                await _send_error(send, too_large, scope)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class ApiKeys:
    """Read each request's key (`keys.KEY` in its scope) and check it as its route's door
    says, when keys are configured. A LibreTranslate upload without one in its headers or
    query has its body read for its `api_key` field, up to `body_bytes`, and is refused before
    the app parses it."""

    def __init__(self, app: ASGIApp, keys: Keys, body_bytes: int = 1 << 20) -> None:
        self.app = app
        self.keys = keys
        self.body_bytes = body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = door_in(scope).key if scope["type"] == "http" else "open"
        if rule == "open":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = request_key(headers, scope.get("query_string", b""))
        # Without a key: refused here, unless the route may find it in its body or needs none.
        check = key is not None or rule == "header"
        if key is None and rule == "body" and self.keys.required:
            boundary = multipart_boundary(headers.get(b"content-type", b""))
            if boundary is not None:  # else a small JSON or form body: the route reads it
                key, read = await read_body_key(boundary, receive, self.body_bytes)
                receive = _replay(read, receive)
                check = True
        scope[KEY] = key
        if check:
            try:
                self.keys.check(key)
            except (MissingApiKeyError, InvalidApiKeyError) as exc:
                await _send_error(send, exc, scope)
                return
        await self.app(scope, receive, send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """`receive`, giving `messages` (already read from it) first."""
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


class CloseWhenDraining:
    """While the process drains before stopping, every response closes its connection, so
    that a proxy's kept-alive connections are gone before the port stops listening."""

    def __init__(self, app: ASGIApp, draining: Callable[[], bool]) -> None:
        self.app = app
        self.draining = draining

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start" and self.draining():
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"connection"]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing)


class RequestMetrics:
    """Count requests and time them, by route template and status (499: the client went away
    before any answer)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = CLIENT_GONE

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        except BaseException:
            if status == CLIENT_GONE:
                status = 500
            raise
        finally:
            # The route's path template, or `other`: label values stay few whatever paths
            # clients ask for.
            route = scope.get(TEMPLATE, "other")
            self.metrics.requests.labels(route, str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - start)


class Unexpected:
    """An error nothing expected is answered 500 in the route's dialect, logged once, and
    closes its connection (what the request left unread or half done stays with it); the
    next request, on a new connection, is served as usual. Without this, the error reaches
    uvicorn, which drops the kept-alive connection under the client's next request.

    A client that goes away in the middle of its body is no error: nobody is answered, and
    the request is counted as the client's (499).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except ClientDisconnect:
            return
        except Exception as exc:
            if started:  # half an answer is out: only closing the connection can say so
                raise
            await _send_error(send, exc, scope, [(b"connection", b"close")])


class Admission:
    """For a route whose door says it runs an engine: 503 until the models are ready
    (`ready` raises), then hold at most `limit` requests at once (`DEPECHE_QUEUE_SIZE`,
    counting those waiting for the engine and those in it); refuse the others at the door
    (429, Retry-After), before their body is read, parsed and split into sentences.

    The count is taken here, at the door, not from the engine's queue: a burst of clients
    arriving together finds the queue empty, because requests only reach it after their
    parsing. Every one of them would be let in, to be refused by the queue only once its
    parsing was done, while the others' parsing held the GIL: 150 ms per refusal for a burst
    of 64 on one core, against a few ms here. Under overload, refusals must cost next to
    nothing, or they take the CPU the engine needs.
    """

    def __init__(self, app: ASGIApp, limit: int, ready: Callable[[], None]) -> None:
        self.app = app
        self.limit = limit
        self.ready = ready
        self.held = 0  # only the event loop's thread counts: no lock needed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (scope["type"] == "http" and door_in(scope).engine):
            await self.app(scope, receive, send)
            return
        try:
            self.ready()
            if self.held >= self.limit:
                raise QueueFullError("too many requests are waiting for the engine")
        except DepecheError as exc:
            await _send_error(send, exc, scope)
            return
        self.held += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.held -= 1


class Deadline:
    """Give every request its deadline (`DEPECHE_REQUEST_TIMEOUT_S`), cancelled if the client
    disconnects: the data path stops its engine work once either happens, and a request past
    its deadline is answered 503 `deadline_exceeded`.

    Once the app has read the whole body, this middleware is the one reader of `receive`: a
    watcher waits there for the disconnect (uvicorn also reports one when the response is done)
    and the app's own later calls share the watcher's answer.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with deadline.limit(self.seconds) as limit:
            watcher: asyncio.Task[Message] | None = None

            async def watch() -> Message:
                message = await receive()
                if message["type"] == "http.disconnect":
                    limit.cancelled.set()
                return message

            async def receive_once_read() -> Message:
                nonlocal watcher
                if watcher is not None:
                    return await asyncio.shield(watcher)
                message = await receive()
                if message["type"] == "http.disconnect":
                    limit.cancelled.set()
                elif not message.get("more_body", False):
                    watcher = asyncio.create_task(watch())
                return message

            try:
                await self.app(scope, receive_once_read, send)
            finally:
                if watcher is not None:
                    watcher.cancel()
