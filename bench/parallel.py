"""Benchmark: how CTranslate2 best uses the CPU's cores, and how much bigger batches gain.

    python bench/lanes.py [--lines 192]

Raw CTranslate2 int8, beam 4, on the random-weight opus-mt-fr-en architecture, the first
`--lines` lines of newstest2013.fr, output capped at source tokens + 5 (tokens kept under each
sentence's own cap are counted):

  large batches  all sentences sorted by length into batches of 2,048 padded tokens (what the
                 HTTP queue makes of concurrent requests), one batch on every core, then one
                 batch per core (a lane each);
  small batches  paragraphs of three lines, each paragraph's sentences alone (what a request
                 costs with cross-request batching off), 16 at once, on a lane per core.

The ratio of large to small on lanes bounds what cross-request batching can gain on this CPU.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench.common import BENCH_MODELS, lines, opus_model  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=192)
    args = parser.parse_args()

    import ctranslate2
    from depeche.engines import usable_cores
    from depeche.engines.ctranslate2 import converted_path
    from depeche.models import resolve
    from depeche.token_batches import token_batches
    from depeche.tokenization import load_tokenizer

    model = opus_model()
    source = resolve(str(model), BENCH_MODELS, {})
    tokenizer = load_tokenizer(source.path)
    sentences = [
        tokenizer.ids_to_tokens(ids)
        for ids in tokenizer.encode(lines("newstest2013.fr")[: args.lines])
    ]
    cores = usable_cores()

    def engine(lanes: int) -> ctranslate2.Translator:
        return ctranslate2.Translator(
            str(converted_path(source, BENCH_MODELS, "int8")),
            compute_type="int8",
            intra_threads=cores // lanes,
            inter_threads=lanes,
        )

    def run(translator: ctranslate2.Translator, batch: list[list[str]]) -> int:
        limits = [len(source) + 5 for source in batch]  # as bench/translate.py's default cap
        results = translator.translate_batch(
            batch, beam_size=4, max_decoding_length=max(limits) + 1, max_input_length=0
        )
        return sum(
            min(len(r.hypotheses[0]), limit) for r, limit in zip(results, limits, strict=True)
        )

    def grouped(group: list[list[str]]) -> list[list[list[str]]]:
        return [
            [group[i] for i in batch]
            for batch in token_batches([len(s) for s in group], 2048, 64, 1.5)
        ]

    def measure(lanes: int, work: list[list[list[list[str]]]], clients: int) -> float:
        translator = engine(lanes)
        run(translator, sentences[:2])  # warm-up
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            tokens = sum(pool.map(lambda batches: sum(run(translator, b) for b in batches), work))
        return tokens / (time.perf_counter() - started)

    # `measure` takes one list of batches per client; each client runs its batches in turn.
    large = grouped(sentences)
    small = [grouped(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    print(f"{len(sentences)} sentences, {cores} usable cores; output tokens/s:")
    one = measure(1, [large], 1)
    print(f"  large batches, one batch on {cores} threads: {one:7.1f}")
    lanes = measure(cores, [[batch] for batch in large], cores)
    print(f"  large batches, {cores} lanes of 1 thread:     {lanes:7.1f} ({lanes / one:.2f}x)")
    few = measure(cores, small, 16)
    print(f"  small batches, {cores} lanes, 16 at once:     {few:7.1f}")
    print(f"large / small batches on lanes: {lanes / few:.2f}x")


if __name__ == "__main__":
    main()
