"""Benchmark: time and peak memory of long documents and hostile inputs.

    python bench/hostile.py [--model tiny|opus] [--only CASE]...
    python bench/hostile.py --model opus --groups 5120

Each case runs in a process of its own (its peak RSS is its own) and prints the time to read
it (cut into blocks and sentences), the time to translate it whole, the peak resident
memory of the process, and the peak of Python's own allocations while it is translated
(tracemalloc, beyond what the result holds). Cases: .docx documents of 1,000 and 10,000
marked sentences (a bold word in the middle of each, placed by the alignment) through
`read_document`/`translate` as `/v2/document` runs them (past DEPECHE_MAX_DOCUMENT_CHARS
on purpose: a server refuses the larger); and the hostile inputs of issue 32
through `Translator.translate_article`: 100,000 letters, 100 KB of `Mme. X. `, an 833 KB
single-line HTML page, 1,000 nested spans. The French comes from the tests' corpus; the
model is the tests' tiny Marian (`tiny`: depeche's own cost, the engine's next to nothing)
or random weights with opus-mt-fr-en's architecture (`opus`, CTranslate2 int8, beam 4, the
output cap of the other benchmarks: 1.0 x source tokens + 5). With `--groups N`, it prints
instead the resident memory after each group of sentences of a text of N marked ones,
untraced.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on sys.path, where bench/http.py would shadow the
# standard library's http module: the project root takes its place.
sys.path[0] = str(ROOT)

from bench.common import BENCH_MODELS, peak_rss_mb, run_workers  # noqa: E402


def marked_docx(sentences: int) -> bytes:
    """A .docx of `sentences` paragraphs, each a sentence with a bold word in its middle."""
    import docx

    from tests.corpus import french_sentences

    corpus = french_sentences()
    document = docx.Document()
    for index in range(sentences):
        words = corpus[index % len(corpus)].split()
        middle = max(1, len(words) // 2)
        paragraph = document.add_paragraph(" ".join(words[:middle]) + " ")
        paragraph.add_run(words[middle] if middle < len(words) else "ici").bold = True
        paragraph.add_run(" " + " ".join(words[middle + 1 :]) if middle + 1 < len(words) else ".")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def html_page(size: int) -> str:
    """A page on one line, `size` characters, as some CMSs write one: the whole article in
    one `<div>`, its paragraphs apart by `<br><br>` (one block of prose for the reader), with
    links, emphasis and bare URLs."""
    from tests.corpus import french_sentences

    corpus = french_sentences()
    head = '<!DOCTYPE html><html lang="fr"><head><title>Le journal</title></head><body>'
    parts = [head + '<div class="contenu">']
    length, index = len(parts[0]), 0
    while length < size:
        first, second = corpus[index % len(corpus)], corpus[(index + 1) % len(corpus)]
        words = first.split()
        linked = f'<a href=/article?id={index}&rubrique=monde class="lien">{words[0]}</a>'
        piece = (
            f"{linked} {' '.join(words[1:])} <b>{second}</b> "
            f"Voir https://www.journal.fr/{index} pour plus.<br><br>"
        )
        parts.append(piece)
        length += len(piece)
        index += 2
    return "".join(parts) + "</div></body></html>"


CASES = {
    "docx, 1,000 marked sentences": ("docx", lambda: marked_docx(1_000)),
    "docx, 10,000 marked sentences": ("docx", lambda: marked_docx(10_000)),
    "text, 100,000 letters": ("text", lambda: "a" * 100_000),
    "text, 100 KB of `Mme. X. `": ("text", lambda: "Mme. X. " * 12_800),
    "html, 833 KB on one line": ("html", lambda: html_page(833_000)),
    "html, 1,000 nested spans": (
        "html",
        lambda: "<p>" + "<span>" * 1000 + "Le maire parle." + "</span>" * 1000 + "</p>",
    ),
}


def translator(name: str) -> object:
    from depeche.config import Settings
    from depeche.translator import Translator

    if name == "opus":
        from bench.common import depeche_translator, opus_model

        return depeche_translator(opus_model())
    from tests.factories import tiny_marian

    loaded = Translator(
        Settings(
            translation_model=str(tiny_marian()),
            models_dir=BENCH_MODELS,
            compute_type="float32",
            cache_url="none",
        )
    )
    loaded.load()
    return loaded


def worker(case: str, model: str) -> dict[str, float]:
    from depeche.documents import read_document
    from depeche.segment import segment

    loaded = translator(model)
    loaded.translate_article("Le *maire* parle.", "markdown")  # first-use costs out of it
    kind, make = CASES[case]
    data = make()
    start = time.perf_counter()
    if kind == "docx":
        # Past DEPECHE_MAX_DOCUMENT_CHARS on purpose: how a long document fares, if allowed.
        settings = loaded.settings.model_copy(update={"max_document_chars": 10**8})  # type: ignore[attr-defined]
        read = read_document(settings, data, "bench.docx")
    else:
        blocks, sources = segment(data, kind)  # type: ignore[arg-type]
        drafts = list(sources)
    read_s = time.perf_counter() - start
    if kind != "docx":
        read = None
        del blocks, drafts
    tracemalloc.start()
    start = time.perf_counter()
    if read is not None:
        result = read.translate(loaded)  # type: ignore[arg-type]
        billed = result.billed
    else:
        result = loaded.translate_article(data, kind)  # type: ignore[attr-defined]
        billed = len(data)
    seconds = time.perf_counter() - start
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "input_kb": len(data) / 1000,
        "characters": billed,
        "read_s": read_s,
        "translate_s": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "python_peak_mb": (peak - held) / 1e6,
    }


def rss_mb() -> float:
    """This process's resident memory now."""
    import os

    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def groups(model: str, sentences: int) -> None:
    """Resident memory after each group of sentences of a text of `sentences` marked ones
    (a URL in the middle of each), no tracing: whether it stays flat as the text goes on."""
    loaded = translator(model)
    loaded.translate_article("Le maire https://x.fr parle.", "text")  # type: ignore[attr-defined]
    complete = loaded._complete  # type: ignore[attr-defined]
    done = [0]

    def measured(drafts: list[object], glossary: object = None) -> object:
        found = complete(drafts, glossary)
        done[0] += len(drafts)
        print(f"| {done[0]:,} | {rss_mb():,.0f} MB |", flush=True)
        return found

    loaded._complete = measured  # type: ignore[attr-defined]
    text = "\n".join(
        f"Le maire numéro {i} de la ville a présenté https://x.fr/{i} le budget hier soir."
        for i in range(sentences)
    )
    print(f"model: {model}\n| sentences done | RSS |\n|---|---|")
    start = time.perf_counter()
    loaded.translate_article(text, "text")  # type: ignore[attr-defined]
    print(f"{sentences:,} sentences in {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["tiny", "opus"], default="tiny")
    parser.add_argument("--only", action="append", help="a case by the start of its name")
    parser.add_argument(
        "--groups", type=int, metavar="N", help="RSS after each group of a text of N sentences"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.groups:
        groups(args.model, args.groups)
        return
    if args.worker:
        print(json.dumps(worker(args.worker, args.model)))
        return
    names = [n for n in CASES if not args.only or any(n.startswith(o) for o in args.only)]
    print(f"model: {args.model}")
    print("| case | input | read | translated | peak RSS | Python peak beyond the result |")
    print("|---|---|---|---|---|---|")
    for name, found in run_workers(__file__, names, ["--model", args.model]):
        print(
            f"| {name} | {found['input_kb']:,.0f} KB | {found['read_s']:.2f} s "
            f"| {found['translate_s']:.1f} s | {found['peak_rss_mb']:,.0f} MB "
            f"| {found['python_peak_mb']:,.1f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
