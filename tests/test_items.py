"""News items and feeds translated as the articles they hold, on the tiny model."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from depeche.formats import detect, read_wire
from depeche.glossary import Glossary
from depeche.items import ItemResult
from depeche.output import render
from depeche.summarizer import Summarizer
from depeche.translator import Translator

from tests import wire_items

DOCUMENTS = {
    "ninjs-1": wire_items.NINJS_1,
    "ninjs-2": wire_items.NINJS_2,
    "ninjs-3": wire_items.NINJS_3,
    "newsml-item": wire_items.NEWSML_ITEM,
    "newsml-message": wire_items.NEWSML_MESSAGE,
    "rss": wire_items.RSS,
    "atom": wire_items.ATOM,
}


def piece_by_piece(translator: Translator, text: str) -> str:
    """The document with each piece translated alone, as any article of its format."""
    document = read_wire(text, detect(text))  # type: ignore[arg-type]
    results = [translator.translate_article(p.text, p.format, p.options) for p in document.pieces]
    return document.write([r.text for r in results], [r.segments for r in results])


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_each_piece_comes_out_as_its_article_would(translator: Translator, name: str) -> None:
    text = DOCUMENTS[name]
    result = translator.translate_article(text, "auto")
    assert isinstance(result, ItemResult) and result.format == detect(text)
    assert result.text == piece_by_piece(translator, text)
    assert result.text != text


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_segments_and_blocks_are_placed_in_the_source(translator: Translator, name: str) -> None:
    text = DOCUMENTS[name]
    result = translator.translate_article(text, "auto")
    assert result.segments
    for segment in result.segments:
        written = text[segment.start : segment.end]
        if name.startswith("ninjs"):
            written = json.loads(f'"{written}"')
        elif "<![CDATA[" not in text[segment.start - 9 : segment.start]:
            written = html.unescape(written) if "&lt;" in written else written
        assert written == segment.source
    for block in result.blocks:
        assert all(block.start <= s < e <= block.end for s, e in block.prose)
    assert [b.start for b in result.blocks] == sorted(b.start for b in result.blocks)


def test_headlines_are_headings_and_the_title(translator: Translator) -> None:
    result = translator.translate_article(wire_items.NINJS_2, "ninjs")
    headline = translator.translate_article("Des vendanges précoces en Bourgogne", "text")
    assert result.title == headline.text
    kinds = [b.kind for b in result.blocks]
    assert kinds[:2] == ["heading1", "heading2"] and "description" in kinds
    assert result.to_dict()["title"] == headline.text and result.to_dict()["format"] == "ninjs"


def test_items_and_articles_share_one_call(translator: Translator) -> None:
    article = "# Le budget\n\nLe maire de Lyon a présenté un budget.\n"
    results = translator.translate_articles([wire_items.RSS, article, wire_items.NINJS_3], "auto")
    assert [r.format for r in results] == ["rss", "markdown", "ninjs"]
    assert results[1].text == translator.translate_article(article, "markdown").text
    assert results[2].text == piece_by_piece(translator, wire_items.NINJS_3)


def test_the_caches_serve_items(translator: Translator, tmp_path: Path) -> None:
    cached = Translator(translator.settings, cache_url=f"sqlite:///{tmp_path}/c.db")
    first = cached.translate_article(wire_items.NINJS_1, "ninjs")
    again = cached.translate_article(wire_items.NINJS_1, "ninjs")
    assert first.cache == "miss" and again.cache == "hit" and again.text == first.text
    edited = wire_items.NINJS_1.replace("depuis lundi", "depuis mardi")
    assert cached.translate_article(edited, "ninjs").cache == "partial"
    cached.close()


def test_approved_translations_and_glossaries_apply(translator: Translator, tmp_path: Path) -> None:
    editor = Translator(translator.settings, cache_url=f"sqlite:///{tmp_path}/c.db")
    sentence = "Le réseau de bus est fermé depuis lundi."
    editor.approved.approve([(sentence, 'The bus network has been "shut" since Monday.')], "cli")
    result = editor.translate_article(wire_items.NINJS_1, "ninjs")
    item = json.loads(result.text)
    assert item["description_text"] == 'The bus network has been "shut" since Monday.'
    editor.close()
    glossary = Glossary.of({"Rennes": "RENNES-CITY"})
    found = translator.translate_article(wire_items.NINJS_1, "ninjs", glossary=glossary)
    assert "RENNES-CITY" in json.loads(found.text)["headline"]


def test_a_summary_is_of_the_main_body(translator: Translator, summarizer: Summarizer) -> None:
    result = translator.translate_article(wire_items.NINJS_3, "ninjs")
    bodies = [p for p, _ in result.pieces if p.main]  # type: ignore[attr-defined]
    assert [p.role for p in bodies] == ["body", "body"]
    # The first body: the second says the same in XHTML; the map's caption is not the story.
    plain = translator.translate_article(result.pieces[1][0].text, "text")  # type: ignore[attr-defined]
    assert result.english_prose() == plain.english_prose() != ""
    summarizer.summarize_articles([result])
    assert result.summary is not None and result.summary.text
    # Its sentences draw on the segments of that body alone.
    start = len(result.pieces[0][1].segments)  # type: ignore[attr-defined]
    first = range(start, start + len(result.pieces[1][1].segments))  # type: ignore[attr-defined]
    prose = result.segment_prose()
    assert [i for i, text in enumerate(prose) if text] == [i for i in first if prose[i]] != []
    assert result.summary.sentences is not None
    assert all(set(s.segments) <= set(first) for s in result.summary.sentences)
    item = json.loads(render(result, "ninjs"))
    assert {"role": "summary", "value": result.summary.text} in item["descriptions"]


def test_a_feed_takes_no_summary(translator: Translator) -> None:
    from depeche.results import Summary

    result = translator.translate_article(wire_items.ATOM, "atom")
    result.summary = Summary("A summary.")
    assert render(result, "atom") == result.text


def test_a_feed_read_once_with_its_new_entries_selected(translator: Translator) -> None:
    feed = read_wire(wire_items.ATOM, "atom")
    new = {"urn:depeche:test:atom:2"}
    feed.select(lambda piece: piece.entry in new)
    [result] = translator.translate_items([feed])
    whole = translator.translate_article(wire_items.ATOM, "atom")
    assert result.format == "atom" and {p.entry for p, _ in result.pieces} == new
    english = read_wire(result.text, "atom")
    translated = read_wire(whole.text, "atom")
    old, fresh = (result.text[e.start : e.end] for e in english.entries)
    assert fresh == whole.text[translated.entries[1].start : translated.entries[1].end]
    assert "Le marché aux poissons rouvre sur le Vieux-Port" in old


@pytest.mark.parametrize(
    ("text", "format", "kept"),
    [
        (
            '{"uri": "urn:x", "body_html": "<p class=\\"chapo\\">'
            "Le maire de Lyon a parl\\u00e9.<\\/p>"
            '\\u00a0<p>La ministre refuse la gr\\u00e8ve.<\\/p>"}',
            "ninjs",
            ['"body_html": "<p class=\\"chapo\\">', "<\\/p>\\u00a0<p>", '<\\/p>"}'],
        ),
        (
            "<rss version='2.0'><channel><title>Le flux</title><item><description>"
            "&lt;p class=&quot;chapo&quot;&gt;Le maire de Lyon a parlé.&#60;/p&#62;"
            "&#xa0;&lt;p&gt;La ministre refuse la grève.&lt;/p&gt;</description></item>"
            "</channel></rss>",
            "rss",
            ["<description>&lt;p class=&quot;chapo&quot;&gt;", "&#60;/p&#62;&#xa0;&lt;p&gt;"],
        ),
    ],
)
def test_what_lies_between_sentences_stays_as_written(
    translator: Translator, text: str, format: str, kept: list[str]
) -> None:
    result = translator.translate_article(text, format)  # type: ignore[arg-type]
    assert "Le maire de Lyon a parl" not in result.text
    for written in kept:
        assert written in result.text
