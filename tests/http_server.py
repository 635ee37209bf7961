"""A real HTTP server in a thread, on a free port of 127.0.0.1, answering as the test says."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    """What the server was sent."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    """What the server answers. `chunks` are sent one at a time (chunked), `between` called
    after each; `hold` makes it wait for an event before answering at all."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    chunks: list[bytes] | None = None
    between: Callable[[int], None] | None = None
    hold: threading.Event | None = None


class Server:
    """`with Server(answer) as server:` serves until the block ends. `answer` is called with
    each request and says what to answer; `requests` holds them all."""

    def __init__(self, answer: Callable[[Request], Answer]) -> None:
        self.answer = answer
        self.requests: list[Request] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                outer.requests.append(request)
                answer = outer.answer(request)
                if answer.hold is not None:
                    answer.hold.wait(120)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.chunks is None:
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    # A client that stops reading past its size limit hangs up: what the test
                    # checks, not an error of the server's.
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(answer.body)
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for index, chunk in enumerate(answer.chunks):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
                    if answer.between is not None:
                        answer.between(index)
                self.wfile.write(b"0\r\n\r\n")

            do_GET = do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def script(*answers: Answer) -> Callable[[Request], Answer]:
    """Answers in turn, the last one again and again."""
    remaining = list(answers)

    def answer(request: Request) -> Answer:
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return answer
