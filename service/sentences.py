"""Sentences: split prose into sentences, and over-long sentences into clauses.

Splitting uses pysbd's French rules, then merges the splits French news typography makes
it get wrong (`Dr. Martin`, `p. ex.`, `av. J.-C.`, `Maksim S. Oreshkin`): a French sentence
never starts with a lower-case letter or a hyphen, and a title or an initial never ends one.

Every function returns `(start, end)` spans into its input, never rewritten text, so the
characters between sentences (spaces, NBSP, line breaks) are kept exactly.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

Span = tuple[int, int]

# Abbreviations that never end a French sentence (compared without their final period).
NON_TERMINAL = frozenset(
    (
        "M MM Mme Mmes Mlle Mlles Dr Dre Pr Me Mgr St Ste Sts Stes p pp ex av apr cf art al env "
        "vol chap fig éd coll dir hab tél n no nos janv févr avr juill sept oct nov déc Cie Gén "
        "Col Cdt Lt Sgt Réf réf"
    ).split()
)
_LAST_WORD = re.compile(r"(\S+)\.\s*$")
_INITIAL = re.compile(r"(?:^|\s)\w\.\s*$")
_CONTINUATION = re.compile(r"\s*(?:[a-zà-ÿ]|[-–,;:)»])")
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


def split(text: str, language: str = "fr") -> list[Span]:
    """Sentence spans of `text`, stripped of surrounding whitespace, in order."""
    spans: list[Span] = []
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
    return _merge(text, spans)


def _merge(text: str, spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in spans:
        if merged and _continues(text[merged[-1][0] : merged[-1][1]], text[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _continues(previous: str, current: str) -> bool:
    if _CONTINUATION.match(current):
        return True
    last = _LAST_WORD.search(previous)
    if last and last.group(1).split(".")[-1] in NON_TERMINAL:
        return True
    return bool(_INITIAL.search(previous)) and current[:1].isupper()


def split_long(text: str, count: Callable[[str], int], limit: int) -> list[Span]:
    """Cut `text` at clause boundaries until every piece costs at most `limit` tokens.

    Pieces cover all of `text` but the whitespace between them: nothing is dropped.
    """
    return _split_long(text, 0, len(text), count, limit)


def _split_long(
    text: str, start: int, end: int, count: Callable[[str], int], limit: int
) -> list[Span]:
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
