"""Benchmark: translating newstest2013 with opus-mt-fr-en's architecture, three ways.

    python bench/translate.py [--lines 500]

A random-weight model with opus-mt-fr-en's exact architecture (75M parameters, vocabulary of
59,514) costs the same compute as the real one. It never stops by itself, so every path gets
the same output cap (`--cap-ratio` * source tokens + `--cap-extra`, close to a real model's
output length) and counts the tokens kept under that cap.

  (a) transformers, one sentence at a time, beam 4: tokenizer -> MarianMTModel.generate ->
      decode, what the `translation` pipeline did before transformers 5 removed it;
  (b) raw CTranslate2 int8 `translate_batch`, beam 4, batches of 32 in input order;
  (c) depeche's own path (`Translator.translate`), CTranslate2 int8, beam 4.

Each path runs in its own process (so peak RSS is its own); loading is not timed.
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

from bench.common import (  # noqa: E402
    BENCH_MODELS,
    depeche_translator,
    lines,
    opus_model,
    peak_rss_mb,
    run_workers,
)


def cap(length: int, args: argparse.Namespace) -> int:
    return int(args.cap_ratio * length) + args.cap_extra


def run_transformers(sentences: list[str], model: Path, args: argparse.Namespace) -> dict:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(model)
    marian = MarianMTModel.from_pretrained(model).eval()
    start = time.perf_counter()
    tokens = 0
    for line in sentences:
        inputs = tokenizer(line, return_tensors="pt")
        limit = cap(inputs["input_ids"].shape[1], args)
        with torch.inference_mode():
            output = marian.generate(**inputs, num_beams=4, max_new_tokens=limit + 1)
        ids = [t for t in output[0].tolist()[1:] if t not in (0, tokenizer.pad_token_id)]
        tokenizer.decode(ids[:limit], skip_special_tokens=True)
        tokens += len(ids[:limit])
    return {"seconds": time.perf_counter() - start, "output_tokens": tokens}


def run_ctranslate2(sentences: list[str], model: Path, args: argparse.Namespace) -> dict:
    import ctranslate2
    from depeche.engines.ctranslate2 import converted_path
    from depeche.models import resolve
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(model)
    converted = converted_path(resolve(str(model), BENCH_MODELS, {}), BENCH_MODELS, "int8")
    translator = ctranslate2.Translator(str(converted), compute_type="int8", intra_threads=0)
    start = time.perf_counter()
    tokens = 0
    for first in range(0, len(sentences), 32):
        batch = [
            tokenizer.convert_ids_to_tokens(tokenizer(line)["input_ids"])
            for line in sentences[first : first + 32]
        ]
        limits = [cap(len(source), args) for source in batch]
        results = translator.translate_batch(
            batch, beam_size=4, max_decoding_length=max(limits) + 1
        )
        for result, limit in zip(results, limits, strict=True):
            hypothesis = result.hypotheses[0][:limit]
            tokenizer.decode(tokenizer.convert_tokens_to_ids(hypothesis), skip_special_tokens=True)
            tokens += len(hypothesis)
    return {"seconds": time.perf_counter() - start, "output_tokens": tokens}


def run_depeche(sentences: list[str], model: Path, args: argparse.Namespace) -> dict:
    depeche = depeche_translator(model, args.cap_ratio, args.cap_extra)
    start = time.perf_counter()
    depeche.translate(sentences)
    return {"seconds": time.perf_counter() - start, "output_tokens": depeche.stats.output_tokens}


PATHS = {
    "a: transformers, 1 sentence at a time": run_transformers,
    "b: raw CTranslate2 int8, batch 32": run_ctranslate2,
    "c: depeche (CTranslate2 int8)": run_depeche,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--cap-ratio", type=float, default=1.0)
    parser.add_argument("--cap-extra", type=int, default=5)
    by_letter = {name[0]: name for name in PATHS}  # `--only b` names path (b)
    parser.add_argument(
        "--only", choices=list(PATHS), action="append", type=lambda v: by_letter.get(v, v)
    )
    parser.add_argument("--worker", choices=list(PATHS), help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sentences = lines("newstest2013.fr")[: args.lines]

    if args.worker:
        result = PATHS[args.worker](sentences, args.model, args)
        print(json.dumps({**result, "peak_rss_mb": peak_rss_mb()}))
        return

    model = opus_model()
    print(f"model: random weights, opus-mt-fr-en architecture ({model.name})")
    print(
        f"input: first {len(sentences)} lines of newstest2013.fr; beam 4; output cap "
        f"{args.cap_ratio} x source tokens + {args.cap_extra}"
    )
    arguments = [
        "--model",
        str(model),
        "--lines",
        str(args.lines),
        "--cap-ratio",
        str(args.cap_ratio),
        "--cap-extra",
        str(args.cap_extra),
    ]
    results = {}
    for name, r in run_workers(__file__, args.only or list(PATHS), arguments):
        results[name] = r
        print(
            f"{name:40} {len(sentences) / r['seconds']:7.2f} sentences/s "
            f"{r['output_tokens'] / r['seconds']:8.1f} output tokens/s "
            f"peak RSS {r['peak_rss_mb']:6.0f} MB  ({r['seconds']:.1f} s)",
            flush=True,
        )
    rate = {name: r["output_tokens"] / r["seconds"] for name, r in results.items()}
    a, b, c = PATHS
    if b in rate and c in rate:
        print(f"depeche / raw CTranslate2: {rate[c] / rate[b]:.2f}x (target >= 0.9)")
    if a in rate and c in rate:
        print(f"depeche / transformers:    {rate[c] / rate[a]:.2f}x (target >= 8)")


if __name__ == "__main__":
    main()
