"""Rendering for the editor's page: each block as a reader sees it, sentences marked, and
nothing that could run, whatever the article, its translation or the memory hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from depeche import formats
from depeche import segment as segmenting
from depeche.assemble import reassemble
from depeche.errors import InputError
from depeche.formats import Block
from depeche.render import CLOSE, OPEN, RenderedBlock, render
from depeche.restore import as_written
from depeche.results import Segment
from hypothesis import given, settings
from hypothesis import strategies as st

# What the page may receive, written here independently of the module's allow-list.
SAFE_TAGS = set(
    """a abbr b blockquote br caption cite code dd del dl dt em figcaption figure h1 h2 h3 h4 h5
    h6 hr i img ins kbd li mark ol p pre q s small span strong sub sup table tbody td tfoot th
    thead tr u ul""".split()
)
SAFE_ATTRIBUTES = {
    "a": {"href", "title", "rel", "target"},
    "abbr": {"title"},
    "img": {"alt", "title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "span": {"class", "data-segment"},
}
_SPANS = re.compile(r'<span class="segment" data-segment="\d+">|</span>')


class _Read(HTMLParser):
    """Elements with their attributes, the whole text, and the text of each segment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.segments: dict[int, list[str]] = {}
        self.open: list[int | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.elements.append((tag, found))
        if tag == "span":
            self.open.append(int(found["data-segment"] or -1) if "data-segment" in found else None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.open and self.open[-1] is not None:
            self.segments.setdefault(self.open[-1], []).append(data)


def read(html: str) -> _Read:
    reader = _Read()
    reader.feed(html)
    reader.close()
    return reader


def assert_safe(html: str) -> None:
    """Only elements and attributes that cannot run anything; links to the web or mail only,
    each opening apart with no opener or referrer."""
    for tag, attributes in read(html).elements:
        assert tag in SAFE_TAGS, html
        assert set(attributes) <= SAFE_ATTRIBUTES.get(tag, set()), html
        if "href" in attributes:
            href = attributes["href"] or ""
            assert urlsplit(href).scheme in ("", "http", "https", "mailto"), html
            assert not re.match(r"\s*(javascript|data|vbscript):", href, re.IGNORECASE), html
            assert attributes["rel"] == "noopener noreferrer", html
        if tag == "span" and "class" in attributes:
            assert attributes["class"] == "segment", html
    assert OPEN not in html and CLOSE not in html


def rendered(
    text: str, format: formats.Format, english: Callable[[str], str] = str
) -> tuple[list[RenderedBlock], list[Segment]]:
    blocks, sources = segmenting.segment(text, format)
    segments = [replace(as_written(s), translation=english(s.text)) for s in sources]
    return render(text, format, blocks, segments), segments


def bare(html: str) -> str:
    """The block's markup without the segments' spans."""
    return _SPANS.sub("", html)


@pytest.mark.parametrize(
    ("format", "text", "expected"),
    [
        ("markdown", "# *Le conseil vote*", ["<h1><em>Le conseil vote</em></h1>\n"]),
        ("markdown", "Titre\n=====", ["<h1>Titre</h1>\n"]),
        ("markdown", "**Photo de la mairie**", ["<p><strong>Photo de la mairie</strong></p>\n"]),
        (
            "markdown",
            "Le maire de [Lyon](https://lyon.fr) parle.",
            [
                '<p>Le maire de <a href="https://lyon.fr" target="_blank" '
                'rel="noopener noreferrer">Lyon</a> parle.</p>\n'
            ],
        ),
        ("markdown", "_Le Monde_ publie.", ["<p><em>Le Monde</em> publie.</p>\n"]),
        ("markdown", "_Photo de la mairie._", ["<p><em>Photo de la mairie.</em></p>\n"]),
        (
            "markdown",
            "_Il part._ __Elle reste.__ Fin.",
            ["<p><em>Il part.</em> <strong>Elle reste.</strong> Fin.</p>\n"],
        ),
        (
            "markdown",
            "- Un point.\n- Deux.",
            ["<ul>\n<li>Un point.</li>\n</ul>\n", "<ul>\n<li>Deux.</li>\n</ul>\n"],
        ),
        ("markdown", "2. Second point.", ['<ol start="2">\n<li>Second point.</li>\n</ol>\n']),
        ("markdown", "> Une citation.", ["<blockquote>\n<p>Une citation.</p>\n</blockquote>\n"]),
        (
            "markdown",
            "Voir [le site][ref].\n\n[ref]: https://example.org",
            [
                '<p>Voir <a href="https://example.org" target="_blank" '
                'rel="noopener noreferrer">le site</a>.</p>\n',
                "",
            ],
        ),
        ("markdown", "Le code `x < 1` reste.", ["<p>Le code <code>x &lt; 1</code> reste.</p>\n"]),
        ("markdown", "---", ["<hr>\n"]),
        ("html", "<h2>Le <em>vote</em></h2>", ["<h2>Le <em>vote</em></h2>"]),
        (
            "html",
            '<p>À <a href="https://lyon.fr" class="x">Lyon</a>.</p>',
            [
                '<p>À <a href="https://lyon.fr" target="_blank" '
                'rel="noopener noreferrer">Lyon</a>.</p>'
            ],
        ),
        ("html", "<ul><li>Un <b>point</b>.</li></ul>", ["<ul><li>Un <b>point</b>.</li></ul>"]),
        (
            "html",
            "<blockquote>Une citation.</blockquote>",
            ["<blockquote>Une citation.</blockquote>"],
        ),
        ("text", "Un < deux & trois.", ["<p>Un &lt; deux &amp; trois.</p>"]),
        ("text", "- Un point.", ["<p>- Un point.</p>"]),
    ],
)
def test_each_block_is_rendered_as_a_reader_sees_it(
    format: formats.Format, text: str, expected: list[str]
) -> None:
    blocks, _ = rendered(text, format)
    assert [bare(b.french) for b in blocks] == expected
    assert [bare(b.english) for b in blocks] == expected  # the translation left as it was


SAMPLES = [
    (
        "markdown",
        "# *Le conseil municipal vote*\n\nLe maire de [Lyon](https://lyon.fr) a parlé. "
        "**La ministre refuse. Elle part.** Fin\nde ligne.\n\n> Une citation\n> sur deux "
        "lignes.\n\n1. Premier point.\n2. Second [lien][ref].\n\n[ref]: https://example.org\n",
    ),
    (
        "html",
        "<h1>Le <em>conseil</em> vote</h1><p>Le maire de <a href='https://lyon.fr'>Lyon</a> a "
        "parlé. Il part.</p><ul><li>Un point.</li></ul>",
    ),
    ("text", "Premier paragraphe. Deuxième phrase.\nSuite de ligne.\n\n- Un point.\n"),
]


@pytest.mark.parametrize(("format", "text"), SAMPLES)
def test_each_sentence_is_marked_on_both_sides(format: formats.Format, text: str) -> None:
    blocks, segments = rendered(text, format, str.swapcase)
    reader = formats.read(text, format)  # what a reader sees of a sentence, in its document
    french = [read(b.french).segments for b in blocks]
    english = [read(b.english).segments for b in blocks]
    for index, segment in enumerate(segments):
        for side, seen in (
            (french, reader.run(segment.start, segment.end).plain),
            (english, reader.inline(segment.translation).plain),
        ):
            found = "".join(side[segment.block][index])
            assert " ".join(found.split()) == " ".join(seen.split())
    marked = {i for side in (french, english) for block in side for i in block}
    assert marked == set(range(len(segments)))


def test_a_news_item_is_shown_from_its_segments_read_as_html() -> None:
    text = "x" * 100
    blocks = [Block("heading1", 10, 20), Block("paragraph", 30, 90)]
    segments = [
        Segment("Les transports", "The transport", 0, 10, 20),
        Segment("La mairie <b>promet</b>.", "The town hall <b>promises</b>.", 1, 30, 60),
        Segment("Il part.", "He leaves.<script>window.hit=1</script>", 1, 61, 90),
    ]
    shown = render(text, "ninjs", blocks, segments)
    assert [bare(b.english) for b in shown] == [
        "<h1>The transport</h1>",
        "<p>The town hall <b>promises</b>. He leaves.</p>",
    ]
    assert [read(b.english).segments for b in shown][1] == {
        1: ["The town hall ", "promises", "."],
        2: ["He leaves."],
    }
    for block in shown:
        assert_safe(block.french)
        assert_safe(block.english)


def test_the_marks_as_written_in_an_article_change_nothing() -> None:
    text = f"Le tiret {OPEN} et l'espace{CLOSE}restent [ici](https://example.org/{OPEN})."
    blocks, _ = rendered(text, "markdown")
    assert read(blocks[0].french).segments == {0: ["Le tiret — et l'espace restent ", "ici", "."]}
    assert 'href="https://example.org/%E2%80%94"' in blocks[0].french


def test_overlapping_segments_show_the_english_as_reassembled() -> None:
    text = "Le maire parle. Il part."
    blocks = [Block("paragraph", 0, len(text))]
    segments = [Segment("b", "He leaves.", 0, 3, 15), Segment("a", "The mayor.", 0, 0, 24)]
    [shown] = render(text, "text", blocks, segments)
    english = reassemble(text, segments)
    assert "".join(read(shown.english).text) == english
    assert "".join(read(shown.french).text) == text  # each character once
    assert read(shown.french).segments == {1: ["Le maire parle. Il part."]}


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("Voir https://example.org/page", "https://example.org/page"),
        ("Voir https://example.org/page. Puis partir.", "https://example.org/page"),
        ("www.example.org publie. Puis part.", "http://www.example.org"),
        ("Voir <https://example.org/a>. Puis partir.", "https://example.org/a"),
    ],
)
def test_a_link_found_in_the_text_ends_where_the_text_says(text: str, href: str) -> None:
    blocks, _ = rendered(text, "markdown")
    [link] = [a for tag, a in read(blocks[0].french).elements if tag == "a"]
    assert link["href"] == href


