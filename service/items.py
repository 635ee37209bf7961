"""Items: news items and feeds translated as the articles they hold.

A wire document (ninjs, NewsML-G2, RSS, Atom: `formats.wire`) is cut into pieces, each an
article in text or HTML; the pieces of every document of a call are translated together (their
sentences share engine batches, and each piece goes through the caches as any article does),
then each document is written back with its pieces' English. The result is an `ItemResult`:
the English document, and the blocks and segments of its pieces placed in the source
document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .formats import Block, DocumentFormat, Format, HtmlOptions, is_wire, plain_text, read_wire
from .formats.wire import ROLE_KINDS, Piece, WireDocument
from .results import ArticleResult, Segment

# Translates articles in one call: (texts, their formats, their HTML options).
Translate = Callable[
    [Sequence[str], Sequence[Format], Sequence[HtmlOptions | None]], list[ArticleResult]
]


@dataclass
class ItemResult(ArticleResult):
    """A translated news item or feed: `text` is the English document; each block and
    segment is placed in the source document (a segment's `source` and `translation` are the
    text as its field holds it, JSON or XML escapes decoded). `pieces` pairs each piece with
    its own article result."""

    pieces: list[tuple[Piece, ArticleResult]] = field(default_factory=list)

    def english_prose(self) -> str:
        """The English of the main item's body, what its summary is made of: its first body
        with prose (an item's other bodies say the same in another markup)."""
        parts = (result.english_prose() for piece, result in self.pieces if piece.main)
        return next((part for part in parts if part), "")

    def segment_prose(self) -> list[str]:
        """The English of each segment as the summarizer reads it: the segments of the body
        `english_prose` reads; "" for the others."""
        found: list[str] = []
        read = False
        for piece, result in self.pieces:
            prose = result.segment_prose()
            chosen = piece.main and not read and bool(result.english_prose())
            found.extend(prose if chosen else [""] * len(prose))
            read = read or chosen
        return found


def translate(
    texts: Sequence[str], formats: Sequence[DocumentFormat], translate: Translate
) -> list[ArticleResult]:
    """Translate documents, wire or not, in one call of `translate`."""
    sources = [
        read_wire(text, format) if is_wire(format) else (text, format)
        for text, format in zip(texts, formats, strict=True)
    ]
    return _translate(sources, translate)


def translate_documents(
    documents: Sequence[WireDocument], translate: Translate
) -> list[ItemResult]:
    """Translate wire documents already read (a feed whose new entries were `select`ed)."""
    return [result for result in _translate(documents, translate) if isinstance(result, ItemResult)]


def _translate(
    sources: Sequence[WireDocument | tuple[str, Format]], translate: Translate
) -> list[ArticleResult]:
    articles: list[str] = []
    formats: list[Format] = []
    options: list[HtmlOptions | None] = []
    for source in sources:
        if isinstance(source, WireDocument):
            articles.extend(piece.text for piece in source.pieces)
            formats.extend(piece.format for piece in source.pieces)
            options.extend(piece.options for piece in source.pieces)
        else:
            articles.append(source[0])
            formats.append(source[1])
            options.append(None)
    done = iter(translate(articles, formats, options))
    return [
        _assemble(source, [(piece, next(done)) for piece in source.pieces])
        if isinstance(source, WireDocument)
        else next(done)
        for source in sources
    ]


def _assemble(document: WireDocument, pieces: list[tuple[Piece, ArticleResult]]) -> ItemResult:
    """The document in English, its pieces' blocks and segments placed in the source."""
    blocks: list[Block] = []
    segments: list[Segment] = []
    for piece, result in pieces:
        at, first = piece.offsets, len(blocks)
        kind = ROLE_KINDS.get(piece.role)
        blocks.extend(
            Block(kind or b.kind, at(b.start), at(b.end), tuple((at(s), at(e)) for s, e in b.prose))
            for b in result.blocks
        )
        segments.extend(
            replace(s, block=s.block + first, start=at(s.start), end=at(s.end), flags=list(s.flags))
            for s in result.segments
        )
    states = {result.cache for _, result in pieces}
    cache = states.pop() if len(states) == 1 else ("partial" if states else "miss")
    text = document.write([r.text for _, r in pieces], [r.segments for _, r in pieces])
    return ItemResult(
        text, blocks, segments, None, cache, document.name, _headline(pieces), pieces=pieces
    )


def _headline(pieces: list[tuple[Piece, ArticleResult]]) -> str | None:
    """The English of the first headline: the item's title."""
    for piece, result in pieces:
        if piece.role == "headline":
            return plain_text(result.text, piece.format) or None
    return None
