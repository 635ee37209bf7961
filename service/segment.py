"""Segment: a document cut into its source sentences, block by block.

The format's reader (`formats.read`) cuts the document into blocks and parses each prose
span's inline markup; the plain text is cut into sentences (`sentences.split`), never inside
markup, and each sentence becomes a `SourceSentence`: the range of the source it replaces,
what the model reads of it, and how its format reads and writes text. The sentences of a long
document are cut as they are asked for, so that it never holds them all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace

from . import deadline, sentences
from .formats import Block, Format, HtmlOptions, Reader, read
from .inline import MAX_NESTING, Inline

# What a reader is told of prose the parser could not reach.
UNPARSED = "nested deeper than the parser reads; left as written"


def _as_is(text: str) -> str:
    return text


@dataclass(frozen=True)
class SourceSentence:
    """A sentence of the source: `text` as written at `start:end`, in block `block`; `inline`
    is what the model reads of it and the markup taken out. `escape` writes text as the
    format needs; `reader` reads a written sentence back (to check its markup) and finds the
    text inside markup that readers see. `unparsed`: nested deeper than the parser reads,
    kept as written."""

    text: str
    block: int
    start: int
    end: int
    inline: Inline
    escape: Callable[[str], str] = _as_is
    reader: Reader | None = None
    unparsed: bool = False

    @property
    def plain(self) -> str:
        """What the model reads: the plain text, markup taken out."""
        return self.inline.plain

    @property
    def has_prose(self) -> bool:
        """Whether there is anything for the model: a rule or a bare URL has no letters."""
        return not self.unparsed and any(char.isalpha() for char in self.inline.plain)

    def reparse(self, written: str) -> Inline:
        """`written` read back as the format's readers will see it."""
        return self.reader.inline(written) if self.reader is not None else Inline(written)

    def guard(self, written: str) -> str:
        """The written translation made safe where the sentence stands in its document."""
        return self.reader.guard(written, self.start) if self.reader else written

    def markup_text(self) -> list[str]:
        """Text readers see inside this sentence's markup (HTML's alt and title)."""
        if self.reader is None:
            return []
        pieces = [s.open for s in self.inline.spans] + [a.raw for a in self.inline.atoms]
        return [text for piece in pieces for text in self.reader.markup_text(piece)]

    def with_markup_text(self, english: Mapping[str, str]) -> SourceSentence:
        """This sentence with the translations of `markup_text` in its markup, where
        `english` has them."""
        if self.reader is None or not english:
            return self
        write = self.reader.with_markup_text
        inline = replace(
            self.inline,
            spans=tuple(replace(s, open=write(s.open, english)) for s in self.inline.spans),
            atoms=tuple(replace(a, raw=write(a.raw, english)) for a in self.inline.atoms),
        )
        return replace(self, inline=inline)


def segment(
    text: str, format: Format = "text", options: HtmlOptions | None = None
) -> tuple[list[Block], Iterator[SourceSentence]]:
    """The blocks of `text`, and its sentences, in order, as they are asked for: a block's
    sentences are cut when the ones before them have been taken."""
    reader = read(text, format, options)
    return reader.blocks, _sentences(text, reader)


def _sentences(text: str, reader: Reader) -> Iterator[SourceSentence]:
    for index, block in enumerate(reader.blocks):
        deadline.check()
        if block.kind == "unparsed":
            yield _unparsed(text, index, block.start, block.end)
            continue
        for start, end in block.prose:
            run = reader.run(start, end)
            if run.depth > MAX_NESTING:  # kept as written, flagged, never walked
                yield _unparsed(text, index, start, end)
                continue
            escape = reader.escaper(block)
            for found in run.sentences(sentences.split):
                raw = text[found.start : found.end]
                yield SourceSentence(
                    raw, index, found.start, found.end, found.inline, escape, reader
                )


def _unparsed(text: str, block: int, start: int, end: int) -> SourceSentence:
    """`text[start:end]`, nested deeper than read: left as written, and flagged."""
    return SourceSentence(text[start:end], block, start, end, Inline(""), unparsed=True)
