"""Benchmark: the distribution of the model's scores over newstest2013, for the low_confidence
threshold.

    python bench/confidence.py [--model ID_OR_PATH] [--lines 3000]

Translates the first `--lines` lines of newstest2013.fr (read from ../shared/data at run time)
as depeche does (CTranslate2, the configured compute type and beam, no cache) and prints the
percentiles of the segments' scores, the mean log-probability per output token. The default
`DEPECHE_LOW_CONFIDENCE` is meant to be the 5th percentile with the default model
(opus-mt-fr-en): run this where that model is pulled (`depeche models pull translation`),
with no `--model`. `--model tiny` and `--model random-opus` are the models the tests and the
other benchmarks build here: a tiny model trained on a copy task, and random weights with
opus-mt-fr-en's architecture (whose scores mean nothing).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on sys.path, where bench/http.py would shadow the
# standard library's http module: the project root takes its place.
sys.path[0] = str(ROOT)

from bench.common import DATA  # noqa: E402

PERCENTILES = (1, 5, 10, 25, 50, 75, 90, 95, 99)


def built(name: str | None, data: Path) -> dict[str, Any]:
    """Settings for a model built here, by its short name ({} for any other): it lives in the
    benchmarks' models folder, and random weights, which never stop, get the output cap the
    other benchmarks give them."""
    from bench import common

    if name == "tiny":
        from tests.factories import tiny_marian

        return {"model": str(tiny_marian()), "models_dir": common.BENCH_MODELS}
    if name == "random-opus":
        common.DATA = data
        return {
            "model": str(common.opus_model()),
            "models_dir": common.BENCH_MODELS,
            "max_output_ratio": 1.0,
            "max_output_extra": 5,
        }
    return {"model": name} if name else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="Hub id or directory; tiny; random-opus (default: set)")
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--data", type=Path, default=DATA, help="newstest2013's folder")
    args = parser.parse_args()

    from depeche.config import get_settings
    from depeche.translator import Translator

    settings = get_settings()
    lines = (args.data / "newstest2013.fr").read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines[: args.lines] if line.strip()]
    translator = Translator(settings, cache_url="none", **built(args.model, args.data))
    translator.load()
    started = time.perf_counter()
    results = translator.translate_articles(lines, "text")
    elapsed = time.perf_counter() - started
    scores = sorted(s.score for r in results for s in r.segments if s.score is not None)
    cuts = statistics.quantiles(scores, n=100, method="inclusive")
    threshold = settings.low_confidence
    report = {
        "model": translator.model.name,
        "engine": translator.runtime.engine.name,
        "compute_type": translator.runtime.engine.compute_type,
        "beam_size": translator.options.beam_size,
        "lines": len(lines),
        "segments": len(scores),
        "seconds": round(elapsed, 1),
        "mean": round(statistics.fmean(scores), 4),
        "percentiles": {p: round(cuts[p - 1], 4) for p in PERCENTILES},
        "threshold": threshold,
        "flagged_at_threshold": round(sum(s < threshold for s in scores) / len(scores), 4),
    }
    print(
        f"{report['model']} ({report['engine']}, {report['compute_type']}, beam "
        f"{report['beam_size']}): {len(scores)} segments of {len(lines)} lines"
    )
    print("percentile  score")
    for p in PERCENTILES:
        print(f"{p:>10}  {report['percentiles'][p]:.4f}")
    print(f"DEPECHE_LOW_CONFIDENCE={threshold} flags {report['flagged_at_threshold']:.1%}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
