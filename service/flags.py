"""Flags for an editor: signs that a segment's translation needs a look. They never block."""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import names

REPETITION = "repetition"
LENGTH_RATIO = "length_ratio"
UNTRANSLATED = "untranslated"
MISSING_DIGITS = "missing_digits"
ENGLISH = "kept_english"  # detected as English and left as is
GLOSSARY = "glossary"  # a glossary term whose English could not be placed
LOW_CONFIDENCE = "low_confidence"  # the model's own score is under the threshold
NAMES = "names"  # a name of the French is not in the English

KEPT_ENGLISH = "the sentence is English already; left as written"

# Output/input length in characters, for sources long enough for the ratio to mean something.
RATIO_RANGE = (0.4, 2.5)
RATIO_MIN_CHARS = 20
# Digits with their thousands and decimal separators: "25 000", "3,5", "1.200.000".
# Letters stuck in a loop inside a word: "localesssss", "ababababab".
_STUTTER = re.compile(r"([^\W\d_]{1,8}?)\1{4,}")
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")


def numbers(text: str) -> set[str]:
    """The numbers of `text`, separators removed (so "25 000" and "25,000" are equal)."""
    return {re.sub(r"\D", "", match) for match in _NUMBER.findall(text)}


def repeats(text: str) -> bool:
    """A loop: one word four times in a row, a group of 2-4 words three times in a row, or a
    few letters five times in a row."""
    if _STUTTER.search(text.lower()):
        return True
    words = text.lower().split()
    for size in range(1, 5):
        needed = 4 if size == 1 else 3
        for start in range(len(words) - size * needed + 1):
            group = words[start : start + size]
            if all(
                words[start + k * size : start + (k + 1) * size] == group for k in range(needed)
            ):
                return True
    return False


def check(
    source: str,
    translation: str,
    *,
    capped: bool = False,
    score: float | None = None,
    threshold: float | None = None,
    renamed: Sequence[tuple[int, int, str]] = (),
) -> dict[str, str]:
    """Flags of one translated segment (plain text, markup removed), each with its reason in
    words an editor understands. `score` is the model's mean log-probability per token,
    flagged under `threshold`; `renamed` are the glossary terms of the source, (start, end,
    target), whose names come out as the target."""
    found: dict[str, str] = {}
    if capped:
        found[REPETITION] = "the English ran to the length limit: the model may have looped"
    elif repeats(translation):
        found[REPETITION] = "the English repeats itself: the model may have looped"
    if len(source) >= RATIO_MIN_CHARS:
        ratio = len(translation) / len(source)
        if not RATIO_RANGE[0] <= ratio <= RATIO_RANGE[1]:
            found[LENGTH_RATIO] = f"the English is {ratio:.1f} times as long as the French"
    if len(source.split()) > 1 and " ".join(source.split()) == " ".join(translation.split()):
        found[UNTRANSLATED] = "the English is the French, word for word"
    lost = [m for m in _NUMBER.findall(source) if re.sub(r"\D", "", m) not in numbers(translation)]
    if lost:
        found[MISSING_DIGITS] = "numbers not in the English: " + ", ".join(dict.fromkeys(lost))
    if names_lost := names.missing(source, translation, renamed):
        found[NAMES] = "names not in the English: " + ", ".join(names_lost)
    if score is not None and threshold is not None and score < threshold:
        found[LOW_CONFIDENCE] = (
            f"the model was unsure of its English (score {score:.2f}, under {threshold:.2f})"
        )
    return found


def flag(source: str, translation: str, *, capped: bool = False) -> list[str]:
    """The flags of `check`, without their reasons."""
    return list(check(source, translation, capped=capped))
