"""Article: a document's segments, found block by block and sentence by sentence."""

from __future__ import annotations

from dataclasses import dataclass

from . import blocks, markup, sentences
from .document import Block, Segment


@dataclass
class Draft:
    """A segment on its way: the source sentence and what the model will read of it."""

    segment: Segment
    inline: markup.Inline

    @property
    def has_prose(self) -> bool:
        """Whether there is anything for the model: a rule or a bare URL has no letters."""
        return any(char.isalpha() for char in self.inline.plain)


def segment(text: str, format: blocks.Format = "text") -> tuple[list[Block], list[Draft]]:
    """The blocks of `text` and one draft per source sentence, in order."""
    doc_blocks = blocks.parse(text, format)
    drafts: list[Draft] = []
    for index, block in enumerate(doc_blocks):
        for start, end in block.prose:
            prose = text[start:end]
            for (a, b), inline in _sentences(prose, format):
                raw = prose[a:b]
                drafts.append(Draft(Segment(raw, raw, index, start + a, start + b), inline))
    return doc_blocks, drafts


def _sentences(prose: str, format: blocks.Format) -> list[tuple[tuple[int, int], markup.Inline]]:
    """Sentence spans of `prose`, each with its inline markup taken apart."""
    spans = sentences.split(prose)
    if format != "markdown":
        html = format == "html"
        return [((a, b), markup.strip(prose[a:b], False, html=html)) for a, b in spans]
    # Never cut inside markup: a sentence whose emphasis or link is left open is joined to
    # the next ones until its markers pair up.
    merged: list[tuple[tuple[int, int], markup.Inline]] = []
    pending: tuple[int, int] | None = None
    for span in spans:
        pending = (pending[0], span[1]) if pending else span
        inline = markup.strip(prose[pending[0] : pending[1]])
        if markup.is_paired(inline) or span is spans[-1]:
            merged.append((pending, inline))
            pending = None
    return merged
