"""Benchmark: the HTTP service under 16 concurrent clients, cross-request batching on and off.

    python bench/http.py [--seconds 60] [--clients 16]

A real server (`depeche serve`, in its own process) on a random-weight model with
opus-mt-fr-en's architecture (CTranslate2 int8, beam 4, output cap 1.0 x source + 5 as in
bench/translate.py). Each client posts single paragraphs (three consecutive lines of
newstest2013.fr, each paragraph sent once, so the cache cannot hide the model) to
/v1/translate for the given time. Then the p50 of a cache hit: one paragraph sent again,
one request at a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on sys.path, where bench/http.py would shadow the
# standard library's http module: the project root takes its place.
sys.path[0] = str(ROOT)

import httpx  # noqa: E402

from bench.common import BENCH_MODELS, lines, opus_model, start_depeche  # noqa: E402


def start_server(
    model: Path, batching: bool, cache_dir: str
) -> tuple[subprocess.Popen[bytes], str]:
    env = {
        **os.environ,
        "DEPECHE_TRANSLATION_MODEL": str(model),
        "DEPECHE_SUMMARIZATION_MODEL": "none",
        "DEPECHE_MODELS_DIR": str(BENCH_MODELS),
        "DEPECHE_COMPUTE_TYPE": "int8",
        "DEPECHE_MAX_OUTPUT_RATIO": "1.0",
        "DEPECHE_MAX_OUTPUT_EXTRA": "5",
        "DEPECHE_BATCHING": "true" if batching else "false",
        "DEPECHE_CACHE_URL": f"sqlite:///{cache_dir}/cache-{int(batching)}.sqlite3",
        "DEPECHE_QUEUE_SIZE": "256",
    }
    process, url, _ = start_depeche(env, poll=0.5)
    return process, url


def load(url: str, paragraphs: list[str], clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    cursor = iter(range(len(paragraphs)))
    stop = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        with httpx.Client(timeout=120) as session:
            while time.monotonic() < stop:
                with lock:
                    index = next(cursor, None)
                if index is None:
                    return
                start = time.perf_counter()
                response = session.post(f"{url}/v1/translate", json={"text": paragraphs[index]})
                elapsed = time.perf_counter() - start
                with lock:
                    if response.status_code == 200:
                        latencies.append(elapsed)
                    else:
                        errors += 1

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "throughput": len(latencies) / wall,
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
    }


def cache_hit_p50(url: str, paragraph: str, repeats: int = 50) -> float:
    with httpx.Client() as session:
        session.post(f"{url}/v1/translate", json={"text": paragraph})
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = session.post(f"{url}/v1/translate", json={"text": paragraph})
            times.append(time.perf_counter() - start)
            assert response.headers["X-Cache"] == "hit"
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    source = lines("newstest2013.fr")
    paragraphs = [" ".join(source[i : i + 3]) for i in range(0, len(source) - 2, 3)]
    model = opus_model()
    print(
        f"server: depeche serve, random opus-mt-fr-en architecture, CTranslate2 int8, beam 4; "
        f"{args.clients} clients for {args.seconds:.0f} s, one unique paragraph per request"
    )
    results = {}
    with tempfile.TemporaryDirectory() as cache_dir:
        for batching in (True, False):
            process, url = start_server(model, batching, cache_dir)
            try:
                # Each run gets paragraphs the other never sent: no cache hits.
                half = len(paragraphs) // 2
                share = paragraphs[:half] if batching else paragraphs[half:]
                result = load(url, share, args.clients, args.seconds)
                if batching:
                    result["hit_p50"] = cache_hit_p50(url, share[0])
            finally:
                process.terminate()
                process.wait(timeout=30)
            results[batching] = result
            print(
                f"batching {'on ' if batching else 'off'}: {result['throughput']:6.2f} req/s  "
                f"p50 {result['p50'] * 1000:7.0f} ms  p99 {result['p99'] * 1000:7.0f} ms  "
                f"({result['requests']:.0f} requests, {result['errors']:.0f} errors)",
                flush=True,
            )
    on, off = results[True], results[False]
    print(
        f"batching on / off throughput: {on['throughput'] / off['throughput']:.2f}x (target >= 2)"
    )
    print(f"cache hit p50: {on['hit_p50'] * 1000:.2f} ms (target < 5 ms)")


if __name__ == "__main__":
    main()
