"""A real uvicorn server in a thread, on a free port of 127.0.0.1."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import uvicorn
from depeche.api import create_app
from depeche.api.server import server_config
from depeche.api.services import Services
from depeche.config import Settings

from tests.redis_server import free_port
from tests.sync import wait_for


class LiveServer:
    """`with LiveServer(settings) as url:` serves depeche until the block ends."""

    def __init__(
        self, settings: Settings, wait_ready: bool = True, services: Services | None = None
    ) -> None:
        self.settings = settings
        self.wait_ready = wait_ready
        self.port = free_port()
        self.app = create_app(settings, services)
        config = server_config(
            self.app, settings, host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> str:
        self.thread.start()
        wait_for(self._answering)
        return self.url

    def _answering(self) -> bool:
        """Ready, or (without `wait_ready`) at least answering."""
        try:
            status = httpx.get(f"{self.url}/readyz", timeout=2).status_code
        except httpx.TransportError:
            return False
        return status == 200 or (status == 503 and not self.wait_ready)

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    @property
    def services(self) -> Services:
        """The server's models (it runs in this process)."""
        found: Services = self.app.state.services
        return found


class HeldEngine:
    """Wraps the translation engine of `services`: each engine batch waits inside the engine
    until the test calls `release`, so that a test knows, without a clock, that a request is
    in the engine and stays there."""

    def __init__(self, services: Services) -> None:
        self.engine = services.translator.runtime.engine
        self.generate = self.engine.generate
        self.gate = threading.Event()
        self._entered = threading.Semaphore(0)
        self.engine.generate = self  # type: ignore[method-assign]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._entered.release()
        assert self.gate.wait(120), "the test never released the engine"
        return self.generate(*args, **kwargs)

    def wait_entered(self) -> None:
        """Until an engine batch has started."""
        assert self._entered.acquire(timeout=120), "nothing reached the engine"

    def release(self) -> None:
        """Let every batch through, now and from now on."""
        self.gate.set()

    def close(self) -> None:
        self.release()
        self.engine.generate = self.generate  # type: ignore[method-assign]
