"""Sentences: split prose into sentences, and over-long sentences into clauses.

Splitting uses pysbd's French rules, then merges the splits French news typography makes
it get wrong (`Dr. Martin`, `p. ex.`, `av. J.-C.`, `Maksim S. Oreshkin`): a French sentence
never starts with a lower-case letter or a hyphen, and a title or an initial never ends one.

Every function returns `(start, end)` spans into its input, never rewritten text, so the
characters between sentences (spaces, NBSP, line breaks) are kept exactly.

pysbd takes time that grows with the square of its input's length (its rules rewrite the whole
text once per match): a long text is handed to it in pieces of about `CHUNK` characters, cut
where a sentence surely ends, so that splitting takes time in proportion to the text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from . import deadline
from .inline import Range

# Abbreviations that never end a French sentence (compared without their final period).
NON_TERMINAL = frozenset(
    (
        "M MM Mme Mmes Mlle Mlles Dr Dre Pr Me Mgr St Ste Sts Stes p pp ex av apr cf art al env "
        "vol chap fig éd coll dir hab tél n no nos janv févr avr juill sept oct nov déc Cie Gén "
        "Col Cdt Lt Sgt Réf réf"
    ).split()
)
_LONGEST_ABBREVIATION = max(len(word) for word in NON_TERMINAL)
_CONTINUATION = re.compile(r"\s*(?:[a-zà-ÿ]|[-–,;:)»])")
# Pieces handed to pysbd: cut after a sentence's end and before a capital, in the second half
# of a piece; else at a space; else anywhere.
CHUNK = 1000
_SURE_END = re.compile(r"[.!?…][\"»”’)]*\s+(?=[«\"“(]?[A-ZÀ-ÖØ-Þ])")
_SPACE = re.compile(r"\s+")
# Where a long sentence may be cut, best first: after ; or :, after a comma, at any space.
_CLAUSE_BREAKS = (re.compile(r"[;:]\s+"), re.compile(r",\s+"), re.compile(r"\s+"))

_local = threading.local()


def _segmenter(language: str) -> object:
    # pysbd segmenters keep state while they run: one per thread and language.
    segmenters = _local.__dict__.setdefault("segmenters", {})
    if language not in segmenters:
        import pysbd

        segmenters[language] = pysbd.Segmenter(language=language, clean=False)
    return segmenters[language]


def split(text: str, language: str = "fr") -> list[Range]:
    """Sentence spans of `text`, stripped of surrounding whitespace, in order."""
    spans: list[Range] = []
    for start, end in _chunks(text):
        spans.extend((start + a, start + b) for a, b in _split_piece(text[start:end], language))
    return _merge(text, spans)


def _chunks(text: str) -> list[Range]:
    """`text` cut into pieces of at most `CHUNK` characters, each cut in the second half of
    its piece: after a sentence's end if one is there, else at a space, else anywhere."""
    pieces: list[Range] = []
    start = 0
    while len(text) - start > CHUNK:
        deadline.check()
        low, high = start + CHUNK // 2, start + CHUNK
        cut = high
        for pattern in (_SURE_END, _SPACE):
            found = [m.end() for m in pattern.finditer(text, low, high) if m.end() < high]
            if found:
                cut = found[-1]
                break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, len(text)))
    return pieces


def _split_piece(text: str, language: str) -> list[Range]:
    spans: list[Range] = []
    position = 0
    for piece in _segmenter(language).segment(text):  # type: ignore[attr-defined]
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, position)
        if start < 0:  # pysbd rewrote something: keep the rest as one sentence
            break
        spans.append((start, start + len(piece)))
        position = start + len(piece)
    rest = text[position:]
    if rest.strip():
        offset = len(rest) - len(rest.lstrip())
        spans.append((position + offset, position + len(rest.rstrip())))
    return spans


def _merge(text: str, spans: list[Range]) -> list[Range]:
    merged: list[Range] = []
    for start, end in spans:
        if merged and _continues(text, merged[-1], (start, end)):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _continues(text: str, previous: Range, current: Range) -> bool:
    """Whether the sentence at `current` goes on the one at `previous`: it starts in lower
    case or with a hyphen, or `previous` ends with a title or an initial. Only the ends are
    read, however long the sentences are."""
    if _CONTINUATION.match(text, current[0], current[1]):
        return True
    start, end = previous
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 2 or text[end - 1] != ".":
        return False
    # Enough of the end to hold the longest abbreviation and what stands before it.
    tail_start = max(start, end - 1 - _LONGEST_ABBREVIATION - 2)
    before = text[tail_start : end - 1]
    if not before or before[-1].isspace():
        return False
    word = before.split()[-1]
    if word.split(".")[-1] in NON_TERMINAL:
        return True
    # An initial: one letter alone before the period (`Maksim S. Oreshkin`).
    initial = _is_word(before[-1]) and (
        (len(before) == 1 and tail_start == start) or (len(before) > 1 and before[-2].isspace())
    )
    return initial and text[current[0] : current[0] + 1].isupper()


def _is_word(char: str) -> bool:
    """What `\\w` matches."""
    return char.isalnum() or char == "_"


def split_long(text: str, count: Callable[[str], int], limit: int) -> list[Range]:
    """Cut `text` at clause boundaries until every piece costs at most `limit` tokens.

    Pieces cover all of `text` but the whitespace between them: nothing is dropped.
    """
    return _split_long(text, 0, len(text), count, limit)


def _split_long(
    text: str, start: int, end: int, count: Callable[[str], int], limit: int
) -> list[Range]:
    if count(text[start:end]) <= limit or end - start < 2:
        return [(start, end)]
    middle = (start + end + 1) // 2
    for pattern in _CLAUSE_BREAKS:
        cuts = [
            m for m in pattern.finditer(text, start, end) if start < m.start() and m.end() < end
        ]
        if cuts:
            best = min(cuts, key=lambda m: abs(m.end() - middle))
            left_end = best.start() + (0 if best.group().isspace() else 1)
            left_end = start + len(text[start:left_end].rstrip())
            return _split_long(text, start, left_end, count, limit) + _split_long(
                text, best.end(), end, count, limit
            )
    # One unbroken run of characters: cut it in the middle.
    return _split_long(text, start, middle, count, limit) + _split_long(
        text, middle, end, count, limit
    )
