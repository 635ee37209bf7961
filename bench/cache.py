"""Benchmark: what the cache saves on an article sent again, unchanged or with one edit.

    python bench/cache.py

A 20-paragraph article (three consecutive lines of newstest2013.fr each) is translated
through depeche on a random-weight model with opus-mt-fr-en's architecture (CTranslate2 int8,
beam 4, the SQLite cache in a fresh folder): cold, then unchanged (the response cache), then
with one sentence edited (the translation memory serves the other sentences).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on sys.path, where bench/http.py would shadow the
# standard library's http module: the project root takes its place.
sys.path[0] = str(ROOT)

from bench.common import (  # noqa: E402
    depeche_translator,
    lines,
    opus_model,
)


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


if __name__ == "__main__":
    main()
