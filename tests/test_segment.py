"""Segmentation: any article cut into sentences and put back together is itself, byte for byte."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from random import Random

import pytest
from depeche import deadline, flags, formats
from depeche import segment as segmenting
from depeche.assemble import reassemble
from depeche.errors import DeadlineError
from depeche.formats import Block
from depeche.projection import NoRoom, project_checked
from depeche.restore import as_written
from depeche.segment import UNPARSED, SourceSentence
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.work import LINEAR, growth


def sentences_of(
    text: str, format: formats.Format = "text"
) -> tuple[list[Block], list[SourceSentence]]:
    """The blocks of `text` and all its sentences."""
    blocks, found = segmenting.segment(text, format)
    return blocks, list(found)


WORDS = [
    "le",
    "maire",
    "Élise",
    "a",
    "dit",
    "« non »",
    "25\u00a0000",
    "3,5",
    "M.",
    "etc.",
    "Dr.",
    "l'été",
    "n°\u202f12",
    "(RHC)",
    "x",
    "ça",
    "—",
    "\t",
    "café",
]
ENDS = [".", " !", "\u202f?", "…", ""]
NEWLINES = ["\n", "\r\n"]


@st.composite
def sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
    text = " ".join(words) + draw(st.sampled_from(ENDS))
    decoration = draw(st.sampled_from(["", "em", "strong", "link", "url", "code"]))
    middle = len(words) // 2
    if decoration == "em":
        text = "*" + text + "*"
    elif decoration == "strong":
        text = " ".join(words[:middle]) + " **" + " ".join(words[middle:]) + "**."
    elif decoration == "link":
        text = "[" + text + "](https://example.org/a_(b))"
    elif decoration == "url":
        text = text + " https://example.org/p?q=1"
    elif decoration == "code":
        text = "`code` " + text
    return text


@st.composite
def block(draw: st.DrawFn) -> str:
    body = " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))
    kind = draw(
        st.sampled_from(
            [
                "paragraph",
                "heading",
                "bullet",
                "ordered",
                "quote",
                "rule",
                "image",
                "caption",
                "autolink",
                "fence",
                "wrapped",
            ]
        )
    )
    newline = draw(st.sampled_from(NEWLINES))
    return {
        "paragraph": body,
        "heading": "#" * draw(st.integers(1, 6)) + " " + body,
        "bullet": f"- {body}{newline}- {body}",
        "ordered": f"1. {body}{newline}2. {body}",
        "quote": f"> {body}{newline}> {body}",
        "rule": "---",
        "image": "Image not found or type unknown",
        "caption": "**" + " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1))) + "**",
        "autolink": "<https://example.org/article-123>",
        "fence": f"```{newline}code à garder{newline}```",
        "wrapped": body.replace(" ", newline, 1),
    }[kind]


@st.composite
def articles(draw: st.DrawFn) -> str:
    parts = draw(st.lists(block(), min_size=0, max_size=8))
    separators = [draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n\n\n", "\n \n"])) for _ in parts]
    text = "".join(part + sep for part, sep in zip(parts, separators, strict=True))
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@settings(max_examples=150, deadline=None)
@given(articles(), st.sampled_from(["markdown", "text"]))
def test_untranslated_segments_give_the_input_back(text: str, format: formats.Format) -> None:
    doc_blocks, drafts = sentences_of(text, format)
    segments = [as_written(d) for d in drafts]
    assert reassemble(text, segments) == text
    previous_end = 0
    for segment in segments:
        assert segment.source == text[segment.start : segment.end]
        assert segment.start >= previous_end  # in order, never overlapping
        owner = doc_blocks[segment.block]
        assert owner.start <= segment.start and segment.end <= owner.end
        previous_end = segment.end


@settings(max_examples=100, deadline=None)
@given(articles())
def test_replacing_every_sentence_keeps_the_block_structure(text: str) -> None:
    doc_blocks, drafts = sentences_of(text, "markdown")
    assert [b.kind for b in doc_blocks] == [
        b.kind for b in formats.read(text.lstrip("\ufeff"), "markdown").blocks
    ]
    output = reassemble(
        text,
        [replace(as_written(d), translation="Texte" if d.inline.plain else d.text) for d in drafts],
    )

    def shape(blocks_: list[Block]) -> list[str]:
        return [{"caption": "paragraph"}.get(b.kind, b.kind) for b in blocks_]

    assert shape(formats.read(output, "markdown").blocks) == shape(doc_blocks)
    for marker in ("https://example.org/article-123", "Image not found or type unknown", "---"):
        assert output.count(marker) == text.count(marker)


@pytest.mark.parametrize(
    ("format", "text", "sources"),
    [
        # pysbd cuts after "pleut." (inside the emphasis); the pieces are joined back up.
        (
            "markdown",
            "*Il pleut. Il vente.* Puis le soleil. Fin.",
            ["*Il pleut. Il vente.*", "Puis le soleil.", "Fin."],
        ),
        # An element holding the space after its sentence, or before it, is kept whole.
        ("markdown", "<b>Le maire parle. </b>Il part.", ["<b>Le maire parle. </b>Il part."]),
        ("html", "<p><b>Le maire parle. </b>Il part.</p>", ["<b>Le maire parle. </b>Il part."]),
        ("markdown", "Le maire parle.<b> Il part.</b>", ["Le maire parle.<b> Il part.</b>"]),
        ("html", "<p>Le maire parle.<b> Il part.</b></p>", ["Le maire parle.<b> Il part.</b>"]),
        (
            "markdown",
            "<i>Le maire parle.</i> <b>Il part. </b>Fin.",
            ["<i>Le maire parle.</i>", "<b>Il part. </b>Fin."],
        ),
        ("markdown", "**Le maire parle.** Il part.", ["**Le maire parle.**", "Il part."]),
        ("html", "<p><b>Le maire parle.</b> Il part.</p>", ["<b>Le maire parle.</b>", "Il part."]),
    ],
)
def test_sentences_are_never_cut_inside_markup(
    format: formats.Format, text: str, sources: list[str]
) -> None:
    _, drafts = sentences_of(text, format)
    assert [d.text for d in drafts] == sources
    for draft in drafts:  # the markup of each lies within its own plain text
        plain = len(draft.inline.plain)
        assert all(0 <= s.start < s.end <= plain for s in draft.inline.spans)
        assert all(0 <= a.at <= plain for a in draft.inline.atoms)
    ranges = [(d.start, d.end) for d in drafts]
    assert all(a[1] <= b[0] for a, b in pairwise(ranges)), ranges


INLINE = [
    "le *maire* a dit",
    "[la ville](https://x.fr/a_(b)) vote",
    "un `code` ici",
    "une ![photo](p.png) prise",
    "le [ministère][mi] parle",
    "Texte[^1] cité",
    "une voiture <b>rouge</b> passe",
    "**très _fort_ ici**",
    "ligne\\\ncoupée",
]


@st.composite
def marked_article(draw: st.DrawFn) -> str:
    paragraphs = []
    for _ in range(draw(st.integers(1, 4))):
        parts = draw(st.lists(st.sampled_from(INLINE), min_size=1, max_size=3))
        prefix = draw(st.sampled_from(["", "# ", "> ", "- ", "1. "]))
        paragraphs.append(prefix + ". ".join(parts) + ".")
    return "\n\n".join(paragraphs) + "\n\n[mi]: https://x.fr/mi\n[^1]: Une note.\n"


def markup_of(text: str, format: str) -> tuple[list[str], Counter[str]]:
    """The block kinds of a document, and the multiset of its inline markup."""
    reader = formats.read(text, format)
    found: Counter[str] = Counter()
    for block in reader.blocks:
        for start, end in block.prose:
            inline = reader.run(start, end).whole()
            found.update(s.open + "…" + s.close for s in inline.spans)
            found.update(a.raw for a in inline.atoms)
    return [b.kind for b in reader.blocks], found


@settings(max_examples=80, deadline=None)
@given(marked_article(), st.randoms(use_true_random=False))
def test_projected_translations_keep_blocks_and_markup(text: str, random: Random) -> None:
    words = ["the", "mayor", "said", "city", "votes", "here", "car", "red", "passes", "note"]
    _, drafts = sentences_of(text, "markdown")
    segments = []
    for draft in drafts:
        segments.append(as_written(draft))
        if not draft.has_prose:
            continue
        count = len(draft.inline.plain.split())
        translation = " ".join(random.choice(words) for _ in range(count + 2)) + "."
        # An adversarial alignment: any target word to any source word.
        alignment = [(random.randrange(count + 2), random.randrange(count)) for _ in range(count)]
        with contextlib.suppress(NoRoom):  # else left as written (the translator flags it)
            written = project_checked(
                translation, draft.inline, alignment, draft.escape, draft.reparse
            )
            segments[-1] = replace(segments[-1], translation=written)
    output = reassemble(text, segments)
    assert markup_of(output, "markdown") == markup_of(text, "markdown"), output


@pytest.mark.parametrize("format", ["markdown", "text", "html"])
@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u00ad"])
def test_zero_width_characters_are_kept_and_never_glue_sentences(
    format: str, invisible: str
) -> None:
    text = f"Le maire parle.{invisible}La ville vote.{invisible}Fin du texte."
    text = f"<p>{text}</p>" if format == "html" else text
    _, drafts = sentences_of(text, format)  # type: ignore[arg-type]
    sources = [d.text for d in drafts]
    assert sources == ["Le maire parle.", "La ville vote.", "Fin du texte."]
    assert reassemble(text, [as_written(d) for d in drafts]) == text


# Inputs that took time growing with the square of their length: (format, input of size n, n).
HOSTILE = [
    pytest.param("text", lambda n: "a" * n, 10_000, id="letters"),
    pytest.param("text", lambda n: "Voir https://x.fr/" + ")" * n, 10_000, id="url-parentheses"),
    pytest.param("text", lambda n: "Mme. X. " * n, 500, id="abbreviations"),
    pytest.param("markdown", lambda n: "Un paragraphe ici.\n\n" * n, 1_000, id="paragraphs"),
    pytest.param(
        "html",
        lambda n: "<p>Le <b>maire</b> parle. Il pleut <i>ici</i>.</p>" * n,
        800,
        id="html-paragraphs",
    ),
    pytest.param(
        "html", lambda n: "<div>" + "Le <b>maire</b> parle. " * n + "</div>", 200, id="one-block"
    ),
    pytest.param("html", lambda n: '<p>Un <a b="' * n, 5_000, id="unclosed-tags"),
    pytest.param("html", lambda n: "<p>Un <code>" + "<code " * n, 2_000, id="kept-element"),
    pytest.param(
        "html",
        lambda n: "<p>" + "<span>" * n + "Le maire." + "</i>" * n + "</p>",
        1_000,
        id="stray-end-tags",
    ),
]


@pytest.mark.parametrize(("format", "make", "size"), HOSTILE)
def test_any_input_is_read_in_linear_time(
    format: formats.Format, make: Callable[[int], str], size: int
) -> None:
    assert growth(make, lambda text: sentences_of(text, format), size) < LINEAR


@pytest.mark.parametrize(
    ("format", "text"),
    [
        ("html", "<p>Avant. " + "<span>" * 1000 + "Le maire parle." + "</span>" * 1000 + "</p>"),
        ("markdown", "Avant. " + "<span>" * 1000 + "Le maire parle." + "</span>" * 1000),
        ("markdown", ">" * 1000 + " Le maire parle."),
    ],
)
def test_nesting_deeper_than_read_is_kept_and_flagged(format: formats.Format, text: str) -> None:
    _, drafts = sentences_of(text, format)
    [draft] = drafts
    written = as_written(draft)
    assert written.flags == [flags.UNTRANSLATED] and written.reason == UNPARSED
    assert not draft.has_prose  # nothing of it reaches the model
    assert reassemble(text, [written]) == text


@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_a_deadline_stops_reading_a_long_document(
    format: formats.Format, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "\n\n".join(f"<p>Le maire {i} parle.</p>" for i in range(2_000))
    ticks = iter(range(10**9))
    monkeypatch.setattr(deadline, "clock", lambda: float(next(ticks)))  # a tick per reading
    with deadline.limit(20), pytest.raises(DeadlineError):
        sentences_of(text, format)
    assert next(ticks) < 100  # stopped soon after the deadline, not at the end
