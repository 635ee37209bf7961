"""Article: a document's segments, found block by block and sentence by sentence.

The format's reader (`service.formats`) cuts the document into blocks and parses each prose
span's inline markup; the plain text is cut into sentences (never inside markup), and each
sentence becomes a segment: the source range it replaces and what the model reads of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import flags, formats, sentences
from .document import Block, Segment
from .inline import Inline

# What a reader is told of prose the parser could not reach.
UNPARSED = "nested deeper than the parser reads; left as written"


@dataclass
class Draft:
    """A segment on its way: the source sentence, what the model will read of it, and how
    the format writes text."""

    segment: Segment
    inline: Inline
    escape: Callable[[str], str] = field(default=lambda text: text)
    # Reads a written sentence back as the format's readers will (to check the markup).
    reparse: Callable[[str], Inline] = field(default=lambda text: Inline(text))

    @property
    def has_prose(self) -> bool:
        """Whether there is anything for the model: a rule or a bare URL has no letters."""
        return any(char.isalpha() for char in self.inline.plain)


def segment(
    text: str, format: formats.Format = "text", options: formats.HtmlOptions | None = None
) -> tuple[list[Block], list[Draft]]:
    """The blocks of `text` and one draft per source sentence, in order."""
    reader = formats.read(text, format, options)
    drafts: list[Draft] = []
    for index, block in enumerate(reader.blocks):
        if block.kind == "unparsed":
            raw = text[block.start : block.end]
            segment = Segment(raw, raw, index, block.start, block.end, [flags.UNTRANSLATED])
            segment.reason = UNPARSED
            drafts.append(Draft(segment, Inline("")))
            continue
        for start, end in block.prose:
            for sentence in reader.run(start, end).sentences(sentences.split):
                raw = text[sentence.start : sentence.end]
                segment = Segment(raw, raw, index, sentence.start, sentence.end)
                drafts.append(Draft(segment, sentence.inline, reader.escape, reader.inline))
    return reader.blocks, drafts
