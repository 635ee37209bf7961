"""Assemble: the translated segments put back into the source, everything else left as it was,
and the article's result made of them."""

from __future__ import annotations

from collections.abc import Sequence

from .formats import FORMATS, Block, plain_text
from .results import ArticleResult, Segment


def reassemble(source: str, segments: Sequence[Segment]) -> str:
    """`source` with each segment's range replaced by its translation.

    Segments must not overlap. With translations equal to their sources, the result is
    `source` byte for byte.
    """
    parts: list[str] = []
    position = 0
    for segment in sorted(segments, key=lambda s: s.start):
        parts.append(source[position : segment.start])
        parts.append(segment.translation)
        position = segment.end
    parts.append(source[position:])
    return "".join(parts)


def assemble(
    source: str, format: str, blocks: list[Block], segments: list[Segment], cached: bool
) -> ArticleResult:
    """The translated article: its English, blocks and segments; `cached` says whether some
    of its sentences came from approvals or the sentence cache (`partial`), else `miss`."""
    english = reassemble(source, segments)
    state = "partial" if cached else "miss"
    return ArticleResult(
        english, blocks, segments, None, state, format, title(format, blocks, segments)
    )


def title(format: str, blocks: Sequence[Block], segments: Sequence[Segment]) -> str | None:
    """The plain text of the first heading's translation, if the article has a heading."""
    # A news item's pieces are text or HTML; read as HTML, both lose their markup.
    written = format if format in FORMATS else "html"
    for index, block in enumerate(blocks):
        if block.kind.startswith("heading"):
            parts = [plain_text(s.translation, written) for s in segments if s.block == index]
            return " ".join(p for p in parts if p) or None
    return None
