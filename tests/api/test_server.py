from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from depeche.config import Settings
from depeche.formats.text import TextReader
from depeche.inline import Run

from tests.api.live import HeldEngine, LiveServer

READ_TIMEOUT = 1.0
BODY = b'{"text": "Le maire a parl\xc3\xa9."}'


def headers(length: int) -> bytes:
    return (
        b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % length
    )


HEADERS = headers(len(BODY))


@pytest.fixture(scope="module")
def guarded(api_settings: Settings) -> Iterator[str]:
    with LiveServer(api_settings.model_copy(update={"read_timeout_s": READ_TIMEOUT})) as url:
        yield url


def connect(url: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=10)
    return sock


def closed_while_trickling(sock: socket.socket, trickle: bytes) -> bool:
    """Send `trickle` a byte every 0.1 s (or nothing for 30 s): whether the server closed the
    connection before the client was done. Slow by construction: 100 bytes take 10 s, ten
    times the read timeout."""
    sock.settimeout(0.1)
    for byte in [trickle[i : i + 1] for i in range(len(trickle))] or [b""] * 300:
        try:
            if byte:
                sock.sendall(byte)
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


@pytest.mark.parametrize(
    ("name", "first", "trickle"),
    [
        ("silent", b"", b""),
        ("headers trickled", b"", HEADERS),
        ("body trickled", headers(100), b" " * 100),
        ("kept alive, then trickled", HEADERS + BODY, HEADERS),
    ],
)
def test_a_client_too_slow_to_send_its_request_is_cut_off(
    guarded: str, name: str, first: bytes, trickle: bytes
) -> None:
    with connect(guarded) as sock:
        if first:
            sock.sendall(first)
        if first.endswith(BODY):  # a whole request: read its answer before trickling the next
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        assert closed_while_trickling(sock, trickle), f"{name}: still open"


def test_a_request_sent_in_pieces_within_the_limit_is_served(guarded: str) -> None:
    pause = threading.Event()
    with connect(guarded) as sock:
        for piece in (HEADERS[:20], HEADERS[20:], BODY):
            sock.sendall(piece)
            pause.wait(READ_TIMEOUT / 20)  # pieces apart, well within the limit
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")


def test_slow_work_is_not_cut_off_once_the_request_is_in(api_settings: Settings) -> None:
    settings = api_settings.model_copy(update={"read_timeout_s": 0.3, "cache_url": "none"})
    server = LiveServer(settings)
    with server as url, ThreadPoolExecutor(1) as pool:
        held = HeldEngine(server.services)
        try:
            answer = pool.submit(
                httpx.post, f"{url}/v1/translate", json={"text": "Il pleut."}, timeout=60
            )
            held.wait_entered()  # the request is in, and its work is held in the engine
            with connect(url) as idle:  # a client that sends nothing is cut off meanwhile:
                assert closed_while_trickling(idle, b"")  # the read timeout has passed
        finally:
            held.close()
        assert answer.result().status_code == 200


def test_a_slow_but_steady_body_is_not_cut_off(guarded: str) -> None:
    """A body sent over three read timeouts, a few kilobytes at a time, is served."""
    body = json.dumps({"text": "Le maire a parlé. " * 900}).encode()  # about 17 KB
    pieces = [body[i : i + 1024] for i in range(0, len(body), 1024)]
    pause = threading.Event()
    with connect(guarded) as sock:
        sock.sendall(headers(len(body)))
        for piece in pieces:
            pause.wait(3 * READ_TIMEOUT / len(pieces))  # slow by construction: 3 s in all
            sock.sendall(piece)
        sock.settimeout(60)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")


def test_health_answers_while_a_hostile_body_is_parsed(
    api_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """100,000 letters for the URL pattern: the body is parsed off the event loop and never
    holds the interpreter for long, so /healthz answers while it is parsed. The health check
    comes from another process, started as the parse starts (a thread of this one would
    wait for the interpreter too), and the parse goes on only once it has its answer."""
    settings = api_settings.model_copy(update={"cache_url": "none"})
    server = LiveServer(settings)
    # Answered in milliseconds; the quadratic pattern held the interpreter for 15 s and more.
    check = f"import httpx; print(httpx.get('{server.url}/healthz', timeout=5).status_code)"
    answers: list[str] = []
    run = TextReader.run

    def watched(self: TextReader, start: int, end: int) -> Run:
        if end - start < 50_000:  # not the hostile body
            return run(self, start, end)
        checker = subprocess.Popen(
            [sys.executable, "-c", check], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        found = run(self, start, end)  # the hostile part, while the checker asks
        answers.append(checker.communicate(timeout=120)[0].decode())
        return found

    monkeypatch.setattr(TextReader, "run", watched)
    with server as url:
        body = {"text": "a" * 99_000, "format": "text"}
        assert httpx.post(f"{url}/v1/translate", json=body, timeout=300).status_code == 200
    assert [answer.strip()[-3:] for answer in answers] == ["200"], answers
