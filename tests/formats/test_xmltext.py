"""XML read safely, with the place of every element and of every character of a text."""

from __future__ import annotations

import pytest
from depeche.errors import ItemError
from depeche.formats.xmltext import (
    LANG,
    attribute_span,
    cdata,
    content,
    declared_encoding,
    escape,
    parse,
    prefix,
    sniff,
    walk,
)

from tests import wire_items

DOCUMENT = (
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- début -->\n'
    "<n:root xmlns:n=\"urn:n\" xml:lang='fr'><a>Été &amp; <![CDATA[<b>x</b>]]></a>"
    "<b>\n  <![CDATA[<p>Le été</p>]]>\n</b><c/><d></d><e>un <!-- ici --> deux</e></n:root>"
)


def test_elements_and_their_places() -> None:
    root = parse(DOCUMENT)
    found = [(e.name, DOCUMENT[e.start : e.inner], DOCUMENT[e.close : e.end]) for e in walk(root)]
    assert found == [
        ("{urn:n}root", "<n:root xmlns:n=\"urn:n\" xml:lang='fr'>", "</n:root>"),
        ("a", "<a>", "</a>"),
        ("b", "<b>", "</b>"),
        ("c", "<c/>", ""),
        ("d", "<d>", "</d>"),
        ("e", "<e>", "</e>"),
    ]
    assert root.attributes[LANG] == "fr"
    assert DOCUMENT.__getitem__(slice(*attribute_span(DOCUMENT, root, "xml:lang"))) == "fr"  # type: ignore[misc]
    assert attribute_span(DOCUMENT, root, "lang") is None
    assert prefix(DOCUMENT, root) == "n:" and prefix(DOCUMENT, root.children[0]) == ""
    assert [c.name for c in root.children[0].ancestors()] == ["a", "{urn:n}root"]


@pytest.mark.parametrize(
    ("index", "value", "kind", "written"),
    [
        (0, "Été & <b>x</b>", "mixed", "Été &amp; <![CDATA[<b>x</b>]]>"),
        (1, "<p>Le été</p>", "cdata", "<p>Le été</p>"),
        (3, "", "text", ""),
        (4, "un  deux", "mixed", "un <!-- ici --> deux"),
    ],
)
def test_content_is_decoded_with_each_character_placed(
    index: int, value: str, kind: str, written: str
) -> None:
    element = parse(DOCUMENT).children[index]
    found = content(DOCUMENT, element)
    assert (found.value, found.kind, DOCUMENT[found.start : found.end]) == (value, kind, written)
    for i, char in enumerate(found.value):
        at = found.offsets(i)
        assert DOCUMENT[at] == char or DOCUMENT.startswith("&amp;", at)


def test_escapes_read_back() -> None:
    text = "Le <b> & ]]> fin"
    wrapped = f"<r><t>{escape(text)}</t><c><![CDATA[{cdata(text)}]]></c></r>"
    root = parse(wrapped)
    assert [content(wrapped, e).value for e in root.children] == [text, text]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (wire_items.BOMB, "entity declarations and external entities are refused"),
        (wire_items.EXTERNAL, "entity declarations and external entities are refused"),
        (
            '<!DOCTYPE r SYSTEM "http://example.org/r.dtd"><r>&eacute;</r>',
            "the entity &eacute; is declared outside the document",
        ),
        (
            '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://example.org/p.dtd"> %p;]><r/>',
            "refused",
        ),
        (wire_items.BROKEN_XML, r"not well-formed XML: mismatched tag \(line 2, column 46\)"),
        ("<r>un &nbsp; deux</r>", "undefined entity"),
        ("", "no element found"),
    ],
)
def test_refused_and_broken_documents(text: str, message: str) -> None:
    with pytest.raises(ItemError, match=message):
        parse(text)


def test_sniff_reads_no_further_than_the_root() -> None:
    assert sniff(wire_items.RSS) == ("rss", None)
    assert sniff(wire_items.ATOM)[0] == "{http://www.w3.org/2005/Atom}feed"
    # Entity declarations stop it before the root: the doctype still names it.
    assert sniff(wire_items.BOMB) == (None, "rss")
    assert sniff("<p>Un<br>deux") == ("p", None)
    assert sniff("Le maire.") == (None, None)


@pytest.mark.parametrize(
    ("declaration", "rewritten"),
    [
        ('<?xml version="1.0" encoding="ISO-8859-1"?><r/>', "ISO-8859-1"),
        ("<?xml version='1.0' encoding='windows-1252'?><r/>", "windows-1252"),
        ('<?xml version="1.0" encoding="utf-8"?><r/>', None),
        ('<?xml version="1.0" encoding="UTF8"?><r/>', None),
        ('<?xml version="1.0"?><r/>', None),
    ],
)
def test_a_declared_encoding_other_than_utf8(declaration: str, rewritten: str | None) -> None:
    span = declared_encoding(declaration)
    assert (declaration[span[0] : span[1]] if span else None) == rewritten
