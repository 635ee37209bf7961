"""NewsML-G2: headlines, descriptions and the inline body translated, every element, attribute,
comment and CDATA section kept, the language English where it is stated."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from depeche.errors import ItemError
from depeche.formats import with_summary
from depeche.formats.newsml import NewsmlDocument

from tests.wire_items import EXTERNAL, NEWSML_ITEM, NEWSML_MESSAGE, fake_english

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def english(text: str) -> str:
    document = NewsmlDocument(text)
    return document.write([fake_english(p.text, p.format, p.options) for p in document.pieces])


def shape(text: str) -> list[tuple[str, dict[str, str]]]:
    """Every element's name and attributes, in document order, languages aside."""
    return [
        (e.tag, {k: v for k, v in e.attrib.items() if k not in (LANG, "lang", "tag")})
        for e in ET.fromstring(text.encode()).iter()
    ]


@pytest.mark.parametrize(
    ("source", "pieces"),
    [
        (
            NEWSML_ITEM,
            [
                ("headline", "text", False, "La réforme des rythmes scolaires divise les maires"),
                ("description", "text", False, "Une cour d'école vide à Paris & en banlieue."),
                ("body", "html", True, "\n      <html xmlns="),
            ],
        ),
        (
            NEWSML_MESSAGE,
            [
                ("headline", "text", False, "Le Tour de France part de Florence"),
                ("body", "html", True, "\n          <nitf xmlns="),
                ("headline", "text", False, "Le peloton dans les collines"),
                ("description", "text", False, "Le peloton traverse les vignes de Toscane."),
            ],
        ),
    ],
)
def test_pieces(source: str, pieces: list[tuple[str, str, bool, str]]) -> None:
    document = NewsmlDocument(source)
    found = [(p.role, p.format, p.main, p.text) for p in document.pieces]
    assert [f[:3] for f in found] == [p[:3] for p in pieces]
    assert all(f[3].startswith(p[3]) for f, p in zip(found, pieces, strict=True))


@pytest.mark.parametrize("source", [NEWSML_ITEM, NEWSML_MESSAGE])
def test_the_same_elements_come_out(source: str) -> None:
    output = english(source)
    assert shape(output) == shape(source)
    # Lines holding nothing translated are kept byte for byte.
    changed = {line for line in output.splitlines() if "EN " in line or '"en"' in line}
    kept = [line for line in source.splitlines() if line not in output.splitlines()]
    assert len(kept) == len(changed)


def test_what_is_kept_and_what_is_switched() -> None:
    output = english(NEWSML_ITEM)
    for kept in (
        "<!-- Dépêche de test écrite pour depeche -->",
        "<!-- paragraphe ajouté à 10 h -->",
        '<subject qcode="medtop:05000000"><name xml:lang="fr">éducation</name></subject>',
        "<pubStatus qcode='stat:usable'/>",
        "<edNote>Ne pas publier avant midi.</edNote>",
        "<dateline>Paris, 21 mai</dateline>",
        "<by>Sophie Lambert</by>",
        '<located qcode="geo:2988507"><name>Paris</name></located>',
    ):
        assert kept in output
    for switched in (
        'standardversion="2.29" conformance="power" xml:lang="en">',
        '<language tag="en"/>',
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
    ):
        assert switched in output
    # A CDATA section comes back as one; XML text escaped as it was.
    assert "<![CDATA[EN Une cour d'école vide à Paris & en banlieue.]]>" in output
    assert "<title>EN Rythmes scolaires</title>" in output
    assert "<p>EN Plusieurs maires de grandes villes refusent le calendrier &amp; la" in output


def test_an_nitf_body_keeps_its_byline() -> None:
    output = english(NEWSML_MESSAGE)
    assert "<byline>Par Marc Tessier</byline>" in output
    assert "<hl1>EN Le Tour de France part de Florence</hl1>" in output
    assert "<p>EN Les coureurs ont quitté la ville sous un soleil de plomb.</p>" in output
    # The picture's item states no language: none is added.
    assert 'guid="urn:depeche:test:msg:photo" version="1"' in output
    assert output.count('xml:lang="en"') == 1 and '<language tag="en"/>' in output


@pytest.mark.parametrize(
    ("source", "after"),
    [
        (NEWSML_ITEM, '<description role="drol:caption">'),
        (NEWSML_MESSAGE, "<headline>EN Le Tour de France part de Florence</headline>"),
    ],
)
def test_a_summary_goes_in_the_item_with_a_body(source: str, after: str) -> None:
    output = with_summary(english(source), "newsml", "A short & clear summary.")
    summary = '<description role="drol:summary">A short &amp; clear summary.</description>'
    lines = output.splitlines()
    index = next(i for i, line in enumerate(lines) if after in line)
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    assert lines[index + 1] == indent + summary
    added = [e for e in shape(output) if e not in shape(source)]
    assert added == [(f"{NAR}description", {"role": "drol:summary"})]
    assert with_summary(output, "newsml", "Another one.") == output


def test_a_prefixed_namespace_is_written_with_its_prefix() -> None:
    source = (
        '<nar:newsItem xmlns:nar="http://iptc.org/std/nar/2006-10-01/">'
        "<nar:contentMeta><nar:headline>Le titre</nar:headline></nar:contentMeta>"
        '<nar:contentSet><nar:inlineData contenttype="text/plain">Le texte.</nar:inlineData>'
        "</nar:contentSet></nar:newsItem>"
    )
    document = NewsmlDocument(source)
    assert [(p.role, p.format, p.main) for p in document.pieces] == [
        ("headline", "text", False),
        ("body", "text", True),
    ]
    output = with_summary(source, "newsml", "S.")
    assert '</nar:headline><nar:description role="drol:summary">S.</nar:description>' in output
    ET.fromstring(output)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (EXTERNAL, "refused"),
        (
            "<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/'><headline>x</newsItem>",
            "mismatched tag",
        ),
        ("<rss version='2.0'/>", "not NewsML-G2"),
    ],
)
def test_refused(source: str, message: str) -> None:
    with pytest.raises(ItemError, match=message):
        NewsmlDocument(source)
