"""Markup projected back onto translations, well formed whatever the alignment says
(Hypothesis over generated sentences and adversarial alignments)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from depeche import formats
from depeche.inline import Atom, Inline, Span
from depeche.projection import NoRoom, project, project_checked
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.test_inline import inline_of
from tests.work import LINEAR, growth


def markup(inline: Inline) -> Counter[str]:
    """The multiset of markup of a sentence: each span's markers, each atom."""
    return Counter([s.open + "…" + s.close for s in inline.spans] + [a.raw for a in inline.atoms])


def shape(inline: Inline) -> list[tuple[str, str]]:
    """Each span with the span it sits in: nesting, by markers."""
    names = [s.open + "…" + s.close for s in inline.spans]
    return sorted(
        (name, names[s.parent] if s.parent >= 0 else "")
        for name, s in zip(names, inline.spans, strict=True)
    )


@pytest.mark.parametrize(
    ("raw", "translation", "alignment", "expected"),
    [
        ("*maire* le parle", "the mayor spoke", [(0, 1), (1, 0), (2, 2)], "the *mayor* spoke"),
        ("*maire* le parle", "the mayor spoke", [], "*the* mayor spoke"),
        ("*maire* le parle", "the mayor spoke", [(2, 0)], "the mayor *spoke*"),
        (
            "[Le maire](a) [de Paris](b) parle.",
            "The mayor of Paris speaks.",
            [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)],
            "[The mayor](a) [of Paris](b) speaks.",
        ),
        (  # both links aligned to one word: siblings stay siblings, each on a word of its own
            "[Le maire](a) [de Paris](b) parle.",
            "The mayor of Paris speaks.",
            [(2, 0), (2, 1), (2, 2), (2, 3)],
            "The mayor [of](a) [Paris](b) speaks.",
        ),
        (
            "une voiture <b>rouge</b> ici.",
            "a red car here.",
            [(0, 0), (1, 2), (2, 1), (3, 3)],
            "a <b>red</b> car here.",
        ),
        ("Il a dit *non*.", "He said *no*.", [(0, 0), (1, 2), (2, 3)], "He said *\\*no\\**."),
        (
            "Une image ![i](x.png) au milieu.",
            "An image in the middle.",
            [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)],
            "An image ![i](x.png) in the middle.",
        ),
        ("Texte[^1] ici.", "Text here.", [(0, 0), (1, 1)], "Text[^1] here."),
        ("ligne\\\nsuite ici.", "line next here.", [(0, 0), (1, 1), (2, 2)], "line\\\nnext here."),
        ("**Légende.**", "Caption.", [], "**Caption.**"),
    ],
)
def test_markup_follows_the_alignment(
    raw: str, translation: str, alignment: list[tuple[int, int]], expected: str
) -> None:
    escape = formats.reader_class("markdown").escape
    assert project(translation, inline_of(raw), alignment, escape) == expected


def test_html_is_escaped_and_tags_kept_as_written() -> None:
    inline = inline_of("<p>Une <a href='x' class=\"l\">voiture</a> rouge.</p>", "html")
    escape = formats.reader_class("html").escape
    out = project("A red <car> & more.", inline, [(2, 1)], escape)
    assert out == "A red <a href='x' class=\"l\">&lt;car&gt;</a> &amp; more."


def test_too_few_words_for_the_markup_is_no_room() -> None:
    with pytest.raises(NoRoom):
        project("Yes.", inline_of("[Un](a) [deux](b) [trois](c)"), [])


def test_nesting_as_deep_as_the_input_is_placed_without_recursion() -> None:
    depth = 5_000  # past Python's recursion limit
    spans = tuple(Span(0, 5, "<i>", "</i>", index - 1) for index in range(depth))
    out = project("Mayor speaks.", Inline("Maire parle.", spans), [(0, 0), (1, 1)])
    assert out == "<i>" * depth + "Mayor" + "</i>" * depth + " speaks."


