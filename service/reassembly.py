"""Reassembly: translations made whole again. `restore` puts glossary terms in and markup back
around the aligned words of each sentence, and flags it; `reassemble` puts the sentences back
into the source, leaving everything else as it was."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from . import flags
from .glossary import Glossary, place
from .inline import Inline
from .projection import NoRoom, project_checked
from .results import Output, Segment

if TYPE_CHECKING:
    from .article import Draft

# Why a segment was left as written, when its translation could not carry its markup.
NO_ROOM = "the translation has too few words to carry the markup; left as written"

Aligner = Callable[[Sequence[str], Sequence[Output]], list[list[tuple[int, int]]]]


def restore(
    drafts: Sequence[Draft],
    outputs: Sequence[Output],
    align: Aligner,
    glossary: Glossary | None = None,
    threshold: float | None = None,
) -> None:
    """Set each draft's translation from its output: glossary terms placed, markup projected
    around the words `align` pairs with the source's; flag each (`low_confidence` under the
    `threshold` score)."""
    terms = {id(d): glossary.find(d.inline.plain) if glossary else [] for d in drafts}
    needs_alignment = [
        (draft, output)
        for draft, output in zip(drafts, outputs, strict=True)
        if (terms[id(draft)] and not output.approved) or _needs_alignment(draft.inline)
    ]
    alignments = align(
        [d.inline.plain for d, _ in needs_alignment], [o for _, o in needs_alignment]
    )
    aligned = {id(d): a for (d, _), a in zip(needs_alignment, alignments, strict=True)}
    for draft, output in zip(drafts, outputs, strict=True):
        # An editor's English is taken as it is, terms and all.
        wanted = [] if output.approved else terms[id(draft)]
        placed = place(wanted, draft.inline.plain, output.text, aligned.get(id(draft), []))
        try:
            draft.segment.translation = draft.guard(
                project_checked(
                    placed.text, draft.inline, placed.alignment, draft.escape, draft.reparse
                )
            )
        except NoRoom:  # the English is too short to carry the markup: keep the source
            draft.segment.flag({flags.UNTRANSLATED: NO_ROOM})
            continue
        plain = draft.inline.plain
        found = flags.check(
            plain,
            placed.text,
            capped=output.capped,
            score=output.score,
            threshold=threshold,
            renamed=[(t.start, t.end, t.target) for t in terms[id(draft)]],
        )
        if output.approved:  # an editor's English is what it should be, even the source's
            found.pop(flags.UNTRANSLATED, None)
            draft.segment.memory = "approved"
        if placed.missed:
            found[flags.GLOSSARY] = f"{placed.missed} glossary term(s) could not be placed"
        draft.segment.flag(found)
        draft.segment.score = output.score


def _needs_alignment(inline: Inline) -> bool:
    """Markup inside the sentence needs word alignment; around all of it (a bold caption) or
    at its ends, none."""
    end = len(inline.plain)
    return any(0 < atom.at < end for atom in inline.atoms) or any(
        span.start > 0 or span.end < end for span in inline.spans
    )


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
