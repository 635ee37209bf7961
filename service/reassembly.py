"""Reassembly: put translations back into the source, leaving everything else as it was."""

from __future__ import annotations

from collections.abc import Sequence

from .document import Segment


def reassemble(source: str, segments: Sequence[Segment]) -> str:
    """`source` with each segment's span replaced by its translation.

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
