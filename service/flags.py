"""Flags for an editor: signs that a segment's translation needs a look. They never block."""

from __future__ import annotations

import re

REPETITION = "repetition"
LENGTH_RATIO = "length_ratio"
UNTRANSLATED = "untranslated"
MISSING_DIGITS = "missing_digits"
ENGLISH = "kept_english"  # detected as English and left as is
GLOSSARY = "glossary"  # a glossary term whose English could not be placed

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


def flag(source: str, translation: str, *, capped: bool = False) -> list[str]:
    """Flags of one translated segment (plain text, markup removed)."""
    found = []
    if capped or repeats(translation):
        found.append(REPETITION)
    if len(source) >= RATIO_MIN_CHARS:
        ratio = len(translation) / len(source)
        if not RATIO_RANGE[0] <= ratio <= RATIO_RANGE[1]:
            found.append(LENGTH_RATIO)
    if len(source.split()) > 1 and " ".join(source.split()) == " ".join(translation.split()):
        found.append(UNTRANSLATED)
    if not numbers(source) <= numbers(translation):
        found.append(MISSING_DIGITS)
    return found
