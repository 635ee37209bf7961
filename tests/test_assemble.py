from __future__ import annotations

import pytest
from depeche.assemble import assemble, reassemble
from depeche.formats import Block
from depeche.results import ArticleResult, Segment


def test_replaces_spans_and_keeps_the_rest() -> None:
    source = "  Un. Deux.\r\n\r\nTrois."
    segments = [
        Segment("Deux.", "Two.", 0, 6, 11),
        Segment("Un.", "One.", 0, 2, 5),
        Segment("Trois.", "Three.", 1, 15, 21),
    ]
    assert reassemble(source, segments) == "  One. Two.\r\n\r\nThree."


def test_untranslated_segments_give_the_source_back() -> None:
    source = "A. B.\nC."
    segments = [Segment(source[a:b], source[a:b], 0, a, b) for a, b in [(0, 2), (3, 5), (6, 8)]]
    assert reassemble(source, segments) == source


# (format, source, its blocks' kinds and ranges, the English of each block's one segment, title)
TITLES = [
    (
        "markdown",
        "# *Le vote*\n\nIl part.",
        [("heading1", 0, 11), ("paragraph", 13, 21)],
        ["*The vote*", "He leaves."],
        "The vote",
    ),
    (
        "markdown",
        "Il part.\n\n## Le **vote**",
        [("paragraph", 0, 8), ("heading2", 10, 24)],
        ["He leaves.", "The **vote**"],
        "The vote",
    ),
    ("html", "<h1>Le <b>vote</b></h1>", [("heading1", 4, 18)], ["The <b>vote</b>"], "The vote"),
    ("text", "Il part.", [("paragraph", 0, 8)], ["He leaves."], None),
]


@pytest.mark.parametrize(("format", "source", "kinds", "english", "title"), TITLES)
def test_the_title_is_the_first_headings_plain_english(
    format: str,
    source: str,
    kinds: list[tuple[str, int, int]],
    english: list[str],
    title: str | None,
) -> None:
    """Found once, when the article is assembled, and kept through the cache's JSON."""
    blocks = [Block(kind, start, end, ((start, end),)) for kind, start, end in kinds]
    segments = [
        Segment(source[b.start : b.end], e, i, b.start, b.end)
        for i, (b, e) in enumerate(zip(blocks, english, strict=True))
    ]
    result = assemble(source, format, blocks, segments, cached=False)
    assert result.title == title
    assert result.to_dict()["title"] == title
    assert ArticleResult.from_dict(result.to_dict()).title == title
