from __future__ import annotations

import pytest

from service.blocks import parse_text


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
