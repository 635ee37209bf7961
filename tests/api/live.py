"""A real uvicorn server in a thread, on a free port of 127.0.0.1."""

from __future__ import annotations

import threading
import time

import httpx
import uvicorn
from depeche.api import create_app
from depeche.api.server import server_config
from depeche.config import Settings

from tests.redis_server import free_port


class LiveServer:
    """`with LiveServer(settings) as url:` serves depeche until the block ends."""

    def __init__(self, settings: Settings, wait_ready: bool = True) -> None:
        self.settings = settings
        self.wait_ready = wait_ready
        self.port = free_port()
        self.app = create_app(settings)
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
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status = httpx.get(f"{self.url}/readyz", timeout=2).status_code
                if status == 200 or (status == 503 and not self.wait_ready):
                    return self.url
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not become ready")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
