"""The registry's answers that differ by format: where a summary goes."""

from __future__ import annotations

import pytest
from depeche.formats import takes_summary, with_summary

FEED = (
    '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>The daily</title>'
    "<item><title>The port</title></item></channel></rss>\n"
)


@pytest.mark.parametrize(
    ("format", "text", "summary", "expected"),
    [
        (
            "text",
            "The mayor votes.\n",
            "He votes.",
            "The mayor votes.\n\n---\n\n**Summary:** He votes.\n",
        ),
        (
            "markdown",
            "# Vote\n\nThe mayor votes.\n\n\n",
            "He votes.",
            "# Vote\n\nThe mayor votes.\n\n---\n\n**Summary:** He votes.\n",
        ),
        (
            "html",
            "<p>The mayor votes.</p>\n",
            "A & B <i>",
            "<p>The mayor votes.</p>\n<hr>\n<p><strong>Summary:</strong> A &amp; B &lt;i&gt;</p>\n",
        ),
        ("markdown", "The mayor votes.\n", "", "The mayor votes.\n"),
        ("markdown", "The mayor votes.\n", None, "The mayor votes.\n"),
        ("rss", FEED, "He votes.", FEED),  # a feed has no place for one
    ],
)
def test_a_summary_goes_where_the_format_puts_one(
    format: str, text: str, summary: str | None, expected: str
) -> None:
    assert with_summary(text, format, summary) == expected


@pytest.mark.parametrize(
    ("format", "takes"),
    [
        ("text", True),
        ("markdown", True),
        ("html", True),
        ("ninjs", True),
        ("newsml", True),
        ("rss", False),
        ("atom", False),
        ("docx", False),
    ],
)
def test_takes_summary(format: str, takes: bool) -> None:
    assert takes_summary(format) is takes
