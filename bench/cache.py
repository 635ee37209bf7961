"""Benchmark: what the cache saves on an article sent again, unchanged or with one edit.

    python bench/cache.py

A 20-paragraph article (three consecutive lines of newstest2013.fr each) is translated
through depeche on a random-weight model with opus-mt-fr-en's architecture (CTranslate2 int8,
beam 4, the SQLite cache in a fresh folder): cold, then unchanged (the response cache), then
with one sentence edited (the sentence cache serves the other sentences). Then the same
article over HTTP: a real `depeche serve` (its own process, its own SQLite cache), the article
posted to /v1/articles once, then again, unchanged, over one keep-alive connection.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on sys.path, where bench/http.py would shadow the
# standard library's http module: the project root takes its place.
sys.path[0] = str(ROOT)

import httpx  # noqa: E402

from bench.common import (  # noqa: E402
    BENCH_MODELS,
    depeche_translator,
    lines,
    opus_model,
    start_depeche,
)


def http_hit_p50(model: Path, article: str, folder: str, repeats: int) -> tuple[float, float]:
    """Posted to /v1/articles of a real server, once, then `repeats` times unchanged over one
    keep-alive connection: (p50, max) of the repeats, in seconds."""
    env = {
        **os.environ,
        "DEPECHE_TRANSLATION_MODEL": str(model),
        "DEPECHE_SUMMARIZATION_MODEL": "none",
        "DEPECHE_MODELS_DIR": str(BENCH_MODELS),
        "DEPECHE_COMPUTE_TYPE": "int8",
        "DEPECHE_MAX_OUTPUT_RATIO": "1.0",
        "DEPECHE_MAX_OUTPUT_EXTRA": "5",
        "DEPECHE_CACHE_URL": f"sqlite:///{folder}/server-cache.sqlite3",
        "DEPECHE_STORE_URL": f"sqlite:///{folder}/server-store.sqlite3",
    }
    process, url, _ = start_depeche(env, poll=0.5)
    body = {"text": article, "format": "markdown", "summarize": False}
    try:
        with httpx.Client(base_url=url, timeout=300) as session:
            session.post("/v1/articles", json=body).raise_for_status()
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                response = session.post("/v1/articles", json=body)
                times.append(time.perf_counter() - start)
                assert response.headers["X-Cache"] == "hit", response.headers
    finally:
        process.terminate()
        process.wait(timeout=30)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()

    source = lines("newstest2013.fr")
    paragraphs = [" ".join(source[3 * i : 3 * i + 3]) for i in range(args.paragraphs)]
    article = "\n\n".join(paragraphs)
    edited_sentence = source[3 * args.paragraphs + 7]
    edited = article.replace(source[4], edited_sentence, 1)
    assert edited != article

    model = opus_model()
    with tempfile.TemporaryDirectory() as folder:
        translator = depeche_translator(model, cache_url=f"sqlite:///{folder}/cache.sqlite3")
        start = time.perf_counter()
        cold = translator.translate_article(article, "markdown")
        cold_s = time.perf_counter() - start
        sentences = len(cold.segments)

        repeats = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            again = translator.translate_article(article, "markdown")
            repeats.append(time.perf_counter() - start)
        assert again.cache == "hit" and again.text == cold.text

        start = time.perf_counter()
        changed = translator.translate_article(edited, "markdown")
        edit_s = time.perf_counter() - start
        assert changed.cache == "partial"
        translator.close()
        http_p50, http_max = http_hit_p50(model, article, folder, args.repeats)

    print(
        f"article: {args.paragraphs} paragraphs, {sentences} sentences, {len(article)} chars; "
        "random opus-mt-fr-en architecture, CTranslate2 int8, beam 4, SQLite cache"
    )
    print(f"cold:                   {cold_s * 1000:9.1f} ms")
    print(
        f"unchanged repeat (p50): {statistics.median(repeats) * 1000:9.2f} ms  "
        f"(max {max(repeats) * 1000:.2f} ms over {args.repeats}; target < 5 ms)"
    )
    print(
        f"one sentence edited:    {edit_s * 1000:9.1f} ms  = {edit_s / cold_s:.1%} of cold "
        "(target <= 10%)"
    )
    print(
        f"HTTP unchanged (p50):   {http_p50 * 1000:9.2f} ms  "
        f"(max {http_max * 1000:.2f} ms over {args.repeats}; /v1/articles, one keep-alive "
        "connection; target < 3 ms)"
    )


if __name__ == "__main__":
    main()
