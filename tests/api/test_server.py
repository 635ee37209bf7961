from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from depeche.config import Settings

from tests.api.live import LiveServer

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


def closed_after(sock: socket.socket, trickle: bytes, limit: float) -> float | None:
    """Send `trickle` a byte every 0.1 s; return when the server closed the connection."""
    start = time.monotonic()
    sock.settimeout(0.1)
    for byte in [trickle[i : i + 1] for i in range(len(trickle))] or [b""] * 1000:
        if time.monotonic() - start > limit:
            return None
        try:
            if byte:
                sock.sendall(byte)
            if sock.recv(65536) == b"":
                return time.monotonic() - start
        except TimeoutError:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - start
    return None


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
        elapsed = closed_after(sock, trickle, limit=READ_TIMEOUT * 5)
    assert elapsed is not None, f"{name}: still open"
    assert elapsed < READ_TIMEOUT + 1.0


def test_a_request_sent_in_pieces_within_the_limit_is_served(guarded: str) -> None:
    with connect(guarded) as sock:
        for piece in (HEADERS[:20], HEADERS[20:], BODY):
            sock.sendall(piece)
            time.sleep(READ_TIMEOUT / 3)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")


def test_slow_work_is_not_cut_off_once_the_request_is_in(busy_settings: Settings) -> None:
    settings = busy_settings.model_copy(update={"read_timeout_s": 0.3})
    text = " ".join(["le maire de lyon a présenté un budget"] * 200)
    with LiveServer(settings) as url:
        response = httpx.post(f"{url}/v1/translate", json={"text": text}, timeout=60)
    assert response.status_code == 200 and response.elapsed.total_seconds() > 0.3
