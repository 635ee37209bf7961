"""The translation path: article -> blocks -> sentences -> cache -> engine -> reassembly.

`Translator` is the Python entry point newsrooms script against, and what the CLI and the
HTTP service call. It loads its model on first use, not when constructed.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from . import article, flags, language, markup, sentences
from .blocks import Format
from .cache import Cache, cache_key, open_backend
from .config import Settings, get_settings
from .document import Block, Segment, TranslatedDocument
from .engines import DecodingOptions
from .memory import TranslationMemory
from .models import ModelSource
from .reassembly import reassemble
from .runtime import ModelRuntime, Output, Stats

WARM_UP = "*Essai*\n\nLe service démarre. Il traduit les articles de la rédaction.\n"


def open_cache(settings: Settings) -> Cache:
    """The cache `settings` ask for (relative SQLite paths live in the models directory)."""
    backend = open_backend(settings.cache_url, settings.cache_max_bytes, root=settings.models_dir)
    return Cache(backend, ttl=settings.cache_ttl)


class Translator:
    """French to English with the configured Marian model.

    >>> translator = Translator()                      # DEPECHE_* settings
    >>> translator = Translator(model="path/to/hf-dir", engine="transformers")
    >>> translator.translate(["Le maire a parlé.", "Il pleut."])

    Overrides are any `Settings` field (`translation_model` may be given as `model`).
    `cache` replaces the cache the settings describe. Safe to share between threads.
    """

    def __init__(
        self, settings: Settings | None = None, *, cache: Cache | None = None, **overrides: Any
    ) -> None:
        if "model" in overrides:
            overrides["translation_model"] = overrides.pop("model")
        base = settings or get_settings()
        self.settings = base.model_copy(update=overrides) if overrides else base
        self._cache = cache
        self._runtime: ModelRuntime | None = None
        self._memory: TranslationMemory | None = None
        self._load_lock = threading.Lock()

    # -- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        """Load the tokenizer and the engine now rather than on first use."""
        self._load()

    def _load(self) -> ModelRuntime:
        if self._runtime is not None:
            return self._runtime
        with self._load_lock:
            if self._runtime is None:
                settings = self.settings
                runtime = ModelRuntime(
                    settings, settings.translation_model, beam_size=settings.beam_size
                )
                if self._cache is None:
                    self._cache = open_cache(self.settings)
                self._memory = TranslationMemory(self._cache, runtime.context)
                self._runtime = runtime
        return self._runtime

    def warm_up(self) -> None:
        """Run each stage once on a short text, outside the cache, so that the first request
        pays neither for the engine's first allocations nor for what loads on first use (the
        language identifier's model: half a second with the GIL held)."""
        runtime = self._load()
        _, drafts = article.segment(WARM_UP, "markdown")
        plain = [draft.inline.plain for draft in drafts if draft.has_prose]
        for text in plain:
            language.is_english(text)
        runtime.tokenizer.decode(runtime.generate(runtime.tokenizer.encode(plain))[0])

    @property
    def runtime(self) -> ModelRuntime:
        """The loaded model (loads it)."""
        return self._load()

    @property
    def model(self) -> ModelSource:
        """The model in use (loads it)."""
        return self._load().source

    @property
    def options(self) -> DecodingOptions:
        """The decoding settings in use (loads the model)."""
        return self._load().options

    @property
    def stats(self) -> Stats:
        """What the engine has done so far (loads the model)."""
        return self._load().stats

    @property
    def cache(self) -> Cache:
        """The cache in use (loads the model)."""
        self._load()
        assert self._cache is not None
        return self._cache

    def close(self) -> None:
        """Free the model; the next call loads it again."""
        with self._load_lock:
            if self._runtime is not None:
                self._runtime.close()
                self._runtime = None

    # -- documents ---------------------------------------------------------------------------

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate plain texts; line layout and paragraph breaks are kept."""
        return [doc.text for doc in self.translate_documents(texts)]

    def translate_document(self, text: str, format: Format = "text") -> TranslatedDocument:
        """Translate one document, returning its text, blocks and segments."""
        return self.translate_documents([text], format)[0]

    def translate_documents(
        self, texts: Sequence[str], format: Format = "text"
    ) -> list[TranslatedDocument]:
        """Translate documents together: their sentences share engine batches.

        Whole documents come from the response cache when they can; the others are cut into
        sentences, which come from the translation memory or the engine.
        """
        keys = [self._document_key(text, format) for text in texts]
        cached = self.cache.get_many(list(dict.fromkeys(keys)))
        results: dict[int, TranslatedDocument] = {}
        for index, key in enumerate(keys):
            if key in cached:
                # An unreadable entry is a miss: the document is translated again.
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    results[index] = TranslatedDocument.from_dict(json.loads(cached[key]))
        todo = [i for i in range(len(texts)) if i not in results]
        fresh = self._translate_fresh([texts[i] for i in todo], format)
        self.cache.set_many(
            {keys[i]: json.dumps(d.as_dict()).encode() for i, d in zip(todo, fresh, strict=True)}
        )
        results.update(zip(todo, fresh, strict=True))
        return [results[i] for i in range(len(texts))]

    def _document_key(self, text: str, format: Format) -> str:
        """The response-cache key of a whole document."""
        return cache_key("document", {**self._load().context, "format": format}, text)

    def stream_document(
        self, text: str, format: Format = "text", group: int = 8
    ) -> Iterator[tuple[list[Block], list[Segment], TranslatedDocument | None]]:
        """Translate `text` a few sentences at a time, for pages that show progress.

        Yields (blocks, segments just done, None) as groups finish, then (blocks, [], the
        whole document) once. The response cache is used whole or not at all.
        """
        key = self._document_key(text, format)
        cached = self.cache.get_many([key]).get(key)
        if cached is not None:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                document = TranslatedDocument.from_dict(json.loads(cached))
                yield document.blocks, document.segments, None
                yield document.blocks, [], document
                return
        doc_blocks, drafts = article.segment(text, format)
        from_memory = False
        for first in range(0, len(drafts), group):
            chunk = drafts[first : first + group]
            from_memory |= bool(self._complete(chunk))
            yield doc_blocks, [d.segment for d in chunk], None
        segments = [d.segment for d in drafts]
        document = TranslatedDocument(
            reassemble(text, segments), doc_blocks, segments, "partial" if from_memory else "miss"
        )
        self.cache.set_many({key: json.dumps(document.as_dict()).encode()})
        yield doc_blocks, [], document

    def _complete(self, drafts: Sequence[article.Draft]) -> set[int]:
        """Translate drafts in place (English kept, markup restored, flags set); returns
        the ids of the drafts that came from the translation memory."""
        prose = [d for d in drafts if d.has_prose]
        english = [d for d in prose if language.is_english(d.inline.plain)]
        for draft in english:
            draft.segment.flags = [flags.ENGLISH]
        kept = {id(d) for d in english}
        to_model = [d for d in prose if id(d) not in kept]
        outputs = self._translate([d.inline.plain for d in to_model])
        self._restore(to_model, outputs)
        return {id(d) for d, o in zip(to_model, outputs, strict=True) if o.cached}

    def _translate_fresh(self, texts: Sequence[str], format: Format) -> list[TranslatedDocument]:
        parsed = [article.segment(text, format) for text in texts]
        drafts = [draft for _, doc_drafts in parsed for draft in doc_drafts]
        from_memory = self._complete(drafts)
        documents = []
        for text, (doc_blocks, doc_drafts) in zip(texts, parsed, strict=True):
            segments = [d.segment for d in doc_drafts]
            state = "partial" if any(id(d) in from_memory for d in doc_drafts) else "miss"
            documents.append(
                TranslatedDocument(reassemble(text, segments), doc_blocks, segments, state)
            )
        return documents

    def _restore(self, drafts: Sequence[article.Draft], outputs: Sequence[Output]) -> None:
        """Put markup back around the aligned words, and flag each translation."""
        runtime = self._load()
        needs_alignment = [
            (draft, output)
            for draft, output in zip(drafts, outputs, strict=True)
            if any(not _spans_all(m, draft.inline.plain) for m in draft.inline.marks)
        ]
        alignments = runtime.align(
            [d.inline.plain for d, _ in needs_alignment], [o for _, o in needs_alignment]
        )
        aligned = {id(d): a for (d, _), a in zip(needs_alignment, alignments, strict=True)}
        for draft, output in zip(drafts, outputs, strict=True):
            alignment = aligned.get(id(draft), [])
            draft.segment.translation = markup.restore(output.text, draft.inline, alignment)
            draft.segment.flags = flags.flag(draft.inline.plain, output.text, capped=output.capped)

    # -- sentences ---------------------------------------------------------------------------

    def translate_sentences(self, batch: Sequence[str]) -> list[str]:
        """Translate sentences one for one. A sentence over the model's input limit is cut at
        clause boundaries and its pieces translated and joined: nothing is dropped."""
        return [output.text for output in self._translate(batch)]

    def _translate(self, batch: Sequence[str]) -> list[Output]:
        if not batch:
            return []
        runtime = self._load()
        assert self._memory is not None
        unique = list(dict.fromkeys(batch))
        found = self._memory.lookup(unique)
        missing = [s for s in unique if s not in found]
        fresh = self._run_engine(runtime, missing)
        self._memory.store(fresh)
        found.update(fresh)
        return [found[s] for s in batch]

    def _run_engine(self, runtime: ModelRuntime, unique: Sequence[str]) -> dict[str, Output]:
        if not unique:
            return {}
        pieces: list[list[int]] = []
        owners: list[int] = []
        for owner, (sentence, encoded) in enumerate(
            zip(unique, runtime.tokenizer.encode(unique), strict=True)
        ):
            if len(encoded) <= runtime.input_limit:
                pieces.append(encoded)
                owners.append(owner)
                continue
            count = runtime.tokenizer.count
            cuts = sentences.split_long(sentence, count, runtime.input_limit)
            pieces.extend(runtime.tokenizer.encode([sentence[a:b] for a, b in cuts]))
            owners.extend([owner] * len(cuts))
        generated, capped = runtime.generate(pieces)
        texts = runtime.tokenizer.decode(generated)
        grouped: list[list[int]] = [[] for _ in unique]
        for index, owner in enumerate(owners):
            grouped[owner].append(index)
        return {
            sentence: Output(
                " ".join(texts[i] for i in indices),
                any(capped[i] for i in indices),
                (pieces[indices[0]], generated[indices[0]]) if len(indices) == 1 else None,
            )
            for sentence, indices in zip(unique, grouped, strict=True)
        }


def _spans_all(mark: markup.Mark, plain: str) -> bool:
    """A mark around the whole sentence (a bold caption) needs no alignment."""
    return mark.start <= 0 and mark.end >= len(plain) and not mark.atom
