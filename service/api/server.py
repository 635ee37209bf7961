"""The HTTP server: uvicorn, with a protocol that closes connections too slow to send a request,
and a shutdown that drains.

uvicorn waits for a request's headers and body as long as the client likes, so a few hundred
connections trickling a byte a second hold sockets and memory for ever (slowloris). Here the
headers must arrive within `DEPECHE_READ_TIMEOUT_S` of the connection (or of the previous
response, on a kept-alive connection); the body may take longer, as long as it keeps coming:
each `DEPECHE_READ_TIMEOUT_S` must bring `BODY_PROGRESS` bytes of it (or its end). A slower
connection is closed; time the server itself holds the body back (uvicorn pauses reading
while the app has not taken what came) is not counted. A proxy in front
(container/nginx.conf) does the same with its own timeouts.

On SIGTERM (a rolling update, a scale-down) the service first drains: `/readyz` answers 503
and every response closes its connection, for `DEPECHE_SHUTDOWN_DRAIN_S`, while requests are
still served; load balancers and Kubernetes take the replica out meanwhile. Only then does
uvicorn stop listening and give the requests in flight `DEPECHE_SHUTDOWN_TIMEOUT_S` to finish.
A second signal stops at once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..config import Settings

log = logging.getLogger(__name__)

# The client is still sending its request in these states (h11's view of the other side).
_SENDING = (h11.IDLE, h11.SEND_BODY)
# Bytes of a body that earn it another read timeout: a real upload, however slow its line,
# sends this much in seconds; a client trickling bytes to hold the connection does not.
BODY_PROGRESS = 1024


class ReadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request arrives too slowly."""

    read_timeout: float = 5.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timer: asyncio.TimerHandle | None = None
        self._phase: Any = None
        self._progress = 0  # body bytes since the timer was last set

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._follow()

    def data_received(self, data: bytes) -> None:
        in_body = self.conn.their_state is h11.SEND_BODY
        super().data_received(data)
        if in_body:
            self._progress += len(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _follow(self) -> None:
        """Start a new timer when the client enters a sending phase (headers, then body), and
        again each time the body brings `BODY_PROGRESS` more bytes."""
        phase = self.conn.their_state
        if phase is self._phase:
            if phase is h11.SEND_BODY and self._progress >= BODY_PROGRESS:
                self._arm()
            return
        self._phase = phase
        self._disarm()
        if phase in _SENDING:
            self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._progress = 0
        if not self.transport.is_closing():
            self._read_timer = self.loop.call_later(self.read_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _too_slow(self) -> None:
        self._read_timer = None
        if self.flow.read_paused:  # the app has not taken the body yet: not the client's time
            self._arm()
            return
        if self.conn.their_state in _SENDING and not self.transport.is_closing():
            log.info("closing %s: request too slow (%.0f s)", self.client, self.read_timeout)
            self.transport.close()


def server_config(app: Any, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """uvicorn's configuration for `app` as `settings` say (`depeche serve` and the tests)."""
    protocol = type(
        "ReadTimeoutProtocol", (ReadTimeoutProtocol,), {"read_timeout": settings.read_timeout_s}
    )
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "http": protocol,
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": settings.shutdown_timeout_s,
        "log_level": "info",
        **overrides,
    }
    return uvicorn.Config(app, **options)


class DrainingServer(uvicorn.Server):
    """uvicorn's server, which drains for `drain_s` seconds on the first signal to stop:
    `on_drain` is called at once (the app then answers /readyz 503 and closes connections)."""

    def __init__(
        self, config: uvicorn.Config, drain_s: float, on_drain: Callable[[], None]
    ) -> None:
        super().__init__(config)
        self.drain_s = drain_s
        self.on_drain = on_drain
        self._draining: threading.Timer | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._draining is not None or not self.drain_s:
            super().handle_exit(sig, frame)  # a second signal, or no drain asked for
            return
        log.info("draining for %.0f s before stopping", self.drain_s)
        self.on_drain()
        self._draining = threading.Timer(self.drain_s, super().handle_exit, (sig, frame))
        self._draining.daemon = True
        self._draining.start()
