"""Assemble: the translated segments put back into the source, everything else left as it was,
and the article's result made of them."""

from __future__ import annotations

from collections.abc import Sequence

from .formats import Block
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
    return ArticleResult(english, blocks, segments, None, "partial" if cached else "miss", format)
