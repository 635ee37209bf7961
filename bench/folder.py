"""Benchmark: a folder of articles through depeche's batch path vs raw CTranslate2.

    python bench/folder.py [--articles 100]

100 articles of 20 consecutive lines of newstest2013.fr (one paragraph a line) are written
to a temporary folder and translated by `service.folder.run` (what `depeche translate DIR -o
OUT` runs) on a random-weight model with opus-mt-fr-en's architecture, CTranslate2 int8,
beam 4. In the same run, raw CTranslate2 `translate_batch` (batches of 32, input order)
translates the same lines. Same output cap as bench/translate.py; tokens counted under it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on sys.path, where bench/http.py would shadow the
# standard library's http module: the project root takes its place.
sys.path[0] = str(ROOT)

from bench.common import depeche_translator, lines, opus_model, peak_rss_mb, run_workers  # noqa: E402
from bench.translate import run_ctranslate2  # noqa: E402


def run_depeche_folder(sentences: list[str], model: Path, args: argparse.Namespace) -> dict:
    from depeche.folder import Options, run
    from depeche.processors import LocalProcessor

    depeche = depeche_translator(model, args.cap_ratio, args.cap_extra)
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in", Path(folder) / "out"
        source.mkdir()
        for index in range(0, len(sentences), 20):
            (source / f"article-{index // 20:03}.txt").write_text(
                "\n\n".join(sentences[index : index + 20]) + "\n", encoding="utf-8"
            )
        start = time.perf_counter()
        report = run(source, target, LocalProcessor(depeche), Options(format="text"))
        seconds = time.perf_counter() - start
    assert report.done == len(sentences) // 20 and not report.failures
    return {
        "seconds": seconds,
        "output_tokens": depeche.stats.output_tokens,
        "articles": report.done,
    }


PATHS = {
    "raw CTranslate2 int8, batch 32": run_ctranslate2,
    "depeche folder (CTranslate2 int8)": run_depeche_folder,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--cap-ratio", type=float, default=1.0)
    parser.add_argument("--cap-extra", type=int, default=5)
    parser.add_argument("--worker", choices=list(PATHS), help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sentences = lines("newstest2013.fr")[: 20 * args.articles]
    if args.worker:
        result = PATHS[args.worker](sentences, args.model, args)
        print(json.dumps({**result, "peak_rss_mb": peak_rss_mb()}))
        return
    model = opus_model()
    print(
        f"input: {len(sentences) // 20} articles of 20 lines of newstest2013.fr; random "
        f"opus-mt-fr-en architecture; beam 4; cap {args.cap_ratio} x source + {args.cap_extra}"
    )
    arguments = [
        "--model",
        str(model),
        "--articles",
        str(args.articles),
        "--cap-ratio",
        str(args.cap_ratio),
        "--cap-extra",
        str(args.cap_extra),
    ]
    rates = {}
    for name, r in run_workers(__file__, list(PATHS), arguments):
        rates[name] = r["output_tokens"] / r["seconds"]
        articles = len(sentences) / 20 / r["seconds"]
        print(
            f"{name:36} {articles:6.3f} articles/s {rates[name]:8.1f} output tokens/s "
            f"peak RSS {r['peak_rss_mb']:6.0f} MB ({r['seconds']:.1f} s)",
            flush=True,
        )
    raw, ours = list(PATHS)
    print(f"depeche folder / raw CTranslate2: {rates[ours] / rates[raw]:.2f}x (target >= 0.9)")


if __name__ == "__main__":
    main()
