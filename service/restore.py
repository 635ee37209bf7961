"""Restore: each sentence's English made into its segment, in three jobs, each a function.

`place_terms` puts the glossary's terms into the English (`glossary.place`), `write_markup`
puts the source's markup back around the words aligned to it and writes the text as the
format needs (`projection`), `flag` raises what an editor should look at (`flags`).
`restore` does the three for one sentence; English kept as written and an editor's English
take their own ways through them.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import flags
from .glossary import Placed, Term, place
from .inline import Inline
from .projection import NoRoom, project_checked
from .results import Output, Segment
from .runtime import Alignment
from .segment import UNPARSED, SourceSentence

# Why a segment was left as written, when its translation could not carry its markup.
NO_ROOM = "the translation has too few words to carry the markup; left as written"

__all__ = [
    "NO_ROOM",
    "NoRoom",
    "as_written",
    "flag",
    "needs_alignment",
    "place_terms",
    "restore",
    "write_markup",
]


def needs_alignment(sentence: SourceSentence, output: Output, terms: Sequence[Term]) -> bool:
    """Whether restoring `sentence` needs to know which English word came from which: to
    place glossary terms in the model's English, or markup inside the sentence (around all
    of it, or at its ends, needs none)."""
    if output.english:
        return False
    return bool(terms and not output.approved) or _markup_inside(sentence.inline)


def _markup_inside(inline: Inline) -> bool:
    end = len(inline.plain)
    return any(0 < atom.at < end for atom in inline.atoms) or any(
        span.start > 0 or span.end < end for span in inline.spans
    )


def place_terms(
    sentence: SourceSentence, output: Output, terms: Sequence[Term], alignment: Alignment
) -> Placed:
    """The English with the glossary's terms in place, and its alignment to the source's
    words; an editor's English is taken as it is, terms and all."""
    return place([] if output.approved else terms, sentence.plain, output.text, alignment)


def write_markup(sentence: SourceSentence, placed: Placed) -> str:
    """The English as the source's format writes it, with the source's markup around the
    words aligned to it, read back to check it; `NoRoom` when the English has too few words
    to carry the markup."""
    inline = sentence.inline
    written = project_checked(
        placed.text, inline, placed.alignment, sentence.escape, sentence.reparse
    )
    return sentence.guard(written)


def flag(
    sentence: SourceSentence,
    output: Output,
    placed: Placed,
    terms: Sequence[Term],
    threshold: float | None = None,
) -> dict[str, str]:
    """The flags of a translated sentence, each with its reason (`low_confidence` under the
    `threshold` score)."""
    found = flags.check(
        sentence.plain,
        placed.text,
        capped=output.capped,
        score=output.score,
        threshold=threshold,
        renamed=[(t.start, t.end, t.target) for t in terms],
    )
    if output.approved:  # an editor's English is what it should be, even the source's
        found.pop(flags.UNTRANSLATED, None)
    if placed.missed:
        found[flags.GLOSSARY] = f"{placed.missed} glossary term(s) could not be placed"
    return found


def restore(
    sentence: SourceSentence,
    output: Output,
    terms: Sequence[Term] = (),
    alignment: Sequence[tuple[int, int]] = (),
    threshold: float | None = None,
) -> Segment:
    """The segment of `sentence` translated as `output`: terms placed, markup written back,
    flags raised. English kept as written stays as it is, flagged so."""
    if output.english:
        return as_written(sentence, {flags.ENGLISH: flags.KEPT_ENGLISH})
    placed = place_terms(sentence, output, terms, list(alignment))
    try:
        written = write_markup(sentence, placed)
    except NoRoom:  # the English is too short to carry the markup: keep the source
        return as_written(sentence, {flags.UNTRANSLATED: NO_ROOM})
    found = flag(sentence, output, placed, terms, threshold)
    memory = "approved" if output.approved else None
    return _segment(sentence, written, found, memory, output.score)


def as_written(sentence: SourceSentence, reasons: dict[str, str] | None = None) -> Segment:
    """The segment of a sentence left as it is written (no prose, English already, nested
    past what is read, no room for its markup), with the flags of `reasons`."""
    if reasons is None and sentence.unparsed:
        reasons = {flags.UNTRANSLATED: UNPARSED}
    return _segment(sentence, sentence.text, reasons or {})


def _segment(
    sentence: SourceSentence,
    translation: str,
    reasons: dict[str, str],
    memory: str | None = None,
    score: float | None = None,
) -> Segment:
    return Segment(
        sentence.text,
        translation,
        sentence.block,
        sentence.start,
        sentence.end,
        list(reasons),
        {f: reason for f, reason in reasons.items() if reason},
        memory,
        score,
    )
