from __future__ import annotations

import pytest
from depeche.blocks import parse, parse_markdown, parse_text


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("", []),
        ("Une ligne.", ["Une ligne."]),
        ("Un.\n\nDeux.\n", ["Un.", "Deux."]),
        ("  Indenté.  \r\nSuite.\r\n", ["Indenté.", "Suite."]),
        ("\n \n\t\n", []),
    ],
)
def test_plain_text_lines_are_paragraphs(text: str, prose: list[str]) -> None:
    blocks = parse_text(text)
    assert [text[a:b] for block in blocks for a, b in block.prose] == prose
    assert all(block.kind == "paragraph" for block in blocks)


ARTICLE = (
    "# *Titre en italique*\r\n\r\n---\r\n\r\nImage not found or type unknown\r\n\r\n"
    "**Légende de la photo**\r\n\r\nParis, 3 juin (AFP) Premier paragraphe.\r\n\r\n"
    "> Une citation\r\n> sur deux lignes.\r\n\r\n- Un\r\n- Deux\r\n\r\n1. Premier\r\n\r\n"
    "Un paragraphe\r\nsur deux lignes.\r\n\r\n```\r\ncode\r\n```\r\n\r\n"
    "<https://example.org/x>\r\n\r\n**Pied de page**"
)


def test_markdown_blocks_and_their_prose() -> None:
    found = [(b.kind, [ARTICLE[a:z] for a, z in b.prose]) for b in parse_markdown(ARTICLE)]
    assert found == [
        ("heading1", ["*Titre en italique*"]),
        ("rule", []),
        ("image", []),
        ("caption", ["**Légende de la photo**"]),
        ("paragraph", ["Paris, 3 juin (AFP) Premier paragraphe."]),
        ("quote", ["Une citation", "sur deux lignes."]),
        ("list_item", ["Un"]),
        ("list_item", ["Deux"]),
        ("list_item", ["Premier"]),
        ("paragraph", ["Un paragraphe\r\nsur deux lignes."]),
        ("code", []),
        ("paragraph", ["<https://example.org/x>"]),
        ("caption", ["**Pied de page**"]),
    ]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Titre\n=====\n", ["heading1"]),
        ("## Sous-titre ##\n", ["heading2"]),
        ("| a | b |\n|---|---|\n| c | d |\n", ["table"]),
        ("<div>html</div>\n", ["html"]),
        ("", []),
        ("\ufeff---\n", ["rule"]),
        ("\ufeff# Titre", ["heading1"]),
    ],
)
def test_markdown_block_kinds(text: str, kinds: list[str]) -> None:
    assert [b.kind for b in parse(text, "markdown")] == kinds
