"""What the soak scripts share: a real `depeche serve` pinned to one core, and its memory.

The server gets core 0 and the load generator core 1 (`taskset`), so that the one does not
steal the other's CPU on a 2-core machine. The model is the benchmarks' random-weight
opus-mt-fr-en architecture (75M parameters), so each request costs what it costs in production.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.common import BENCH_MODELS, ROOT, lines, opus_model
from tests.redis_server import free_port

SERVER_CORE = "0"
LOAD_CORE = "1"


def paragraphs(min_words: int = 30) -> list[str]:
    """Unique inputs of a news paragraph's size: from each newstest2013 line, it and the lines
    after it until they make `min_words` words (3,000 of them; 40 words at the median, 81 at
    the 99th percentile). Corpus lines alone run from 1 word to 100: latency follows length,
    and a latency target against the median is about waiting, not about paragraph length."""
    corpus = lines("newstest2013.fr")
    found = []
    for start in range(len(corpus)):
        end, words = start, 0
        while end < len(corpus) and words < min_words:
            words += len(corpus[end].split())
            end += 1
        found.append(" ".join(corpus[start:end]))
    return found


class Server:
    """`depeche serve` in its own process on `SERVER_CORE`; `settings` are DEPECHE_* values."""

    def __init__(self, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DEPECHE_TRANSLATION_MODEL": str(opus_model()),
            "DEPECHE_SUMMARIZATION_MODEL": "none",
            "DEPECHE_MODELS_DIR": str(BENCH_MODELS),
            "DEPECHE_THREADS": "1",
            # As the other benchmarks: output capped at 1.0 x source + 5, so random weights end.
            "DEPECHE_MAX_OUTPUT_RATIO": "1.0",
            "DEPECHE_MAX_OUTPUT_EXTRA": "5",
            "DEPECHE_CACHE_URL": "none",
            **{f"DEPECHE_{k.upper()}": v for k, v in settings.items()},
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        command = ["taskset", "-c", SERVER_CORE, sys.executable, "-m", "depeche", "serve"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise RuntimeError("the server did not become ready")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def rss_mb(self) -> float:
        """The server's resident memory now."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
        return int(kb) / 1024

    @contextmanager
    def sampled(self, every: float = 5.0) -> Iterator[list[tuple[float, float]]]:
        """Sample resident memory every `every` seconds: (seconds since start, MB)."""
        samples: list[tuple[float, float]] = []
        stop = threading.Event()
        start = time.monotonic()

        def sample() -> None:
            while not stop.is_set():
                samples.append((time.monotonic() - start, self.rss_mb()))
                stop.wait(every)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield samples
        finally:
            stop.set()
            thread.join()


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def sequential_latencies(url: str, texts: Sequence[str], seconds: float) -> list[float]:
    """One client, one request after another, for `seconds`: latencies in seconds."""
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    with httpx.Client(timeout=120) as client:
        for text in texts:
            if time.monotonic() > stop:
                break
            started = time.monotonic()
            client.post(f"{url}/v1/translate", json={"text": text}).raise_for_status()
            latencies.append(time.monotonic() - started)
    return latencies