def test_markup_is_placed_in_time_linear_in_the_sentence() -> None:
    def sentence(size: int) -> Inline:
        words = " ".join(["mot"] * size)
        atoms = tuple(Atom(4 * i + 3, "<br>") for i in range(size - 1))
        spans = tuple(Span(4 * i, 4 * i + 3, "<b>", "</b>") for i in range(0, size, 2))
        return Inline(words, spans, atoms)

    def place(inline: Inline) -> str:
        return project(inline.plain.replace("mot", "word"), inline, [])

    assert growth(sentence, place, 1_000) < LINEAR


# -- properties ------------------------------------------------------------------------------

WORDS = st.sampled_from(["le", "maire", "de", "Lyon", "parle", "ici", "vote", "budget", "été"])
ATOMS = st.sampled_from(
    ["`code`", "![photo](a.png)", "<br>", "https://example.org/a_(b)", "[^1]", "a@b.fr"]
)
SPANS = st.sampled_from(
    [
        ("_", "_"),
        ("**", "**"),
        ("~~", "~~"),
        ("[", "](https://x.fr/p)"),
        ("[", "][ref]"),
        ("<b>", "</b>"),
        ('<a href="u">', "</a>"),
    ]
)


@st.composite
def sentence(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["word", "word", "span", "atom"] if depth < 3 else ["word"]))
        if kind == "word":
            parts.append(draw(WORDS))
        elif kind == "atom":
            parts.append(draw(ATOMS))
        else:
            opener, closer = draw(SPANS)
            inner = draw(sentence(depth + 1))
            if opener == "[" and "[" in inner:  # links never nest in markdown
                inner = " ".join(w for w in inner.split() if w.isalpha()) or "mot"
            parts.append(opener + inner + closer)
    return " ".join(parts)


@st.composite
def alignments(draw: st.DrawFn, sources: int, targets: int) -> list[tuple[int, int]]:
    return draw(
        st.lists(st.tuples(st.integers(0, targets - 1), st.integers(0, max(sources - 1, 0))))
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_alignment_gives_well_formed_markdown_with_the_same_markup(data: st.DataObject) -> None:
    raw = data.draw(sentence()) + "."
    source = inline_of(raw)
    assume(source.plain)
    translation = " ".join(data.draw(st.lists(WORDS, min_size=1, max_size=12))) + "."
    alignment = data.draw(alignments(len(source.plain.split()), len(translation.split())))
    escape = formats.reader_class("markdown").escape
    try:
        out = project_checked(translation, source, alignment, escape, inline_of)
    except NoRoom:  # never silently: the translator keeps the source and flags it
        return
    again = inline_of(out)
    assert markup(again) == markup(source), out
    assert shape(again) == shape(source), out  # nested as in the source, never crossing
    assert all(s.end > s.start for s in again.spans), out  # no span left empty
    assert again.plain.split() == translation.split() or not source.bare


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_alignment_gives_well_formed_html_with_the_same_tags(data: st.DataObject) -> None:
    raw = "<p>" + data.draw(sentence()).replace("_", "") + ".</p>"
    source = inline_of(raw, "html")
    assume(source.plain)
    translation = " ".join(data.draw(st.lists(WORDS, min_size=1, max_size=12))) + "."
    alignment = data.draw(alignments(len(source.plain.split()), len(translation.split())))
    escape = formats.reader_class("html").escape
    try:
        out = project_checked(
            translation, source, alignment, escape, lambda o: inline_of(f"<p>{o}</p>", "html")
        )
    except NoRoom:
        return
    tags = re.findall(r"</?[a-z]+[^>]*>", out)
    assert Counter(tags) == Counter(re.findall(r"</?[a-z]+[^>]*>", raw[3:-4]))
    stack: list[str] = []
    for tag in tags:  # every tag closes in the order it opened
        name = re.match(r"</?([a-z]+)", tag).group(1)  # type: ignore[union-attr]
        if tag.startswith("</"):
            assert stack and stack.pop() == name, out
        elif name != "br":
            stack.append(name)
    assert not stack, out
