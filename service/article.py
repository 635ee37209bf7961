"""Article: a document's segments, found block by block and sentence by sentence.

The format's reader (`service.formats`) cuts the document into blocks and parses each prose
span's inline markup; the plain text is cut into sentences (never inside markup), and each
sentence becomes a segment: the source range it replaces and what the model reads of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from . import deadline, flags, formats, sentences
from .formats import Block
from .inline import MAX_NESTING, Inline
from .results import Segment

# What a reader is told of prose the parser could not reach.
UNPARSED = "nested deeper than the parser reads; left as written"


@dataclass
class Draft:
    """A segment on its way: the source sentence, what the model will read of it, and how
    the format writes text."""

    segment: Segment
    inline: Inline
    escape: Callable[[str], str] = field(default=lambda text: text)
    # The format's reader: it reads a written sentence back (to check the markup), and finds
    # the text inside markup that is translated too (HTML's alt and title).
    reader: formats.Reader | None = None

    def reparse(self, written: str) -> Inline:
        """`written` read back as the format's readers will see it."""
        return self.reader.inline(written) if self.reader is not None else Inline(written)

    def guard(self, written: str) -> str:
        """The written translation made safe where the sentence stands in its document."""
        return self.reader.guard(written, self.segment.start) if self.reader else written

    def markup_text(self) -> list[str]:
        """Text readers see inside this sentence's markup (HTML's alt and title)."""
        if self.reader is None:
            return []
        pieces = [s.open for s in self.inline.spans] + [a.raw for a in self.inline.atoms]
        return [text for piece in pieces for text in self.reader.markup_text(piece)]

    def translate_markup(self, english: Mapping[str, str]) -> None:
        """Put the translations of `markup_text` into the markup, where `english` has them."""
        if self.reader is None:
            return
        write = self.reader.with_markup_text
        self.inline = replace(
            self.inline,
            spans=tuple(replace(s, open=write(s.open, english)) for s in self.inline.spans),
            atoms=tuple(replace(a, raw=write(a.raw, english)) for a in self.inline.atoms),
        )

    @property
    def has_prose(self) -> bool:
        """Whether there is anything for the model: a rule or a bare URL has no letters."""
        return any(char.isalpha() for char in self.inline.plain)


def segment(
    text: str, format: formats.Format = "text", options: formats.HtmlOptions | None = None
) -> tuple[list[Block], list[Draft]]:
    """The blocks of `text` and one draft per source sentence, in order."""
    blocks, drafts = read(text, format, options)
    return blocks, list(drafts)


def read(
    text: str, format: formats.Format = "text", options: formats.HtmlOptions | None = None
) -> tuple[list[Block], Iterator[Draft]]:
    """The blocks of `text`, and its drafts as they are needed: a block's sentences are cut
    when the drafts before them have been taken, so that a long document never holds the
    drafts of all its sentences at once."""
    reader = formats.read(text, format, options)
    return reader.blocks, _drafts(text, reader)


def _drafts(text: str, reader: formats.Reader) -> Iterator[Draft]:
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
            for sentence in run.sentences(sentences.split):
                raw = text[sentence.start : sentence.end]
                segment = Segment(raw, raw, index, sentence.start, sentence.end)
                yield Draft(segment, sentence.inline, reader.escaper(block), reader)


def _unparsed(text: str, block: int, start: int, end: int) -> Draft:
    """`text[start:end]` left as written, flagged `untranslated`: nested deeper than read."""
    raw = text[start:end]
    segment = Segment(raw, raw, block, start, end)
    segment.flag({flags.UNTRANSLATED: UNPARSED})
    return Draft(segment, Inline(""))
