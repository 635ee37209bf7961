"""HTML: blocks and inline markup from one tokenization, every byte outside prose kept."""

from __future__ import annotations

from dataclasses import replace

import pytest
from depeche.assemble import reassemble
from depeche.formats import HtmlOptions, read
from depeche.inline import Inline
from depeche.restore import as_written
from depeche.segment import segment

PAGE = (
    '<!DOCTYPE html>\n<html lang="fr">\n<head><title>Le budget</title>\n'
    "<style>p { color: red; } /* Texte */</style>\n"
    "<script>var message = 'Bonjour le monde';</script></head>\n"
    "<body>\n  <!-- Un commentaire à garder -->\n"
    "  <h1 class='titre'>Le conseil vote le budget</h1>\n"
    '  <p>Le maire de <a href="https://lyon.fr" title="Ville">Lyon</a> a présenté '
    "un budget <em>rouge</em>.<br>Il parle&nbsp;ici.</p>\n"
    "  <pre>Code à garder tel quel.</pre>\n"
    '  <p translate="no">Ne pas traduire cette phrase.</p>\n'
    '  <p class="note notranslate">Pas celle-ci non plus.</p>\n'
    "  <ul><li>Un élément de liste.</li><li>Un autre <code>x = 1</code> ici.</li></ul>\n"
    "  <textarea>Texte libre</textarea><template><p>Modèle</p></template>\n"
    "  <table><tr><th>Nom</th><td>Le maire</td></tr></table>\n"
    "</body>\n</html>\n"
)


def test_blocks_are_block_elements_and_prose_is_their_text() -> None:
    reader = read(PAGE, "html")
    found = [(b.kind, PAGE[b.start : b.end]) for b in reader.blocks]
    assert found == [
        ("title", "Le budget"),
        ("heading1", "Le conseil vote le budget"),
        (
            "paragraph",
            'Le maire de <a href="https://lyon.fr" title="Ville">Lyon</a> a présenté un budget '
            "<em>rouge</em>.<br>Il parle&nbsp;ici.",
        ),
        ("list_item", "Un élément de liste."),
        ("list_item", "Un autre <code>x = 1</code> ici."),
        ("table_header", "Nom"),
        ("table_cell", "Le maire"),
    ]


def test_nothing_outside_prose_changes() -> None:
    _, drafts = segment(PAGE, "html")
    output = reassemble(PAGE, [replace(as_written(d), translation="TRADUIT") for d in drafts])
    for kept in (
        '<!DOCTYPE html>\n<html lang="fr">',
        "<style>p { color: red; } /* Texte */</style>",
        "<script>var message = 'Bonjour le monde';</script>",
        "<!-- Un commentaire à garder -->",
        "<h1 class='titre'>",
        "<pre>Code à garder tel quel.</pre>",
        '<p translate="no">Ne pas traduire cette phrase.</p>',
        '<p class="note notranslate">Pas celle-ci non plus.</p>',
        "<textarea>Texte libre</textarea><template><p>Modèle</p></template>",
    ):
        assert kept in output
    assert "présenté" not in output and "Le conseil" not in output


def test_inline_elements_are_spans_and_atoms() -> None:
    drafts = list(segment(PAGE, "html")[1])
    paragraph = next(d for d in drafts if d.text.startswith("Le maire de"))
    assert paragraph.inline.plain == "Le maire de Lyon a présenté un budget rouge."
    assert [(s.open, s.close) for s in paragraph.inline.spans] == [
        ('<a href="https://lyon.fr" title="Ville">', "</a>"),
        ("<em>", "</em>"),
    ]
    # The <br> belongs to the sentence it is written against; the entity reads as a space.
    second = drafts[drafts.index(paragraph) + 1]
    assert second.inline.plain == "Il parle ici."
    assert [a.raw for a in paragraph.inline.atoms + second.inline.atoms] == ["<br>"]


@pytest.mark.parametrize(
    ("options", "blocks"),
    [
        (HtmlOptions(), ["Un texte.", "Une suite."]),
        (HtmlOptions(non_splitting=("p",)), ["<p>Un texte.</p><p>Une suite.</p>"]),
        (HtmlOptions(ignore=("p",)), []),
        (HtmlOptions(xml=True), ["<div><p>Un texte.</p><p>Une suite.</p></div>"]),
        (HtmlOptions(xml=True, splitting=("p",)), ["Un texte.", "Une suite."]),
    ],
)
def test_deepl_tag_options(options: HtmlOptions, blocks: list[str]) -> None:
    text = "<div><p>Un texte.</p><p>Une suite.</p></div>"
    reader = read(text, "html", options)
    assert [text[b.start : b.end] for b in reader.blocks] == blocks


