"""Summaries: condense English text with a BART-family model, long texts included.

A text longer than the model's input (1,024 tokens for BART) is cut at paragraph and
sentence boundaries into chunks; each chunk is summarized, and the chunk summaries are
condensed again, so no part of the text is silently dropped. Decoding defaults are the
model's own (its `generation_config.json`), which CTranslate2's converter does not carry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from . import flags, names, sentences, sources
from .cache import Cache
from .cache.responses import ResponseCache
from .pipeline import Pipeline, check_encodable
from .results import ArticleResult, Summary
from .runtime import ModelRuntime

__all__ = ["Summarizer", "Summary"]

UNSUPPORTED_NUMBER = sources.UNSUPPORTED_NUMBER
UNSUPPORTED_NAME = sources.UNSUPPORTED_NAME
UNSUPPORTED = sources.UNSUPPORTED
LONGER_THAN_SOURCE = "longer_than_source"
TRUNCATED = "truncated"  # the model ran out of length inside its only sentence
TOKENS_PER_WORD = 1.4  # English with BART's byte-level BPE, to turn words into tokens
WARM_UP_TOKENS = 8  # output tokens of the warm-up run
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


class Summarizer(Pipeline):
    """English text to a summary with the configured summarization model.

    >>> Summarizer().summarize(article_text, max_words=80)
    >>> Summarizer().summarize_articles([translator.translate_article(text, "markdown")])

    Overrides are any `Settings` field (`summarization_model` may be given as `model`).
    It loads its model on first use, not when constructed. Safe to share between threads.
    """

    model_setting = "summarization_model"
    _responses: ResponseCache[Summary]

    def _build(self) -> ModelRuntime:
        return ModelRuntime(
            self.settings,
            self.settings.summarization_model,
            relative_cap=False,
            batching=self._batching,
        )

    def _loaded(self, runtime: ModelRuntime, cache: Cache) -> None:
        self._responses = ResponseCache(cache, "summary", Summary.to_dict, Summary.from_dict)

    def warm_up(self) -> None:
        """Run the engine once on a short text, outside the cache. A few output tokens are
        enough to make its first allocations: a whole summary (56 tokens at least) would
        cost seconds of the start."""
        runtime = self._load()
        short = replace(runtime.options, min_length=0, max_length=WARM_UP_TOKENS)
        runtime.tokenizer.decode(
            runtime.generate(runtime.tokenizer.encode(["The service starts."]), short)[0]
        )

    def summarize_articles(
        self,
        results: Sequence[ArticleResult],
        max_words: int | None = None,
        min_words: int | None = None,
    ) -> None:
        """Summarize translated articles together (their chunks share engine batches); each
        result's `summary` is set, with its sentences and the segments each draws on."""
        prose = [result.english_prose() for result in results]
        summaries = self.summarize_many(prose, max_words, min_words)
        for result, summary in zip(results, summaries, strict=True):
            result.summary = sources.attach(summary, result)

    def summarize(
        self, text: str, max_words: int | None = None, min_words: int | None = None
    ) -> Summary:
        """Summarize `text`. A text no longer than the summary asked for comes back as is."""
        return self.summarize_many([text], max_words, min_words)[0]

    def summarize_many(
        self, texts: Sequence[str], max_words: int | None = None, min_words: int | None = None
    ) -> list[Summary]:
        """Summarize several texts; their chunks share engine batches."""
        runtime = self._load()
        check_encodable(texts)
        sources = [text.strip() for text in texts]
        limit_words = max_words or int((runtime.options.max_length - 1) / TOKENS_PER_WORD)
        context = {**runtime.context, "max_words": max_words, "min_words": min_words}
        results: dict[int, Summary] = {}
        keys: dict[int, str] = {}
        for index, source in enumerate(sources):
            words = len(source.split())
            if words <= limit_words or words <= (min_words or 0):
                results[index] = Summary(source, [], 0)
            else:
                keys[index] = self._responses.key(context, source)
        todo = list(keys)
        found = self._responses.through(
            [keys[i] for i in todo],
            lambda missing: self._summarize(
                runtime, [sources[todo[i]] for i in missing], max_words, min_words
            ),
        )
        results.update(zip(todo, found, strict=True))
        return [results[i] for i in range(len(sources))]

    def _summarize(
        self,
        runtime: ModelRuntime,
        sources: Sequence[str],
        max_words: int | None,
        min_words: int | None,
    ) -> list[Summary]:
        if not sources:
            return []
        options = runtime.options
        if max_words:
            max_length = min(options.max_length, int(max_words * TOKENS_PER_WORD) + 2)
            options = replace(
                options, max_length=max_length, min_length=min(options.min_length, max_length // 2)
            )
        if min_words:
            wanted = int(min_words * TOKENS_PER_WORD) + 1
            options = replace(options, min_length=min(wanted, options.max_length - 2))
        chunked = [self.chunks(source) for source in sources]
        counts = [len(chunks) for chunks in chunked]
        while any(len(chunks) > 1 for chunks in chunked):
            # Summarize every chunk with the model's own lengths, then condense the results.
            flat = [chunk for chunks in chunked if len(chunks) > 1 for chunk in chunks]
            outputs, _, _ = runtime.generate(runtime.tokenizer.encode(flat))
            decoded = iter(runtime.tokenizer.decode(outputs))
            chunked = [
                self.chunks("\n\n".join(next(decoded) for _ in chunks))
                if len(chunks) > 1
                else chunks
                for chunks in chunked
            ]
        outputs, _, _ = runtime.generate(runtime.tokenizer.encode([c[0] for c in chunked]), options)
        summaries = []
        for source, count, text in zip(
            sources, counts, runtime.tokenizer.decode(outputs), strict=True
        ):
            text, truncated = whole_sentences(text, max_words)
            found = ([TRUNCATED] if truncated else []) + faithfulness(source, text)
            summaries.append(Summary(text, found, count))
        return summaries

    def chunks(self, text: str) -> list[str]:
        """`text` cut at paragraph, then sentence, then clause boundaries into pieces that
        each fit the model's input."""
        runtime = self._load()
        limit = runtime.input_limit - 2  # room for <s> and </s>
        count = runtime.tokenizer.count
        pieces: list[str] = []
        for paragraph in re.split(r"\n\s*\n", text):
            paragraph = paragraph.strip()
            if not paragraph:
                continue
            if count(paragraph) <= limit:
                pieces.append(paragraph)
                continue
            for a, b in sentences.split(paragraph, "en"):
                sentence = paragraph[a:b]
                if count(sentence) <= limit:
                    pieces.append(sentence)
                else:
                    pieces.extend(
                        sentence[x:y] for x, y in sentences.split_long(sentence, count, limit)
                    )
        return _pack(pieces, count, limit)


def _pack(pieces: Sequence[str], count: Any, limit: int) -> list[str]:
    """Join consecutive pieces while they fit in `limit` tokens."""
    chunks: list[str] = []
    for piece in pieces:
        if chunks and count(chunks[-1] + "\n\n" + piece) <= limit:
            chunks[-1] = chunks[-1] + "\n\n" + piece
        else:
            chunks.append(piece)
    return chunks


def faithfulness(source: str, summary: str) -> list[str]:
    """Flags: a number or a name the source does not have; a summary longer than its
    source."""
    found = []
    if not flags.numbers(summary) <= flags.numbers(source):
        found.append(UNSUPPORTED_NUMBER)
    if names.unsupported(source, summary):
        found.append(UNSUPPORTED_NAME)
    if len(summary.split()) > len(source.split()):
        found.append(LONGER_THAN_SOURCE)
    return found


def whole_sentences(summary: str, max_words: int | None) -> tuple[str, bool]:
    """Drop an unfinished last sentence and sentences past `max_words`; never cut inside one.

    Returns the text and whether its only sentence is unfinished (kept, and flagged).
    """
    spans = sentences.split(summary, "en")
    kept = [summary[a:b] for a, b in spans]
    if len(kept) > 1 and not _TERMINAL.search(kept[-1]):
        kept.pop()
    while max_words and len(kept) > 1 and len(" ".join(kept).split()) > max_words:
        kept.pop()
    text = " ".join(kept)
    return text, bool(text) and not _TERMINAL.search(text)
