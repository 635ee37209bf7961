"""Benchmark: summarizing 20 English news articles with distilbart-cnn-12-6's architecture.

    python bench/summarize.py

A random-weight model with distilbart-cnn-12-6's exact architecture (d_model 1024, 12 encoder
and 6 decoder layers, 16 heads, vocabulary of 50,264; 306M parameters) costs the same compute
as the real one. Articles of 400-900 tokens are made of consecutive lines of
newstest2013.en. Both paths use the model's decoding settings (beam 4, length_penalty 2.0,
min 56, max 142 tokens, no_repeat_ngram_size 3); random weights never stop, so each summary
runs to the maximum on both sides.

  (a) transformers, one article at a time: tokenizer -> BartForConditionalGeneration.generate
      -> decode, what `pipeline("summarization")` did before transformers 5 removed it;
  (b) depeche's `Summarizer.summarize_many`, CTranslate2 int8.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on sys.path, where bench/http.py would shadow the
# standard library's http module: the project root takes its place.
sys.path[0] = str(ROOT)

from bench.common import BENCH_MODELS, distilbart_model, lines, peak_rss_mb, run_workers  # noqa: E402


def articles(model: Path, count: int) -> list[str]:
    """Consecutive lines of newstest2013.en grouped into articles of 400-900 tokens."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model)
    source = lines("newstest2013.en")
    found: list[str] = []
    current: list[str] = []
    for line in source:
        current.append(line)
        size = len(tokenizer(" ".join(current))["input_ids"])
        if size >= 400 + 25 * (len(found) % 20):  # lengths spread over 400-900
            if size <= 900:
                found.append("\n\n".join(current))
            current = []
        if len(found) == count:
            break
    return found


def run_transformers(texts: list[str], model: Path) -> dict:
    import torch
    from transformers import AutoTokenizer, BartForConditionalGeneration

    tokenizer = AutoTokenizer.from_pretrained(model)
    bart = BartForConditionalGeneration.from_pretrained(model).eval()
    start = time.perf_counter()
    tokens = 0
    for text in texts:
        inputs = tokenizer(text, return_tensors="pt", truncation=True)
        with torch.inference_mode():
            output = bart.generate(**inputs)  # the model's generation config
        tokenizer.decode(output[0], skip_special_tokens=True)
        tokens += output.shape[1]
    return {"seconds": time.perf_counter() - start, "output_tokens": tokens}


def run_depeche(texts: list[str], model: Path) -> dict:
    from depeche.config import Settings
    from depeche.summarizer import Summarizer

    summarizer = Summarizer(
        Settings(
            summarization_model=str(model),
            models_dir=BENCH_MODELS,
            compute_type="int8",
            cache_url="none",
        )
    )
    summarizer.load()
    start = time.perf_counter()
    summaries = summarizer.summarize_many(texts)
    assert all(s.chunks == 1 for s in summaries)
    return {
        "seconds": time.perf_counter() - start,
        "output_tokens": summarizer.runtime.stats.output_tokens,
    }


PATHS = {
    "a: transformers, 1 article at a time": run_transformers,
    "b: depeche (CTranslate2 int8)": run_depeche,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--worker", choices=list(PATHS), help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        texts = articles(args.model, args.articles)
        result = PATHS[args.worker](texts, args.model)
        print(json.dumps({**result, "articles": len(texts), "peak_rss_mb": peak_rss_mb()}))
        return

    model = distilbart_model()
    from transformers import BartForConditionalGeneration

    parameters = sum(
        p.numel() for p in BartForConditionalGeneration.from_pretrained(model).parameters()
    )
    print(
        f"model: random weights, distilbart-cnn-12-6 architecture, {parameters / 1e6:.1f}M "
        "parameters; beam 4, length_penalty 2.0, min 56, max 142, no_repeat_ngram_size 3"
    )
    rates = {}
    for name, r in run_workers(
        __file__, list(PATHS), ["--model", str(model), "--articles", str(args.articles)]
    ):
        rates[name] = r["articles"] / r["seconds"]
        print(
            f"{name:40} {rates[name]:6.3f} articles/s  peak RSS {r['peak_rss_mb']:6.0f} MB  "
            f"({r['articles']} articles, {r['seconds']:.1f} s)",
            flush=True,
        )
    a, b = list(PATHS)
    print(f"depeche / transformers: {rates[b] / rates[a]:.2f}x (target >= 3)")


if __name__ == "__main__":
    main()
