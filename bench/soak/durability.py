"""Soak for the library: threads, and SIGKILL during cache writes. Prints its figures.

    python bench/soak/durability.py [--calls 1000] [--kills 20]

7. Threads: 16 threads x `--calls` calls through one shared Translator (cache off, so every
   call runs tokenizer and engine) against a single-threaded run: errors and differences.
8. Crash: `--kills` times, a process translating unique texts through a SQLite cache is killed
   with SIGKILL at a random moment; then `PRAGMA integrity_check`, and every text it had sent is
   translated through the surviving cache and without any cache: the answers must be equal.
Runs on the tests' tiny trained Marian (fast; these are about the library, not the model).
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path[0] = str(ROOT)

from depeche.config import Settings  # noqa: E402
from depeche.translator import Translator  # noqa: E402

from tests import factories  # noqa: E402
from tests.corpus import french_sentences  # noqa: E402

MODELS = ROOT / ".cache" / "soak-models"
# Unique texts: sentence pairs, the n-th always the same (the writer and checker agree on it).
SENTENCES = french_sentences()


def text(n: int) -> str:
    return f"{SENTENCES[n % len(SENTENCES)]} {SENTENCES[(n * 7 + 3) % len(SENTENCES)]}"


def settings(cache_url: str = "none") -> Settings:
    return Settings(
        translation_model=str(factories.tiny_marian()),
        summarization_model="none",
        models_dir=MODELS,
        cache_url=cache_url,
    )


def threads(calls: int) -> None:
    texts = [text(n) for n in range(64)]
    expected = Translator(settings()).translate(texts)
    shared = Translator(settings())
    errors = 0

    def work(worker: int) -> list[str]:
        nonlocal errors
        outputs = []
        for k in range(calls):
            try:
                outputs.append(shared.translate([texts[(worker + k) % len(texts)]])[0])
            except Exception:  # counted, not raised: the figure is how many
                errors += 1
                outputs.append("")
        return outputs

    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(work, range(16)))
    differ = sum(
        output != expected[(worker + k) % len(texts)]
        for worker, outputs in enumerate(results)
        for k, output in enumerate(outputs)
    )
    print(
        f"threads: 16 x {calls} calls in {time.monotonic() - started:.0f} s: errors {errors}, "
        f"outputs different from one thread's {differ}"
    )


WRITER = """
import sys
sys.path[0] = {root!r}
from bench.soak.durability import settings, text
from depeche.translator import Translator
translator = Translator(settings(sys.argv[1]))
n = int(sys.argv[2])
while True:
    print(n, flush=True)  # about to translate n: it may be in the cache from here on
    translator.translate_article(text(n))
    n += 1
"""


def crashes(kills: int) -> None:
    rng = random.Random(5)
    checked = hits = 0
    sound = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cache.sqlite3"
        url = f"sqlite:///{path}"
        fresh = Translator(settings())
        start = 0
        for _ in range(kills):
            process = subprocess.Popen(
                [sys.executable, "-c", WRITER.format(root=str(ROOT)), url, str(start)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert process.stdout is not None
            process.stdout.readline()  # loaded, writing
            time.sleep(rng.uniform(0.2, 1.5))
            process.send_signal(signal.SIGKILL)
            started_on = process.stdout.read().split()
            last = int(started_on[-1]) if started_on else start
            process.wait()
            with sqlite3.connect(path) as connection:
                sound += connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            cached = Translator(settings(url))
            for n in range(start, last + 1):
                document = cached.translate_article(text(n))
                hits += document.cache == "hit"
                checked += 1
                assert document.text == fresh.translate_article(text(n)).text, n
            cached.close()
            start = last + 1
    print(
        f"crash: {kills} writers killed with SIGKILL: integrity_check ok {sound}/{kills}; "
        f"{checked} texts they had sent answered through the surviving cache ({hits} whole-"
        f"answer hits) equal to fresh translations: {checked}/{checked}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--only", choices=["threads", "crash"])
    args = parser.parse_args()
    if args.only in (None, "threads"):
        threads(args.calls)
    if args.only in (None, "crash"):
        crashes(args.kills)


if __name__ == "__main__":
    main()
