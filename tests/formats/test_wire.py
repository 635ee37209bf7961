"""What the wire formats share: recognition by content, bytes read as their declaration says,
edits spliced in, language tags."""

from __future__ import annotations

import pytest
from depeche.errors import InputError
from depeche.formats import decode, detect
from depeche.formats.wire import Edit, is_english, splice

from tests import wire_items


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (wire_items.NINJS_1, None, "ninjs"),
        (wire_items.NINJS_2, "item.json", "ninjs"),
        (wire_items.NINJS_3, "item.txt", "ninjs"),
        (wire_items.NEWSML_ITEM, "item.xml", "newsml"),
        (wire_items.NEWSML_MESSAGE, None, "newsml"),
        (wire_items.RSS, "feed.rss", "rss"),
        (wire_items.ATOM, "feed.atom", "atom"),
        ("\ufeff" + wire_items.ATOM, None, "atom"),
        ("  \n" + wire_items.NINJS_1, None, "ninjs"),
        # Entity declarations stop the reading early: the doctype names what is refused.
        (wire_items.BOMB, None, "rss"),
        (wire_items.EXTERNAL, None, "newsml"),
        (wire_items.NOT_NEWS_JSON, "settings.json", "text"),
        (wire_items.NOT_NEWS_XML, "settings.xml", "text"),
        ('<catalog xmlns="http://iptc.org/std/nar/2006-10-01/"/>', None, "text"),
        ("<p>Un.</p>\n<p>Deux.</p>\n", None, "html"),
        ("{Le maire} a parlé.\n", None, "text"),
        # By its name first: markdown holding a feed's text is markdown.
        (wire_items.RSS, "notes.md", "markdown"),
    ],
)
def test_recognized_by_content(text: str, name: str | None, expected: str) -> None:
    assert detect(text, name) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Le maire a parlé.".encode(), "Le maire a parlé."),
        ("\ufeffLe maire.".encode(), "Le maire."),
        ('<?xml version="1.0" encoding="ISO-8859-1"?><r>é</r>'.encode("iso-8859-1"), None),
    ],
)
def test_decode(data: bytes, expected: str | None) -> None:
    assert decode(data) == (expected or data.decode("iso-8859-1"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"caf\xe9", r"^item.txt: not UTF-8 text \(byte 3\)$"),
        (b'<?xml version="1.0" encoding="klingon"?><r>\xe9</r>', "not klingon text"),
    ],
)
def test_decode_refuses(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode(data, "item.txt")


def test_splice() -> None:
    # Replacements and an insertion, in any order.
    edits = [Edit(10, 12, "à"), Edit(0, 2, "Le"), Edit(17, 17, " ce soir")]
    assert splice("La mairie de Lyon.", edits) == "Le mairie à Lyon ce soir."
    assert splice("Rien.", []) == "Rien."


@pytest.mark.parametrize(
    ("tag", "english"),
    [
        ("en", True),
        ("EN-gb", True),
        ("en_US", True),
        ("fr", False),
        ("fr-FR", False),
        ("eng", False),
    ],
)
def test_is_english(tag: str, english: bool) -> None:
    assert is_english(tag) is english
