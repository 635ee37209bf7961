"""The translator: the article-level API over the stages of the article path (`articles`).

`Translator` is the Python entry point newsrooms script against, and what the CLI and the
HTTP service call. It loads its model on first use, not when constructed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal, cast

from . import items, language
from .alternatives import alternatives
from .approvals import ApprovalsStore, ApprovedTranslations
from .articles import Article, ArticlePath, Progress
from .formats import DocumentFormat, Format, HtmlOptions, detect, is_wire
from .glossary import Glossary
from .pipeline import Pipeline, check_encodable
from .runtime import ModelRuntime
from .segment import segment

if TYPE_CHECKING:
    from .cache import Cache
    from .config import Settings
    from .engines import DecodingOptions
    from .formats.wire import WireDocument
    from .models import ModelSource
    from .queue import Batching
    from .results import ArticleResult
    from .runtime import Stats
    from .store import Store

WARM_UP = "*Essai*\n\nLe service démarre. Il traduit les articles de la rédaction.\n"


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
    _path: ArticlePath
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
        self._approvals = ApprovalsStore(self.settings, store)

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
        self._path = ArticlePath.build(
            runtime, cache, self._approvals.for_translating, self.settings.low_confidence
        )

    def warm_up(self) -> None:
        """Run each stage once on a short text, outside the cache, so that the first request
        pays neither for the engine's first allocations nor for what loads on first use (the
        language identifier, which unpacks its model where no process has yet: most of a
        second with the GIL held)."""
        runtime = self._load()
        _, sources = segment(WARM_UP, "markdown")
        plain = [source.plain for source in sources if source.has_prose]
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
        self._approvals.close()

    @property
    def store(self) -> Store:
        """The store of approved translations (opened on first use)."""
        return self._approvals.store

    @property
    def approved(self) -> ApprovedTranslations:
        """The translations editors approved, and suggestions waiting for them."""
        return ApprovedTranslations(self.store)

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
        found: list[DocumentFormat] = [detect(t) if format == "auto" else format for t in texts]
        translate = self._articles(glossary, options)
        if any(is_wire(f) for f in found):
            return items.translate(texts, found, translate)
        return translate(texts, cast(list[Format], found), [None] * len(texts))

    def translate_items(
        self, documents: Sequence[WireDocument], glossary: Glossary | None = None
    ) -> list[items.ItemResult]:
        """Translate news items or feeds already read (`formats.read_wire`), together: a feed
        whose new entries were `select`ed has only their pieces translated."""
        self._load()
        check_encodable([document.text for document in documents])
        return items.translate_documents(documents, self._articles(glossary))

    def _articles(
        self, glossary: Glossary | None, options: HtmlOptions | None = None
    ) -> items.Translate:
        """How this call's articles are translated: each read with its own HTML options (else
        `options`), one read of the approvals' generation for all of them."""
        glossary = glossary or self._default_glossary
        generation = self._approvals.generation()

        def translate(
            texts: Sequence[str],
            found: Sequence[Format],
            options_each: Sequence[HtmlOptions | None],
        ) -> list[ArticleResult]:
            articles = [
                Article(text, format, self._html_options(own or options))
                for text, format, own in zip(texts, found, options_each, strict=True)
            ]
            return self._path.translate(articles, glossary, generation)

        return translate

    def _html_options(self, options: HtmlOptions | None) -> HtmlOptions:
        """How HTML is read: the request's options, with this server's attribute setting."""
        return replace(options or HtmlOptions(), attributes=self.settings.translate_html_attributes)

    def stream_article(
        self,
        text: str,
        format: DocumentFormat | Literal["auto"] = "text",
        group: int = 8,
        glossary: Glossary | None = None,
    ) -> Iterator[Progress]:
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
        article = Article(text, found, self._html_options(None))
        glossary = glossary or self._default_glossary
        yield from self._path.stream(article, glossary, self._approvals.generation(), group)

    def alternatives(self, texts: Sequence[str], count: int) -> list[list[str]]:
        """Up to `count` other translations of each plain text, from the beam's n-best
        lists: alternative k puts each translated sentence's k-th runner-up in its place
        (sentences kept as they were, or an editor's, stay so). Fewer when the beam has no
        more."""
        results = self.translate_articles(texts, "text")
        return alternatives(texts, results, self._load(), count)

    # -- sentences ---------------------------------------------------------------------------

    def translate_sentences(self, batch: Sequence[str]) -> list[str]:
        """Translate sentences one for one. A sentence over the model's input limit is cut at
        clause boundaries and its pieces translated and joined: nothing is dropped."""
        self._load()
        return [output.text for output in self._path.stage.translate(batch)]
