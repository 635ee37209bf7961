"""Soak under faults and hostile input. Prints its figures.

    python bench/soak/faults.py [--only limits|slow|deadline|redis]

4. Limits: 50 MB bodies, with Content-Length and chunked, refused 413 while the server's RSS is
   watched; then schemathesis with every check for 60 s against /openapi.json.
5. Slow clients: 200 connections trickling a byte a second (reconnecting when cut) while one
   client sends normal requests: when the tricklers are cut, and normal p95 against a baseline.
6. Deadline: a 50,000-character input without punctuation, with a 20 s deadline; the next request.
8. Redis: stopped and restarted twice under 8 clients: every status.
Server: `depeche serve` on core 0 with the full-size random opus-mt (bench/soak/server.py).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path[0] = str(ROOT)

import httpx  # noqa: E402

from bench.soak.server import (  # noqa: E402
    LOAD_CORE,
    Server,
    paragraphs,
    percentile,
    sequential_latencies,
)
from tests.redis_server import RedisServer  # noqa: E402

BIG = 50_000_000


def refused_body(port: int, chunked: bool) -> bytes:
    """Send a 50 MB body (stopping when the server answers); return the status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        framing = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % BIG
        sock.sendall(
            b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + framing
            + b"\r\n\r\n"
        )
        piece = b"x" * 65536
        chunk = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
        sock.settimeout(0.001)
        sent = 0
        while sent < BIG:
            try:
                answer = sock.recv(4096)
                if answer:
                    return answer.split(b"\r\n", 1)[0]
            except TimeoutError:
                pass
            except ConnectionError:
                break
            try:
                sock.sendall(chunk)
            except (ConnectionError, TimeoutError):
                break
            sent += len(piece)
        sock.settimeout(10)
        return sock.recv(4096).split(b"\r\n", 1)[0]


def limits() -> None:
    with Server() as server:
        before = server.rss_mb()
        statuses = collections.Counter(
            refused_body(server.port, chunked).decode() for chunked in [False] * 10 + [True] * 10
        )
        after = server.rss_mb()
        print(
            f"limits: 20 bodies of 50 MB (10 with Content-Length, 10 chunked): {dict(statuses)}; "
            f"server RSS {before:.0f} MB before, {after:.0f} MB after ({after - before:+.1f} MB)"
        )
        command = ["taskset", "-c", LOAD_CORE, str(Path(sys.executable).parent / "st"), "run"]
        command += [f"{server.url}/openapi.json", "--checks", "all", "--max-time", "60"]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        report = [line for line in done.stdout.splitlines() if line.strip()]
        server_errors = sum("Server error" in line for line in report)
        print(
            f"schemathesis, all checks, {time.monotonic() - started:.0f} s: exit "
            f"{done.returncode}, 'Server error' lines {server_errors}; its summary:"
        )
        for line in report[-12:]:
            print(f"    {line}")


async def trickle(port: int, until: float, cut: list[float]) -> None:
    """One connection sending a byte a second; when the server cuts it, note when, reconnect."""
    while time.monotonic() < until:
        opened = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        request = (
            b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b" " * 100
        )
        try:
            for byte in request:
                if time.monotonic() > until:
                    break
                writer.write(bytes([byte]))
                await writer.drain()
                try:
                    if await asyncio.wait_for(reader.read(1), timeout=1.0) == b"":
                        cut.append(time.monotonic() - opened)
                        break
                except TimeoutError:
                    continue
        except ConnectionError:
            cut.append(time.monotonic() - opened)
        finally:
            writer.close()


def slow_clients(seconds: float = 45) -> None:
    texts = paragraphs()
    with Server() as server:
        baseline = sequential_latencies(server.url, texts[100:], 30)
        cut: list[float] = []
        until = time.monotonic() + seconds

        async def tricklers() -> None:
            await asyncio.gather(*(trickle(server.port, until, cut) for _ in range(200)))

        thread = threading.Thread(target=asyncio.run, args=(tricklers(),))
        thread.start()
        time.sleep(2)
        during = sequential_latencies(server.url, texts[400:], seconds - 4)
        thread.join()
    print(
        f"slow clients: 200 trickling connections for {seconds:.0f} s: cut {len(cut)} times, "
        f"after {statistics.median(cut):.1f} s (median), {max(cut):.1f} s at most "
        f"(target 10 s); normal requests p95 {percentile(baseline, 95):.2f} s alone, "
        f"{percentile(during, 95):.2f} s among the tricklers "
        f"({percentile(during, 95) / percentile(baseline, 95):.2f}x, target <= 2x)"
    )


def long_input() -> None:
    text = " ".join(["le maire de lyon a présenté un budget"] * 1400)[:50_000]
    with Server(request_timeout_s="20") as server:
        started = time.monotonic()
        response = httpx.post(f"{server.url}/v1/translate", json={"text": text}, timeout=120)
        took = time.monotonic() - started
        kind = (
            response.json().get("error", {}).get("type", "") if response.status_code != 200 else ""
        )
        started = time.monotonic()
        after = httpx.post(
            f"{server.url}/v1/translate", json={"text": "Le maire a parlé."}, timeout=120
        )
        print(
            f"deadline: 50,000 characters without punctuation, deadline 20 s: "
            f"{response.status_code} {kind} after {took:.1f} s; the next request "
            f"{after.status_code} after {time.monotonic() - started:.2f} s"
        )


def redis_restarts(seconds: float = 40) -> None:
    texts = paragraphs()
    with tempfile.TemporaryDirectory() as folder:
        redis = RedisServer(Path(folder))
        redis.start()
        statuses: collections.Counter[int] = collections.Counter()
        lock = threading.Lock()
        with Server(cache_url=redis.url) as server:
            stop = time.monotonic() + seconds

            def client(offset: int) -> None:
                with httpx.Client(timeout=120) as session:
                    i = offset
                    while time.monotonic() < stop:
                        # Every other request repeats an earlier one: hits and misses both.
                        text = texts[i if i % 2 else max(offset, i - 1)]
                        try:
                            code = session.post(f"{server.url}/v1/translate", json={"text": text})
                            status = code.status_code
                        except httpx.TransportError:
                            status = 0
                        with lock:
                            statuses[status] += 1
                        i += 1

            workers = [threading.Thread(target=client, args=(k * 300,)) for k in range(8)]
            for worker in workers:
                worker.start()
            for pause, action in [
                (8, redis.stop),
                (8, redis.start),
                (8, redis.stop),
                (4, redis.start),
            ]:
                time.sleep(pause)
                action()
            for worker in workers:
                worker.join()
            metrics = httpx.get(f"{server.url}/metrics").text
        redis.stop()
    errors = [line for line in metrics.splitlines() if line.startswith("depeche_cache_errors")]
    print(
        f"redis: stopped and restarted twice under 8 clients for {seconds:.0f} s: statuses "
        f"{dict(statuses)}; server errors {sum(n for s, n in statuses.items() if s >= 500)}; "
        f"{'; '.join(errors) or 'no cache error counter'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["limits", "slow", "deadline", "redis"])
    args = parser.parse_args()
    steps = {
        "limits": limits,
        "slow": slow_clients,
        "deadline": long_input,
        "redis": redis_restarts,
    }
    for name, step in steps.items():
        if args.only in (None, name):
            step()


if __name__ == "__main__":
    main()
