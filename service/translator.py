"""The translation path: article -> blocks -> sentences -> cache -> engine -> reassembly.

`Translator` is the Python entry point newsrooms script against, and what the CLI and the
HTTP service call. It loads its model on first use, not when constructed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from functools import partial
from typing import Any, Literal

from . import article, flags, items, language, sentences
from .approvals import ApprovedTranslations
from .cache import Cache
from .cache.responses import ResponseCache
from .config import Settings
from .engines import DecodingOptions
from .errors import StoreUnavailableError
from .formats import Block, DocumentFormat, Format, HtmlOptions, detect, is_wire
from .formats.wire import WireDocument
from .glossary import Glossary
from .items import ItemResult
from .models import ModelSource
from .pipeline import Pipeline, check_encodable
from .queue import Batching
from .reassembly import reassemble, restore
from .results import ArticleResult, Output, Segment
from .runtime import ModelRuntime, Stats
from .sentence_cache import SentenceCache
from .store import Store, open_store

log = logging.getLogger(__name__)

# After the store could not be opened, how long translations go on without approvals before
# it is tried again.
STORE_RETRY_S = 30.0
WARM_UP = "*Essai*\n\nLe service démarre. Il traduit les articles de la rédaction.\n"
# Sentences translated together: their drafts, engine outputs and alignments are freed once
# they are done, so that memory stays flat however long a document is. Large enough that
# engine batches stay full and sorted by length.
GROUP = 512


class Translator(Pipeline):
    """French to English with the configured Marian model.

    >>> translator = Translator()                      # DEPECHE_* settings
    >>> translator = Translator(model="path/to/hf-dir", engine="transformers")
    >>> translator.translate(["Le maire a parlé.", "Il pleut."])
    >>> translator.translate_article(markdown_text, "markdown").text
    >>> translator.translate(["Le Minrex a parlé."], glossary=Glossary.of({"Minrex": "..."}))

    Overrides are any `Settings` field (`translation_model` may be given as `model`).
    It loads its model on first use, not when constructed; the store of approved
    translations (`store`, else `DEPECHE_STORE_URL`'s) is opened on first use too. Safe to
    share between threads.
    """

    model_setting = "translation_model"
    _sentences: SentenceCache
    _responses: ResponseCache[ArticleResult]
    _default_glossary: Glossary | None

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        cache: Cache | None = None,
        store: Store | None = None,
        batching: Batching | None = None,
        **overrides: Any,
    ) -> None:
        super().__init__(settings, cache=cache, batching=batching, **overrides)
        self._store = store
        self._owns_store = store is None
        self._store_lock = threading.Lock()
        self._store_down_until = 0.0

    def _build(self) -> ModelRuntime:
        settings = self.settings
        # The language identifier unpacks its model while the engine loads.
        language.preload(settings.models_dir)
        return ModelRuntime(
            settings,
            settings.translation_model,
            beam_size=settings.beam_size,
            batching=self._batching,
        )

    def _loaded(self, runtime: ModelRuntime, cache: Cache) -> None:
        path = self.settings.glossary
        self._default_glossary = Glossary.load(path) if path else None
        self._sentences = SentenceCache(cache, runtime.context)
        self._responses = ResponseCache(
            cache, "document", ArticleResult.to_dict, ArticleResult.from_dict
        )

    def warm_up(self) -> None:
        """Run each stage once on a short text, outside the cache, so that the first request
        pays neither for the engine's first allocations nor for what loads on first use (the
        language identifier, which unpacks its model where no process has yet: most of a
        second with the GIL held)."""
        runtime = self._load()
        _, drafts = article.segment(WARM_UP, "markdown")
        plain = [draft.inline.plain for draft in drafts if draft.has_prose]
        for text in plain:
            language.is_english(text)
        runtime.tokenizer.decode(runtime.generate(runtime.tokenizer.encode(plain))[0])

    @property
    def model(self) -> ModelSource:
        """The model in use (loads it)."""
        return self._load().source

    @property
    def options(self) -> DecodingOptions:
        """The decoding settings in use (loads the model)."""
        return self._load().options

    def close(self) -> None:
        """Free the model, and the store if this translator opened it; the next call loads
        them again."""
        super().close()
        with self._store_lock:
            if self._owns_store and self._store is not None:
                self._store.close()
                self._store = None

    @property
    def store(self) -> Store:
        """The store of approved translations (opened on first use)."""
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    self._store = open_store(self.settings)
        return self._store

    @property
    def approved(self) -> ApprovedTranslations:
        """The translations editors approved, and suggestions waiting for them."""
        return ApprovedTranslations(self.store)

    def _approvals(self) -> ApprovedTranslations | None:
        """The approvals for translating: None (the model answers alone) while the store
        cannot be opened, tried again `STORE_RETRY_S` later."""
        if self._store is None and time.monotonic() < self._store_down_until:
            return None
        try:
            return self.approved
        except StoreUnavailableError as exc:
            self._store_down_until = time.monotonic() + STORE_RETRY_S
            log.warning("translating without approved translations: %s", exc)
            return None

    def _generation(self) -> str:
        memory = self._approvals()
        return memory.generation() if memory is not None else "unavailable"

    @property
    def default_glossary(self) -> Glossary | None:
        """The glossary used when a call names none (`DEPECHE_GLOSSARY`; loads the model)."""
        self._load()
        return self._default_glossary

    @property
    def stats(self) -> Stats:
        """What the engine has done so far (loads the model)."""
        return self._load().stats

    # -- articles ----------------------------------------------------------------------------

    def translate(self, texts: Sequence[str], glossary: Glossary | None = None) -> list[str]:
        """Translate plain texts; line layout and paragraph breaks are kept."""
        return [result.text for result in self.translate_articles(texts, glossary=glossary)]

    def translate_article(
        self,
        text: str,
        format: DocumentFormat | Literal["auto"] = "text",
        options: HtmlOptions | None = None,
        glossary: Glossary | None = None,
    ) -> ArticleResult:
        """Translate one article, returning its text, blocks and segments."""
        return self.translate_articles([text], format, options, glossary)[0]

    def translate_articles(
        self,
        texts: Sequence[str],
        format: DocumentFormat | Literal["auto"] = "text",
        options: HtmlOptions | None = None,
        glossary: Glossary | None = None,
    ) -> list[ArticleResult]:
        """Translate articles together: their sentences share engine batches.

        `format` "auto" reads each text as `formats.detect` finds it; `options` tune how HTML
        is read (DeepL's tag handling); `glossary` (else `DEPECHE_GLOSSARY`'s) gives terms
        that come out as written there. Whole articles come from the response cache when they
        can; the others are cut into sentences, which come from approved translations, the
        sentence cache or the engine. A news item or feed (`ninjs`, `newsml`, `rss`, `atom`)
        is translated as the articles it holds (`items`), with the others of the call.
        """
        self._load()
        check_encodable(texts)
        glossary = glossary or self._default_glossary
        found: list[DocumentFormat] = [detect(t) if format == "auto" else format for t in texts]
        articles = partial(self._articles, options=options, glossary=glossary)
        prose = [f for f in found if not is_wire(f)]
        if len(prose) < len(found):
            return items.translate(texts, found, articles)
        return articles(texts, prose, [None] * len(texts))

    def translate_items(
        self, documents: Sequence[WireDocument], glossary: Glossary | None = None
    ) -> list[ItemResult]:
        """Translate news items or feeds already read (`formats.read_wire`), together: a feed
        whose new entries were `select`ed has only their pieces translated."""
        self._load()
        check_encodable([document.text for document in documents])
        glossary = glossary or self._default_glossary
        return items.translate_documents(
            documents, partial(self._articles, options=None, glossary=glossary)
        )

    def _articles(
        self,
        texts: Sequence[str],
        found: Sequence[Format],
        options_each: Sequence[HtmlOptions | None],
        options: HtmlOptions | None,
        glossary: Glossary | None,
    ) -> list[ArticleResult]:
        """Articles through the response cache; each text read with its own HTML options
        (else `options`)."""
        read = [self._html_options(o or options) for o in options_each]
        generation = self._generation()  # one read for every text
        keys = [
            self._key(text, f, o, glossary, generation)
            for text, f, o in zip(texts, found, read, strict=True)
        ]
        return self._responses.through(
            keys,
            lambda todo: self._translate_fresh(
                [texts[i] for i in todo],
                [found[i] for i in todo],
                [read[i] for i in todo],
                glossary,
            ),
        )

    def _html_options(self, options: HtmlOptions | None) -> HtmlOptions:
        """How HTML is read: the request's options, with this server's attribute setting."""
        return replace(options or HtmlOptions(), attributes=self.settings.translate_html_attributes)

    def _key(
        self,
        text: str,
        format: Format,
        options: HtmlOptions | None = None,
        glossary: Glossary | None = None,
        generation: str | None = None,
    ) -> str:
        """The response-cache key of a whole article."""
        html = asdict(options) if format == "html" and options else None
        read = {
            "format": format,
            "html": html,
            "glossary": glossary.digest if glossary else None,
            # A correction approved since an article was cached changes it.
            "approved": self._generation() if generation is None else generation,
            "low_confidence": self.settings.low_confidence,
        }
        return self._responses.key({**self._load().context, **read}, text)

    def stream_article(
        self,
        text: str,
        format: DocumentFormat | Literal["auto"] = "text",
        group: int = 8,
        glossary: Glossary | None = None,
    ) -> Iterator[tuple[list[Block], list[Segment], ArticleResult | None]]:
        """Translate `text` a few sentences at a time, for pages that show progress.

        Yields (blocks, segments just done, None) as groups finish, then (blocks, [], the
        whole article) once. The response cache is used whole or not at all. A news item or
        feed comes whole, in one group.
        """
        self._load()
        check_encodable([text])
        found = detect(text) if format == "auto" else format
        if is_wire(found):
            result = self.translate_article(text, found, glossary=glossary)
            yield result.blocks, result.segments, None
            yield result.blocks, [], result
            return
        options = self._html_options(None)
        glossary = glossary or self._default_glossary
        key = self._key(text, found, options, glossary)
        cached = self._responses.get_many([key]).get(key)
        if cached is not None:
            yield cached.blocks, cached.segments, None
            yield cached.blocks, [], cached
            return
        doc_blocks, drafts = article.segment(text, found, options)
        from_memory = False
        for first in range(0, len(drafts), group):
            chunk = drafts[first : first + group]
            from_memory |= bool(self._complete(chunk, glossary))
            yield doc_blocks, [d.segment for d in chunk], None
        segments = [d.segment for d in drafts]
        result = ArticleResult(
            reassemble(text, segments),
            doc_blocks,
            segments,
            None,
            "partial" if from_memory else "miss",
            found,
        )
        self._responses.set_many({key: result})
        yield doc_blocks, [], result

    def _complete(
        self, drafts: Sequence[article.Draft], glossary: Glossary | None = None
    ) -> set[int]:
        """Translate drafts in place (English kept, markup restored, flags set); returns
        the ids of the drafts that came from approvals or the sentence cache."""
        prose = [d for d in drafts if d.has_prose]
        english = [d for d in prose if language.is_english(d.inline.plain)]
        for draft in english:
            draft.segment.flag({flags.ENGLISH: flags.KEPT_ENGLISH})
        kept = {id(d) for d in english}
        to_model = [d for d in prose if id(d) not in kept]
        # Text inside markup (an image's alt) is translated with the sentences, in one go.
        inside = list(dict.fromkeys(t for d in to_model for t in d.markup_text()))
        outputs = self._translate([d.inline.plain for d in to_model] + inside)
        translated = {t: o.text for t, o in zip(inside, outputs[len(to_model) :], strict=True)}
        outputs = outputs[: len(to_model)]
        if translated:
            for draft in to_model:
                draft.translate_markup(translated)
        restore(to_model, outputs, self._load().align, glossary, self.settings.low_confidence)
        return {id(d) for d, o in zip(to_model, outputs, strict=True) if o.cached}

    def _translate_fresh(
        self,
        texts: Sequence[str],
        found: Sequence[Format],
        options: Sequence[HtmlOptions],
        glossary: Glossary | None,
    ) -> list[ArticleResult]:
        blocks: list[list[Block]] = []
        segments: list[list[Segment]] = [[] for _ in texts]
        remembered = [False] * len(
            texts
        )  # some of its sentences came from approvals or the sentence cache
        pending: list[tuple[int, article.Draft]] = []  # (its article, the draft)

        def complete() -> None:
            from_memory = self._complete([draft for _, draft in pending], glossary)
            for owner, draft in pending:
                remembered[owner] |= id(draft) in from_memory
            pending.clear()

        for owner, (text, format, read) in enumerate(zip(texts, found, options, strict=True)):
            doc_blocks, drafts = article.read(text, format, read)
            blocks.append(doc_blocks)
            for draft in drafts:
                segments[owner].append(draft.segment)
                pending.append((owner, draft))
                if len(pending) >= GROUP:
                    complete()
        complete()
        return [
            ArticleResult(
                reassemble(text, doc_segments),
                doc_blocks,
                doc_segments,
                None,
                "partial" if from_memory else "miss",
                format,
            )
            for text, format, doc_blocks, doc_segments, from_memory in zip(
                texts, found, blocks, segments, remembered, strict=True
            )
        ]

    def alternatives(self, texts: Sequence[str], count: int) -> list[list[str]]:
        """Up to `count` other translations of each plain text, from the beam's n-best
        lists: alternative k puts each translated sentence's k-th runner-up in its place
        (sentences kept as they were, or an editor's, stay so). Fewer when the beam has no
        more."""
        results = self.translate_articles(texts, "text")
        runtime = self._load()
        translated = [
            s
            for r in results
            for s in r.segments
            if not {flags.ENGLISH, flags.UNTRANSLATED} & set(s.flags) and s.memory is None
        ]
        unique = list(dict.fromkeys(s.source for s in translated))
        found = dict(zip(unique, runtime.alternatives(unique, count + 1), strict=True))
        answers = []
        for text, result in zip(texts, results, strict=True):
            variants: list[str] = []
            for rank in range(1, count + 1):
                segments = [
                    replace(s, translation=found[s.source][rank])
                    if s.source in found and rank < len(found[s.source])
                    else s
                    for s in result.segments
                ]
                variant = reassemble(text, segments)
                if variant != result.text and variant not in variants:
                    variants.append(variant)
            answers.append(variants)
        return answers

    # -- sentences ---------------------------------------------------------------------------

    def translate_sentences(self, batch: Sequence[str]) -> list[str]:
        """Translate sentences one for one. A sentence over the model's input limit is cut at
        clause boundaries and its pieces translated and joined: nothing is dropped."""
        return [output.text for output in self._translate(batch)]

    def _translate(self, batch: Sequence[str]) -> list[Output]:
        if not batch:
            return []
        runtime = self._load()
        unique = list(dict.fromkeys(batch))
        memory = self._approvals()
        approved = memory.lookup(unique) if memory is not None else {}
        found = {
            source: Output(approval.text, cached=True, approved=True)
            for source, approval in approved.items()
        }
        found.update(self._sentences.lookup([s for s in unique if s not in found]))
        missing = [s for s in unique if s not in found]
        fresh = self._run_engine(runtime, missing)
        self._sentences.store(fresh)
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
        generated, capped, scores = runtime.generate(pieces)
        texts = runtime.tokenizer.decode(generated)
        grouped: list[list[int]] = [[] for _ in unique]
        for index, owner in enumerate(owners):
            grouped[owner].append(index)
        return {
            sentence: Output(
                " ".join(texts[i] for i in indices),
                any(capped[i] for i in indices),
                (pieces[indices[0]], generated[indices[0]]) if len(indices) == 1 else None,
                score=_joined_score([scores[i] for i in indices], [generated[i] for i in indices]),
            )
            for sentence, indices in zip(unique, grouped, strict=True)
        }


def _joined_score(scores: Sequence[float], outputs: Sequence[list[int]]) -> float:
    """The mean log-probability per token of pieces translated apart and joined: each
    piece's mean weighted by its tokens (its end of sentence included)."""
    weights = [len(ids) + 1 for ids in outputs]
    return sum(s * w for s, w in zip(scores, weights, strict=True)) / sum(weights)
