"""RSS 2.0 and Atom: titles, descriptions, summaries and contents translated and written back
the way they came (escaped HTML, CDATA, inline XHTML); the feed still parses."""

from __future__ import annotations

import feedparser
import pytest
from depeche.errors import ItemError
from depeche.formats import decode, with_summary
from depeche.formats.feeds import AtomFeed, RssFeed
from depeche.formats.wire import WireDocument

from tests.wire_items import ATOM, BOMB, BROKEN_XML, RSS, fake_english


def english(document: WireDocument) -> str:
    return document.write([fake_english(p.text, p.format, p.options) for p in document.pieces])


def parsed(text: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse(text.encode())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_rss_pieces() -> None:
    assert [(p.role, p.format) for p in RssFeed(RSS).pieces] == [
        ("headline", "text"),
        ("description", "text"),
        ("headline", "text"),
        ("description", "html"),
        ("body", "html"),
        ("headline", "text"),
        ("description", "html"),
    ]


def test_rss_comes_back_as_it_came() -> None:
    output = english(RssFeed(RSS))
    feed = parsed(output)
    assert feed.feed.title == "EN Le Quotidien de l'Ouest"
    assert feed.feed.language == "en"
    first, second = feed.entries
    assert first.title == "EN Le port de Brest accueille un nouveau ferry"
    assert first.summary == "<p>EN Le navire relie Brest à Cork <b>trois fois</b> par semaine.</p>"
    assert first.content[0].value.startswith("<p>EN Le ferry peut transporter <em>mille</em>")
    assert (first.id, first.link, first.author) == (
        "ouest-2024-0042",
        "https://example.org/brest-ferry",
        "Yann Le Goff",
    )
    assert second.enclosures[0].href == "https://example.org/route.jpg"
    # Escaped HTML comes back escaped, CDATA as CDATA; the rest as it was written.
    assert "<description>&lt;p&gt;EN Le navire relie Brest" in output
    assert "<content:encoded><![CDATA[<p>EN Le ferry" in output
    assert "<description><![CDATA[<p>EN La route est coupée" in output
    for kept in (
        "<!-- flux généré à 6 h -->",
        "<category>Économie</category>",
        '<guid isPermaLink="false">ouest-2024-0042</guid>',
        "<pubDate>Tue, 04 Jun 2024 07:00:00 +0200</pubDate>",
        '<enclosure url="https://example.org/route.jpg" length="52311" type="image/jpeg"/>',
    ):
        assert kept in output
    assert with_summary(output, "rss", "A summary.") == output


def test_atom_pieces() -> None:
    assert [(p.role, p.format, p.raw) for p in AtomFeed(ATOM).pieces] == [
        ("headline", "text", False),
        ("description", "html", False),
        ("headline", "text", False),
        ("description", "text", False),
        ("body", "html", True),
        ("headline", "html", False),
        ("body", "html", False),
    ]


def test_atom_comes_back_as_it_came() -> None:
    output = english(AtomFeed(ATOM))
    feed = parsed(output)
    assert feed.feed.title == "EN Les Nouvelles du Sud"
    assert feed.feed.subtitle == "EN L'actualité de <em>Marseille</em> et de la région"
    first, second = feed.entries
    assert first.summary == "EN Les pêcheurs retrouvent leurs étals ce matin."
    assert first.content[0].value.startswith("<p>EN Après six mois de travaux, le quai est")
    assert second.title == "EN Canicule : <b>alerte orange</b> dans les Bouches-du-Rhône"
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">' in output
    assert '<entry xml:lang="en">' in output
    assert '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>EN ' in output
    assert "<author><name>Rédaction Sud</name></author>" in output
    assert feed.feed.language == "en"


@pytest.mark.parametrize(
    ("entry", "kept"),
    [
        ('<content src="https://example.org/a.html"/>', True),
        ('<content type="image/png">aGVsbG8=</content>', True),
        ('<content type="text/plain">Le texte.</content>', False),
    ],
)
def test_atom_content_elsewhere_or_of_another_type_is_kept(entry: str, kept: bool) -> None:
    source = (
        '<entry xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>Le titre</title>'
        f"<updated>2024-07-01T09:00:00Z</updated>{entry}</entry>"
    )
    output = english(AtomFeed(source))
    assert (entry in output) is kept and "<title>EN Le titre</title>" in output


def test_a_feed_declared_in_another_encoding_comes_out_in_utf8() -> None:
    data = RSS.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("iso-8859-1")
    output = english(RssFeed(decode(data)))
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert parsed(output).entries[0].category == "Économie"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (BOMB, "refused"),
        (BROKEN_XML, "not well-formed XML: mismatched tag"),
        ('<feed xmlns="urn:other"/>', "not an Atom feed"),
    ],
)
def test_refused(source: str, message: str) -> None:
    with pytest.raises(ItemError, match=message):
        (AtomFeed if "feed" in source else RssFeed)(source)


@pytest.mark.parametrize(
    ("document", "ids"),
    [
        (RssFeed(RSS), ["ouest-2024-0042", "https://example.org/route-cotiere"]),
        (AtomFeed(ATOM), ["urn:depeche:test:atom:1", "urn:depeche:test:atom:2"]),
    ],
)
def test_entries_and_their_pieces(document: RssFeed | AtomFeed, ids: list[str]) -> None:
    assert [entry.id for entry in document.entries] == ids
    for entry in document.entries:
        written = document.text[entry.start : entry.end]
        assert written.startswith(("<item>", "<entry")) and entry.id in written
        pieces = [p for p in document.pieces if p.entry == entry.id]
        assert pieces and all(entry.start < p.start < p.end < entry.end for p in pieces)
    # The feed's own title and description (subtitle) belong to no entry.
    assert [p.role for p in document.pieces if p.entry is None] == ["headline", "description"]


def test_an_entry_without_guid_is_known_by_its_link_or_title() -> None:
    feed = RssFeed(
        "<rss version='2.0'><channel><title>Le flux</title>"
        "<item><title>Sans lien</title></item>"
        "<item><title>Avec lien</title><link>https://example.org/a</link></item>"
        "</channel></rss>"
    )
    assert [entry.id for entry in feed.entries] == ["Sans lien", "https://example.org/a"]


def test_only_the_entries_selected_are_translated() -> None:
    feed = RssFeed(RSS)
    feed.select(lambda piece: piece.entry == "https://example.org/route-cotiere")
    output = english(feed)
    assert "<title>EN Fermeture d'une route côtière</title>" in output
    assert "<title>Le port de Brest accueille un nouveau ferry</title>" in output
    assert "<title>Le Quotidien de l'Ouest</title>" in output
    assert parsed(output).feed.language == "en"