# Hostile input in every format, and what a reader must see of it (None: nothing).
HOSTILE = [
    ("markdown", "<script>window.hit=1</script> Le texte.", "<script>window.hit=1</script>"),
    ("markdown", '<img src=x onerror="window.hit=1"> Le texte.', "onerror="),
    ("markdown", "[clic](javascript:window.hit=1) Le texte.", "[clic](javascript:window.hit=1)"),
    ("markdown", "[clic](JaVaScRiPt:window.hit=1) Le texte.", "[clic]"),
    ("markdown", "<javascript:window.hit=1> Le texte.", "<javascript:window.hit=1>"),
    ("markdown", "[clic](data:text/html;base64,PHNjcmlwdD4=) Le texte.", "[clic]"),
    ("markdown", "![x](javascript:window.hit=1) Le texte.", None),
    ("markdown", "&lt;script&gt;window.hit=1&lt;/script&gt; Le texte.", "<script>"),
    ("markdown", "&#60;img src=x onerror=window.hit=1&#62; Le texte.", "<img src=x"),
    ("markdown", '[clic](https://example.org "a\\" onmouseover=\\"window.hit=1") Le.', "clic"),
    ("markdown", '<div onclick="window.hit=1">Le texte.</div>', "<div onclick="),
    ("html", "<p>Le texte.<script>window.hit=1</script></p>", None),
    ("html", '<p><img src=x onerror="window.hit=1">Le texte.</p>', None),
    ("html", '<p><a href="javascript:window.hit=1">clic</a> Le texte.</p>', "clic"),
    ("html", '<p><a href="&#106;avascript:window.hit=1">clic</a> Le texte.</p>', "clic"),
    ("html", '<p><a href="jav&#x09;ascript:window.hit=1">clic</a> Le texte.</p>', "clic"),
    ("html", '<p><a href="data:text/html,<script>window.hit=1</script>">clic</a></p>', "clic"),
    ("html", '<p><svg onload="window.hit=1"></svg>Le texte.</p>', None),
    ("html", '<p><iframe src="javascript:window.hit=1"></iframe>Le texte.</p>', None),
    ("html", '<p style="x:url(javascript:y)" onmouseover="window.hit=1">Le texte.</p>', None),
    ("html", "<p>&lt;script&gt;window.hit=1&lt;/script&gt; Le texte.</p>", "<script>"),
    ("html", '<p><form action="javascript:x"><button>Le texte.</button></form></p>', None),
    ("html", '<p><math><mi xlink:href="javascript:x">Le texte.</mi></math></p>', None),
    ("html", "<p><style>*{color:red}</style>Le texte.</p>", None),
    ("html", '<p><object data="x.swf"></object><embed src="x.swf">Le texte.</p>', None),
    ("html", '<p><base href="https://evil.example/">Le <b onclick="x()">texte</b>.</p>', None),
    ("text", "<script>window.hit=1</script> Le texte.", "<script>window.hit=1</script>"),
    ("text", "<img src=x onerror=window.hit=1> Le texte.", "<img src=x onerror"),
]
# What an approved translation or a suggestion may hold, put in every segment's English.
HOSTILE_ENGLISH = (
    '<script>window.hit=2</script><img src=x onerror="window.hit=3">'
    "[x](javascript:window.hit=4) <a href='javascript:window.hit=5'>y</a>"
)


