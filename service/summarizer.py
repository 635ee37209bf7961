"""Summaries: condense English text with a BART-family model, long texts included.

A text longer than the model's input (1,024 tokens for BART) is cut at paragraph and
sentence boundaries into chunks; each chunk is summarized, and the chunk summaries are
condensed again, so no part of the text is silently dropped. Decoding defaults are the
model's own (its `generation_config.json`), which CTranslate2's converter does not carry.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from . import flags, sentences
from .cache import Cache, cache_key
from .config import Settings, get_settings
from .runtime import ModelRuntime

UNSUPPORTED_NUMBER = "unsupported_number"
LONGER_THAN_SOURCE = "longer_than_source"
TRUNCATED = "truncated"  # the model ran out of length inside its only sentence
TOKENS_PER_WORD = 1.4  # English with BART's byte-level BPE, to turn words into tokens
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass
class Summary:
    """A summary, its faithfulness flags, and how many chunks the source was cut into."""

    text: str
    flags: list[str] = field(default_factory=list)
    chunks: int = 1
    cache: str = "miss"


class Summarizer:
    """English text to a summary with the configured summarization model.

    >>> Summarizer().summarize(article_text, max_words=80)

    Overrides are any `Settings` field (`summarization_model` may be given as `model`).
    """

    def __init__(
        self, settings: Settings | None = None, *, cache: Cache | None = None, **overrides: Any
    ) -> None:
        if "model" in overrides:
            overrides["summarization_model"] = overrides.pop("model")
        base = settings or get_settings()
        self.settings = base.model_copy(update=overrides) if overrides else base
        self._cache = cache
        self._runtime: ModelRuntime | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model now rather than on first use."""
        self._load()

    def _load(self) -> ModelRuntime:
        with self._lock:
            if self._runtime is None:
                self._runtime = ModelRuntime(
                    self.settings, self.settings.summarization_model, relative_cap=False
                )
                if self._cache is None:
                    from .translator import open_cache

                    self._cache = open_cache(self.settings)
            return self._runtime

    @property
    def runtime(self) -> ModelRuntime:
        """The loaded model (loads it)."""
        return self._load()

    def close(self) -> None:
        """Free the model."""
        with self._lock:
            if self._runtime is not None:
                self._runtime.close()
                self._runtime = None

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
        assert self._cache is not None
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
                keys[index] = cache_key("summary", context, source)
        cached = self._cache.get_many(list(dict.fromkeys(keys.values())))
        for index, key in keys.items():
            if key in cached:
                with contextlib.suppress(ValueError, TypeError):
                    results[index] = Summary(**{**json.loads(cached[key]), "cache": "hit"})
        todo = [i for i in keys if i not in results]
        fresh = self._summarize(runtime, [sources[i] for i in todo], max_words, min_words)
        self._cache.set_many(
            {keys[i]: json.dumps(asdict(s)).encode() for i, s in zip(todo, fresh, strict=True)}
        )
        results.update(zip(todo, fresh, strict=True))
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
            outputs, _ = runtime.generate(runtime.tokenizer.encode(flat))
            decoded = iter(runtime.tokenizer.decode(outputs))
            chunked = [
                self.chunks("\n\n".join(next(decoded) for _ in chunks))
                if len(chunks) > 1
                else chunks
                for chunks in chunked
            ]
        outputs, _ = runtime.generate(runtime.tokenizer.encode([c[0] for c in chunked]), options)
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
    """Flags: a number the source does not have; a summary longer than its source."""
    found = []
    if not flags.numbers(summary) <= flags.numbers(source):
        found.append(UNSUPPORTED_NUMBER)
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
