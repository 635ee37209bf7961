"""Summary sources: the segments a summary sentence draws on, from written tables."""

from __future__ import annotations

import pytest
from depeche.formats import Block
from depeche.results import ArticleResult, Segment, Summary
from depeche.sources import (
    UNSUPPORTED,
    UNSUPPORTED_NAME,
    UNSUPPORTED_NUMBER,
    attach,
    attribute,
    content_words,
    find,
)

SEGMENTS = [
    "Council votes budget",  # a title: the summarizer does not read it
    "The mayor of Lyon presented a budget of 25,000 euros on Monday.",
    "The opposition criticised the cost of the new swimming pool.",
    "Residents of the district have been asking for a covered market for years.",
    "The council will vote on the budget in June.",
]
PROSE = ["", *SEGMENTS[1:]]
ARTICLE = " ".join(PROSE[1:])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mayor's budgets were presented.", ["mayor", "budget", "presented"]),
        ("Élysée and Jean-Luc", ["elysee", "jean", "luc"]),
        ("It is what it was.", []),
    ],
)
def test_content_words(text: str, expected: list[str]) -> None:
    assert content_words(text) == expected


@pytest.mark.parametrize(
    ("sentence", "sources", "covered"),
    [
        # Copied nearly whole: one source.
        ("The mayor of Lyon presented a budget on Monday.", [1], 1.0),
        # Fused from two sentences: both, in article order; a word only a third would add
        # ("mayor") makes no source.
        ("The council will vote on the mayor's budget and the swimming pool.", [2, 4], 5 / 6),
        # A paraphrase that keeps two content words of one sentence.
        ("Residents want a market.", [3], 2 / 3),
        # One shared word is no source.
        ("The mayor resigned unexpectedly.", [], 0.0),
        # The title is never a source, even when it says the same.
        ("Council votes budget.", [4], 1.0),
        ("Nothing here matches anything.", [], 0.0),
    ],
)
def test_sources_of_a_sentence(sentence: str, sources: list[int], covered: float) -> None:
    found, share = find(sentence, PROSE)
    assert found == sources
    assert share == pytest.approx(covered)


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (
            "The mayor of Lyon presented a budget. The council will vote in June.",
            [([1], []), ([4], [])],
        ),
        ("The mayor of Lyon resigned amid a scandal over bribes.", [([1], [UNSUPPORTED])]),
        ("Zebras escaped from the zoo.", [([], [UNSUPPORTED])]),
        ("The mayor of Lyon presented a budget of 30,000 euros.", [([1], [UNSUPPORTED_NUMBER])]),
        ("The mayor of Paris presented a budget on Monday.", [([1], [UNSUPPORTED_NAME])]),
    ],
)
def test_summary_sentences_with_their_sources_and_flags(
    summary: str, expected: list[tuple[list[int], list[str]]]
) -> None:
    found = attribute(summary, PROSE, ARTICLE)
    assert [(s.segments, s.flags) for s in found] == expected
    assert " ".join(s.text for s in found) == summary
    assert all(set(s.reasons) == set(s.flags) for s in found)


def test_attach_flags_the_summary_unsupported_where_a_sentence_is() -> None:
    blocks = [Block("heading1", 0, 1), Block("paragraph", 2, 3)]
    segments = [Segment("x", text, 0 if i == 0 else 1, i, i + 1) for i, text in enumerate(SEGMENTS)]
    result = ArticleResult("", blocks, segments, format="text")
    assert result.segment_prose() == PROSE
    summary = Summary("The mayor of Lyon presented a budget. Zebras escaped.", ["truncated"])
    attached = attach(summary, result)
    assert attached.flags == ["truncated", UNSUPPORTED]
    assert [s.segments for s in attached.sentences or []] == [[1], []]
    assert summary.sentences is None  # the cached summary is left as it was
    result.summary = attached
    again = ArticleResult.from_dict(result.to_dict())
    assert again.summary is not None and again.summary.sentences == attached.sentences
    assert again.to_dict()["summary_sentences"][1] == {
        "text": "Zebras escaped.",
        "segments": [],
        "flags": [UNSUPPORTED],
        "reasons": {UNSUPPORTED: "no sentence of the article says this"},
    }