def test_alt_and_title_are_text_readers_see() -> None:
    page = (
        '<figure><img src="a.png" alt="Le maire &amp; la ville"></figure>'
        "<p>Voir <a href=\"/x\" title='Une page'>ici</a>.</p>"
    )
    reader = read(page, "html")
    blocks = [(b.kind, page[b.start : b.end]) for b in reader.blocks]
    assert blocks[0] == ("attribute", "Le maire &amp; la ville")
    assert reader.run(reader.blocks[0].start, reader.blocks[0].end).plain == "Le maire & la ville"
    assert reader.escaper(reader.blocks[0])('"A" & B') == "&quot;A&quot; &amp; B"
    link = "<a href=\"/x\" title='Une page'>"
    assert reader.markup_text(link) == ["Une page"]
    assert reader.with_markup_text(link, {"Une page": "A 'page'"}) == (
        "<a href=\"/x\" title='A &#x27;page&#x27;'>"
    )
    assert read('<img alt="Non" translate="no">', "html").blocks == []
    kept = read(page, "html", HtmlOptions(attributes=False))
    assert [b.kind for b in kept.blocks] == ["paragraph"]
    assert kept.markup_text(link) == []


def inline_of(page: str, options: HtmlOptions | None = None) -> Inline:
    """The whole first prose block of `page`, as one sentence."""
    reader = read(page, "html", options)
    [block] = [b for b in reader.blocks if b.prose]
    return reader.run(*block.prose[0]).whole()


@pytest.mark.parametrize(
    ("page", "plain", "spans", "atoms"),
    [
        (  # an unquoted value with `/`, `?`, `=` and `&`
            "<p>Voir <a href=/maire?id=3&lang=fr>la page</a> ici.</p>",
            "Voir la page ici.",
            ["<a href=/maire?id=3&lang=fr>"],
            [],
        ),
        (  # no space after a quoted value
            '<p>Voir <a href="/x"class="lien">ici</a>.</p>',
            "Voir ici.",
            ['<a href="/x"class="lien">'],
            [],
        ),
        (  # a `>` inside a quoted value does not end the tag
            '<p>Un <a title="a > b" href=x>lien</a> ici.</p>',
            "Un lien ici.",
            ['<a title="a > b" href=x>'],
            [],
        ),
        (
            "<p>Voir https://www.radiohc.cu/ pour plus.</p>",
            "Voir pour plus.",
            [],
            ["https://www.radiohc.cu/"],
        ),
        (
            "<p>Écrire à redaction@journal.fr, ou www.journal.fr&nbsp;!</p>",
            "Écrire à , ou !",
            [],
            ["redaction@journal.fr", "www.journal.fr"],
        ),
        ("<p>Si a < b et c<3 alors.</p>", "Si a < b et c<3 alors.", [], []),
    ],
)
def test_tags_and_addresses_as_browsers_read_them(
    page: str, plain: str, spans: list[str], atoms: list[str]
) -> None:
    inline = inline_of(page)
    assert inline.plain == plain
    assert [s.open for s in inline.spans] == spans
    assert [a.raw for a in inline.atoms] == atoms


@pytest.mark.parametrize(
    ("attributes", "kept"),
    [
        ('translate="no"', True),
        ("translate=NO", True),
        ('class="note notranslate"', True),
        ("class=notranslate", True),
        ('data-translate="no"', False),
        ('title="translate=no"', False),
        ('class="notranslate-later"', False),
        ('lang="fr" data-x="class=notranslate"', False),
        ('translate=""', False),
    ],
)
def test_only_translate_no_and_the_notranslate_class_keep_an_element(
    attributes: str, kept: bool
) -> None:
    page = f"<p {attributes}>Le maire parle.</p>"
    prose = [b for b in read(page, "html").blocks if b.prose]
    assert (prose == []) == kept


def test_xml_keeps_cdata_sections_whole() -> None:
    page = "<doc><p>Un texte <![CDATA[a > b && <c>]]> et la suite.</p></doc>"
    inline = inline_of(page, HtmlOptions(xml=True, splitting=("p",)))
    assert inline.plain == "Un texte et la suite."
    assert [a.raw for a in inline.atoms] == ["<![CDATA[a > b && <c>]]>"]


def test_a_tag_the_page_ends_inside_is_kept_as_written() -> None:
    page = '<p>Le maire parle.</p><p>Puis <a href="/x'
    drafts = list(segment(page, "html")[1])
    assert [d.text for d in drafts] == ["Le maire parle.", "Puis"]
    assert reassemble(page, [as_written(d) for d in drafts]) == page


@pytest.mark.parametrize(
    "kept",
    [
        '<script>var a = "<script \'x";</script>',  # raw text: no tag inside, `</script>` ends it
        '<code>x <code title="</code>">y</code> z</code>',  # nested, a `</code>` in a value
    ],
)
def test_a_kept_element_ends_where_browsers_end_it(kept: str) -> None:
    page = f"<p>Avant.</p>{kept}<p>Après.</p>"
    drafts = list(segment(page, "html")[1])
    assert [d.text for d in drafts] == ["Avant.", "Après."]
