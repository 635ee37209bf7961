"""The shapes of results: an article's flags as every output writes them."""

from __future__ import annotations

from typing import Any

import pytest
from depeche.formats.base import Block
from depeche.results import ArticleResult, Segment, Summary

SOURCE = "Le maire vote. Il part."


def _article(segment_flags: list[list[str]], summary: Summary | None) -> ArticleResult:
    block = Block("paragraph", 0, len(SOURCE), ((0, 14), (15, len(SOURCE))))
    segments = [
        Segment(SOURCE[s:e], "English.", 0, s, e, flags)
        for (s, e), flags in zip(block.prose, segment_flags, strict=True)
    ]
    return ArticleResult("English. English.", [block], segments, summary, format="text")


@pytest.mark.parametrize(
    ("segment_flags", "summary", "expected"),
    [
        ([[], []], None, []),
        (
            [["names"], []],
            None,
            [{"where": "segment", "segment": 0, "flag": "names"}],
        ),
        (
            [[], ["digits", "names"]],
            Summary("English.", ["unsupported_number"]),
            [
                {"where": "segment", "segment": 1, "flag": "digits"},
                {"where": "segment", "segment": 1, "flag": "names"},
                {"where": "summary", "segment": None, "flag": "unsupported_number"},
            ],
        ),
    ],
)
def test_flags_name_their_segment_or_none(
    segment_flags: list[list[str]], summary: Summary | None, expected: list[dict[str, Any]]
) -> None:
    """Every flag has the same keys, a summary's on no segment: the CLI's JSON, the stream and
    /v1/articles write the same records."""
    article = _article(segment_flags, summary)
    assert article.flags == expected
    assert article.to_dict()["flags"] == expected
