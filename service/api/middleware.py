"""The door: one ASGI layer in front of every route, which finds the request's route once and
does what its door (`doors.Door`) says, in order:

1. the body's cap: 413 before anything reads the body (by Content-Length, or while a chunked
   body streams: uvicorn itself has no limit);
2. the API key, read once from the headers or the query string (or a LibreTranslate upload's
   multipart body, before the form is parsed) and checked when keys are configured;
3. for a route that runs an engine, readiness (503 until the models are loaded) and admission
   (429 past `DEPECHE_QUEUE_SIZE`), before the body is read;
4. the request's deadline, cancelled when the client goes away.

Around all of it: each request counted and timed by route and status; an error nothing
expected answered 500 in the route's dialect, closing its connection; and while the process
drains, every response closing its connection.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import deadline
from ..errors import DepecheError, PayloadTooLargeError, QueueFullError
from .doors import DOOR, TEMPLATE, Door, Doors
from .errors import error_response
from .keys import KEY, Keys, multipart_boundary, read_body_key, request_key
from .metrics import Metrics

# The status counted for a request whose client went away before any answer (nginx's).
CLIENT_GONE = 499
# What a document's form may hold besides the document itself.
FORM_BYTES = 65536
CLOSE = (b"connection", b"close")


class Doorkeeper:
    """The door of the app (see the module's docstring).

    Admission counts at the door, not from the engine's queue: a burst of clients arriving
    together finds the queue empty, because requests only reach it after their parsing. Every
    one of them would be let in, to be refused by the queue only once its parsing was done,
    while the others' parsing held the GIL: 150 ms per refusal for a burst of 64 on one core,
    against a few ms here. Under overload, refusals must cost next to nothing, or they take
    the CPU the engine needs.

    Once the app has read the whole body, the deadline's watcher is the one reader of
    `receive`: it waits there for the disconnect (uvicorn also reports one when the response
    is done) and the app's own later calls share its answer.

    Without the 500 here, an unexpected error would reach uvicorn, which drops the kept-alive
    connection under the client's next request; a client that goes away in the middle of its
    body is no error: nobody is answered, and the request is counted as the client's (499).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        doors: Doors,
        keys: Keys,
        metrics: Metrics,
        max_bytes: int,
        max_document_bytes: int,
        queue_size: int,
        ready: Callable[[], None],
        draining: Callable[[], bool],
        deadline_s: float,
    ) -> None:
        self.app = app
        self.doors = doors
        self.keys = keys
        self.metrics = metrics
        self.caps = {"texts": max_bytes, "documents": max_document_bytes + FORM_BYTES}
        self.key_bytes = max_bytes  # how far a body is read for its key
        self.queue_size = queue_size
        self.ready = ready
        self.draining = draining
        self.deadline_s = deadline_s
        self.held = 0  # engine requests in: only the event loop's thread counts, no lock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        door, template = self.doors.find(scope)
        scope[DOOR] = door
        scope[TEMPLATE] = template
        status = CLIENT_GONE
        close = False

        async def respond(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if close or self.draining():
                    kept = [(k, v) for k, v in message.get("headers", []) if k != b"connection"]
                    message = {**message, "headers": [*kept, CLOSE]}
            await send(message)

        try:
            await self._enter(scope, receive, respond, door)
        except ClientDisconnect:
            pass
        except Exception as exc:
            if status != CLIENT_GONE:  # half an answer is out: only closing can say so
                raise
            close = True  # what the request left unread or half done stays with it
            await _answer(respond, error_response(exc, door.dialect))
        except BaseException:
            if status == CLIENT_GONE:
                status = 500
            raise
        finally:
            # Labelled by the route's path template, or `other`: label values stay few
            # whatever paths clients ask for.
            self.metrics.requests.labels(template, str(status)).inc()
            self.metrics.latency.labels(template).observe(time.perf_counter() - start)

    async def _enter(self, scope: Scope, receive: Receive, send: Send, door: Door) -> None:
        headers = dict(scope["headers"])
        try:
            read = await self._capped(headers, receive, self.caps[door.body])
            if read is None:
                return  # the client went away
            receive = await self._keyed(scope, headers, read, door)
            if door.engine:
                self.ready()
                if self.held >= self.queue_size:
                    raise QueueFullError("too many requests are waiting for the engine")
        except DepecheError as refused:
            await _answer(send, error_response(refused, door.dialect))
            return
        if not door.engine:
            await self._within_deadline(scope, receive, send)
            return
        self.held += 1
        try:
            await self._within_deadline(scope, receive, send)
        finally:
            self.held -= 1

    async def _capped(
        self, headers: dict[bytes, bytes], receive: Receive, limit: int
    ) -> Receive | None:
        """`receive`, once the body is known to be within `limit` bytes: by Content-Length,
        else read here up to the limit and given to the app again (None: the client left)."""
        too_large = PayloadTooLargeError(f"request body over {limit} bytes")
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > limit:
                raise too_large
            return receive
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            if received > limit:
                raise too_large
            if not message.get("more_body", False):
                break
        return _replay([{"type": "http.request", "body": b"".join(chunks)}], receive)

    async def _keyed(
        self, scope: Scope, headers: dict[bytes, bytes], receive: Receive, door: Door
    ) -> Receive:
        """Leave the request's key in its scope (`keys.KEY`), checked as its door says;
        `receive`, with what was read of the body for the key given to the app again."""
        if door.key == "open":
            return receive
        key = request_key(headers, scope.get("query_string", b""))
        # Without one: refused here, unless the route may find it in its body or needs none.
        check = key is not None or door.key == "header"
        if key is None and door.key == "body" and self.keys.required:
            boundary = multipart_boundary(headers.get(b"content-type", b""))
            if boundary is not None:  # else a small JSON or form body: the route reads it
                key, read = await read_body_key(boundary, receive, self.key_bytes)
                receive = _replay(read, receive)
                check = True
        scope[KEY] = key
        if check:
            self.keys.check(key)
        return receive

    async def _within_deadline(self, scope: Scope, receive: Receive, send: Send) -> None:
        with deadline.limit(self.deadline_s) as limit:
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


def _replay(messages: Sequence[Message], receive: Receive) -> Receive:
    """`receive`, giving `messages` (already read from it) first."""
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


async def _answer(send: Send, response: Response) -> None:
    """Send `response` (rendered whole) through `send`."""
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": response.raw_headers,
        }
    )
    await send({"type": "http.response.body", "body": response.body})
