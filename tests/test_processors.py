"""The remote processor against a real HTTP server that is busy before it answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from depeche.errors import DepecheError
from depeche.formats import Block
from depeche.processors import RemoteProcessor
from depeche.results import ArticleResult, Segment

ANSWER = ArticleResult(
    "The mayor spoke.\n",
    [Block("paragraph", 0, 16, ((0, 16),))],
    [Segment("Le maire a parlé.", "The mayor spoke.", 0, 0, 16)],
)


class Busy(ThreadingHTTPServer):
    """Answers `busy` (status, Retry-After or None) in turn, then the article."""

    def __init__(self, busy: list[tuple[int, str | None]]) -> None:
        self.busy = list(busy)
        self.requests = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(BaseHTTPRequestHandler):
    server: Busy

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.lock:
            self.server.requests += 1
            status, retry_after = self.server.busy.pop(0) if self.server.busy else (200, None)
        body = ANSWER.to_dict() if status == 200 else {"error": {"type": "x", "message": "busy"}}
        data = json.dumps(body).encode()
        self.send_response(status)
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def busy(request: pytest.FixtureRequest) -> Iterator[Busy]:
    server = Busy(request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("busy", "retries", "waits", "answered"),
    [
        ([(429, "3"), (503, "7")], 6, [3.0, 7.0], True),  # as Retry-After says
        ([(429, None), (429, None), (429, None)], 6, [1.0, 2.0, 4.0], True),  # backoff
        ([(429, "500")], 6, [60.0], True),  # never longer than max_wait
        ([(429, "1")] * 3, 2, [1.0, 1.0], False),  # out of retries: this article fails
        ([(400, None)], 6, [], False),  # not busy: no retry
    ],
    indirect=["busy"],
)
def test_a_busy_server_is_asked_again_as_it_says(
    busy: Busy, retries: int, waits: list[float], answered: bool
) -> None:
    slept: list[float] = []
    processor = RemoteProcessor(
        f"http://127.0.0.1:{busy.server_address[1]}", retries=retries, sleep=slept.append
    )
    [result] = processor.process(["Le maire a parlé.\n"], ["text"], summarize=False)
    assert slept == waits
    if answered:
        assert isinstance(result, ArticleResult)
        # Block positions come through the HTTP shape unchanged.
        assert result.to_dict() == ANSWER.to_dict() and result.blocks == ANSWER.blocks
    else:
        assert isinstance(result, DepecheError)
