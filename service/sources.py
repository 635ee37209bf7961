"""Summary sources: the segments of an article each sentence of its summary draws on.

Sources are found from the words a summary sentence shares with the English of the article's
segments, not from the summarizer's cross-attention: overlap can be computed for any summary,
cached or not, from any engine, and an editor can check it by reading; attention would need a
forced-decoding pass over every chunk, and a summary condensed from chunk summaries attends to
those, not to the article. A summary sentence's content words (its words less English function
words, with plural and possessive endings dropped) are covered greedily: the segment sharing
the most of those not covered yet is a source, as long as it adds at least two (ties go to the
segment sharing more word pairs, then to the earlier one), at most three sources. A sentence is
`unsupported` when no segment is a source or its sources cover less than half its content
words; a number or a name the article does not have flags it as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from . import flags, names, sentences
from .results import ArticleResult, Summary, SummarySentence

UNSUPPORTED = "unsupported"
UNSUPPORTED_NUMBER = "unsupported_number"
UNSUPPORTED_NAME = "unsupported_name"
MOST_SOURCES = 3
MIN_GAIN = 2  # content words a source must add
MIN_COVERED = 0.5  # share of a sentence's content words its sources must hold

# English function words: they say nothing of where a sentence comes from.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own said same says she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves new one two""".split()
)


def content_words(text: str) -> list[str]:
    """The words of `text` that carry its content, folded (no case, accents, apostrophes or
    hyphens), plural and possessive endings dropped, in order."""
    found = []
    for word in names.fold(text).split():
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) > 1 and word not in STOPWORDS:
            found.append(word)
    return found


def find(sentence: str, segments: Sequence[str]) -> tuple[list[int], float]:
    """The indices of `segments` (their English, "" for those that are no source) that
    `sentence` draws on, in order, and the share of its content words they hold."""
    return _find(sentence, [_Words(text) for text in segments])


class _Words:
    """The content words of a segment's English, and their pairs."""

    def __init__(self, text: str) -> None:
        found = content_words(text)
        self.words = set(found)
        self.pairs = set(pairwise(found))


def _find(sentence: str, segments: Sequence[_Words]) -> tuple[list[int], float]:
    found = content_words(sentence)
    wanted, pairs = set(found), set(pairwise(found))
    if not wanted:
        return [], 0.0
    left = set(wanted)
    chosen: list[int] = []
    while left and len(chosen) < MOST_SOURCES:
        gain, _, negative = max(
            (
                (len(left & segment.words), len(pairs & segment.pairs), -index)
                for index, segment in enumerate(segments)
                if index not in chosen
            ),
            default=(0, 0, 0),
        )
        if gain < min(MIN_GAIN, len(wanted)):
            break
        chosen.append(-negative)
        left -= segments[-negative].words
    return sorted(chosen), 1 - len(left) / len(wanted)


def attribute(summary: str, segments: Sequence[str], article: str) -> list[SummarySentence]:
    """The sentences of `summary`, each with its sources among `segments` (the English of
    each segment, "" for those the summarizer did not read) and its flags; `article` is the
    English the summarizer read."""
    indexed = [_Words(text) for text in segments]
    found = []
    for start, end in sentences.split(summary, "en"):
        text = summary[start:end]
        sources, covered = _find(text, indexed)
        reasons: dict[str, str] = {}
        if not sources:
            reasons[UNSUPPORTED] = "no sentence of the article says this"
        elif covered < MIN_COVERED:
            reasons[UNSUPPORTED] = (
                f"its sources hold only {covered:.0%} of its words: the rest is not in them"
            )
        lost = sorted(flags.numbers(text) - flags.numbers(article))
        if lost:
            reasons[UNSUPPORTED_NUMBER] = "numbers not in the article: " + ", ".join(lost)
        if unknown := names.unsupported(article, text):
            reasons[UNSUPPORTED_NAME] = "names not in the article: " + ", ".join(unknown)
        found.append(SummarySentence(text, sources, list(reasons), reasons))
    return found


def attach(summary: Summary, result: ArticleResult) -> Summary:
    """`summary` of `result` with its sentences and their sources; flagged `unsupported`
    where a sentence is."""
    sentences_found = attribute(summary.text, result.segment_prose(), result.english_prose())
    extra = [UNSUPPORTED] if any(UNSUPPORTED in s.flags for s in sentences_found) else []
    return replace(
        summary,
        flags=list(dict.fromkeys([*summary.flags, *extra])),
        sentences=sentences_found,
    )