@pytest.mark.parametrize(("format", "text", "visible"), HOSTILE)
def test_nothing_that_could_run_comes_out(
    format: formats.Format, text: str, visible: str | None
) -> None:
    blocks, _ = rendered(text, format, lambda _: HOSTILE_ENGLISH)
    for block in blocks:
        assert_safe(block.french)
        assert_safe(block.english)
    shown = "".join(t for b in blocks for t in read(b.french).text)
    if visible is not None:
        assert visible in shown  # shown as text, as written


@settings(max_examples=150, deadline=None)
@given(
    format=st.sampled_from(["markdown", "html", "text"]),
    pieces=st.lists(
        st.sampled_from(
            [
                "<script>",
                "</script>",
                "<img src=x onerror=",
                "window.hit=1",
                "javascript:",
                "[clic](",
                ")",
                "<a href=",
                '"',
                "'",
                ">",
                "*",
                "_",
                "&#106;",
                "&lt;",
                "\n",
                "\n\n",
                "- ",
                "> ",
                "# ",
                "Le maire parle. ",
                "https://example.org",
                OPEN,
                CLOSE,
            ]
        ),
        max_size=30,
    ),
)
def test_any_mix_of_hostile_pieces_renders_safe(format: str, pieces: list[str]) -> None:
    text = "".join(pieces)
    blocks, segments = rendered(text, format, lambda s: s + " <script>x</script>")  # type: ignore[arg-type]
    for block in blocks:
        assert_safe(block.french)
        assert_safe(block.english)
        for side in (block.french, block.english):
            assert set(read(side).segments) <= set(range(len(segments)))


@pytest.mark.parametrize(
    ("blocks", "segments", "message"),
    [
        (
            [Block("paragraph", 0, 10)],
            [Segment("a", "b\ud800", 0, 0, 5)],
            "not a Unicode character",
        ),
        ([Block("paragraph", 0, 50)], [], "outside the text"),
        ([Block("paragraph", 0, 10)], [Segment("a", "b", 1, 0, 5)], "not there"),
        ([Block("paragraph", 0, 10)], [Segment("a", "b", 0, 5, 12)], "not inside its block"),
    ],
)
def test_an_article_that_is_not_of_the_text_is_refused(
    blocks: list[Block], segments: list[Segment], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        render("Le texte est là.", "text", blocks, segments)
