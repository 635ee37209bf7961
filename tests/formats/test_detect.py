"""The format of a text: by extension for .md and .html, else by what the text looks like."""

from __future__ import annotations

from pathlib import Path

import pytest
from depeche.formats import detect

# The repository's example: scraped markdown, as a newsroom feed delivers it.
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "article.md"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Le maire a parlé.\nIl pleut.\n", None, "text"),
        ("Le maire a parlé.\n", "article.md", "markdown"),
        ("Le maire a parlé.\n", "page.HTML", "html"),
        ("Le maire a parlé.\n", "page.htm", "html"),
        ("# Titre\n\nTexte.\n", None, "markdown"),
        ("Texte.\n\n---\n\nSuite.\n", None, "markdown"),
        ("**Légende de la photo**\n\nTexte.\n", None, "markdown"),
        ("Voir [le site](https://x.fr).\n", None, "markdown"),
        ("Voir <https://x.fr/a>.\n", None, "markdown"),
        ("<!DOCTYPE html><html><body><p>Texte.</p></body></html>", None, "html"),
        ("<p>Un.</p>\n<p>Deux.</p>\n", None, "html"),
        ("<div><h2>Titre</h2><p>Texte.</p></div>", "body.txt", "html"),
        ("1) La baisse des impôts.\n• Une puce ronde.\n", None, "text"),
        ("Le prix est de 3 * 4 euros.\n", None, "text"),
    ],
)
def test_format_by_name_then_content(text: str, name: str | None, expected: str) -> None:
    assert detect(text, name) == expected


def test_the_example_article_in_a_txt_file_is_markdown() -> None:
    # Scraped markdown arrives in .txt files: its italic title, rules and bold lines say so.
    assert detect(EXAMPLE.read_text(encoding="utf-8"), "article.txt") == "markdown"
