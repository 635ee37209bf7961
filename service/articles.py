"""The article path: articles translated stage by stage, with the response cache around them.

An article the response cache holds (`article_key`: its text, how it is read, the glossary,
the approvals' generation, the model) is answered from it. The others are read and cut into
sentences (`segment`); their sentences, `GROUP` at a time across the articles of a call, get
their English from the sentence stage (`sentence_stage`) and become segments (`restore`);
then each article is put together (`assemble`). Streaming goes through the same stages, a few
sentences at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from . import restore
from .approvals import ApprovedTranslations
from .assemble import assemble
from .cache import Cache
from .cache.responses import ResponseCache
from .formats import Block, Format, HtmlOptions
from .glossary import Glossary
from .results import ArticleResult, Segment
from .runtime import ModelRuntime
from .segment import SourceSentence, segment
from .sentence_cache import SentenceCache
from .sentence_stage import SentenceStage

# Sentences translated together: their sources, engine outputs and alignments are freed once
# they are done, so that memory stays flat however long a document is. Large enough that
# engine batches stay full and sorted by length.
GROUP = 512
# What a stream yields: the blocks, the segments just done, and the article once it is whole.
Progress = tuple[list[Block], list[Segment], ArticleResult | None]

T = TypeVar("T")


@dataclass(frozen=True)
class Article:
    """An article to translate: its text, and how it is read."""

    text: str
    format: Format
    options: HtmlOptions


class ArticlePath:
    """The stages of a loaded translator, from an article's text to its `ArticleResult`.
    `context` is everything about the model that changes the output (cache keys);
    `threshold` the score under which a sentence is flagged `low_confidence`."""

    def __init__(
        self,
        stage: SentenceStage,
        responses: ResponseCache[ArticleResult],
        context: Mapping[str, Any],
        threshold: float | None,
    ) -> None:
        self.stage = stage
        self.responses = responses
        self.context = dict(context)
        self.threshold = threshold

    @classmethod
    def build(
        cls,
        runtime: ModelRuntime,
        cache: Cache,
        approvals: Callable[[], ApprovedTranslations | None],
        threshold: float | None,
    ) -> ArticlePath:
        """The stages over a loaded `runtime`, with `cache` for sentences and whole articles
        and the approvals `approvals()` gives."""
        stage = SentenceStage(runtime, SentenceCache(cache, runtime.context), approvals)
        responses = ResponseCache(cache, "document", ArticleResult.to_dict, ArticleResult.from_dict)
        return cls(stage, responses, runtime.context, threshold)

    def key(self, article: Article, glossary: Glossary | None, generation: str) -> str:
        """The response-cache key of a whole article: an approval made since it was cached
        (`generation`) changes it."""
        read = {
            "format": article.format,
            "html": asdict(article.options) if article.format == "html" else None,
            "glossary": glossary.digest if glossary else None,
            "approved": generation,
            "low_confidence": self.threshold,
        }
        return self.responses.key({**self.context, **read}, article.text)

    def translate(
        self, articles: Sequence[Article], glossary: Glossary | None, generation: str
    ) -> list[ArticleResult]:
        """Each article, from the response cache where it is, else through the stages, the
        sentences of all of them sharing engine batches."""
        keys = [self.key(article, glossary, generation) for article in articles]
        return self.responses.through(
            keys, lambda todo: self._fresh([articles[i] for i in todo], glossary)
        )

    def stream(
        self, article: Article, glossary: Glossary | None, generation: str, group: int
    ) -> Iterator[Progress]:
        """The article `group` sentences at a time: (blocks, segments just done, None) as each
        group is done, then (blocks, [], the whole article) once. The response cache is used
        whole or not at all."""
        key = self.key(article, glossary, generation)
        cached = self.responses.get_many([key]).get(key)
        if cached is not None:
            yield cached.blocks, cached.segments, None
            yield cached.blocks, [], cached
            return
        blocks, sources = segment(article.text, article.format, article.options)
        segments: list[Segment] = []
        from_cache = False
        for chunk in _groups(sources, group):
            done = self._sentences(chunk, glossary)
            from_cache |= any(cached for _, cached in done)
            segments.extend(s for s, _ in done)
            yield blocks, [s for s, _ in done], None
        result = assemble(article.text, article.format, blocks, segments, from_cache)
        self.responses.set_many({key: result})
        yield blocks, [], result

    def _fresh(self, articles: Sequence[Article], glossary: Glossary | None) -> list[ArticleResult]:
        """Articles through the stages, `GROUP` sentences at a time across all of them."""
        read = [segment(a.text, a.format, a.options) for a in articles]
        segments: list[list[Segment]] = [[] for _ in articles]
        from_cache = [False] * len(articles)
        sources = ((owner, s) for owner, (_, found) in enumerate(read) for s in found)
        for chunk in _groups(sources, GROUP):
            done = self._sentences([s for _, s in chunk], glossary)
            for (owner, _), (segment_, cached) in zip(chunk, done, strict=True):
                segments[owner].append(segment_)
                from_cache[owner] |= cached
        return [
            assemble(a.text, a.format, blocks, found, cached)
            for a, (blocks, _), found, cached in zip(
                articles, read, segments, from_cache, strict=True
            )
        ]

    def _sentences(
        self, sources: Sequence[SourceSentence], glossary: Glossary | None
    ) -> list[tuple[Segment, bool]]:
        """The segment of each sentence, and whether its English came from approvals or the
        sentence cache. Text inside markup (an image's alt) is translated with the
        sentences, in one go."""
        prose = [i for i, s in enumerate(sources) if s.has_prose]
        inside = list(dict.fromkeys(t for i in prose for t in sources[i].markup_text()))
        outputs = self.stage.translate(
            [sources[i].plain for i in prose] + inside, english=[True] * len(prose)
        )
        markup = {t: o.text for t, o in zip(inside, outputs[len(prose) :], strict=True)}
        outputs = outputs[: len(prose)]
        sentences = [sources[i].with_markup_text(markup) for i in prose]
        terms = [glossary.find(s.plain) if glossary else [] for s in sentences]
        wanted = [
            k
            for k, (s, o, t) in enumerate(zip(sentences, outputs, terms, strict=True))
            if restore.needs_alignment(s, o, t)
        ]
        aligned = self.stage.align(
            [sentences[k].plain for k in wanted], [outputs[k] for k in wanted]
        )
        alignments: list[Sequence[tuple[int, int]]] = [()] * len(sentences)
        for k, pairs in zip(wanted, aligned, strict=True):
            alignments[k] = pairs
        done = [(restore.as_written(s), False) for s in sources]
        for index, sentence, output, found, alignment in zip(
            prose, sentences, outputs, terms, alignments, strict=True
        ):
            segment_ = restore.restore(sentence, output, found, alignment, self.threshold)
            done[index] = (segment_, output.cached)
        return done


def _groups(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last may be shorter), taken as they are needed."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
