"""Restore: a sentence's English made into its segment (terms placed, markup written back,
flags raised), each job a function of values."""

from __future__ import annotations

import pytest
from depeche import flags
from depeche.formats import Format
from depeche.glossary import Glossary
from depeche.restore import NO_ROOM, as_written, needs_alignment, restore
from depeche.results import Output
from depeche.segment import UNPARSED, SourceSentence, segment


def sentence(text: str, format: Format = "markdown") -> SourceSentence:
    [found] = segment(text, format)[1]
    return found


@pytest.mark.parametrize(
    ("text", "output", "translation", "flagged", "memory"),
    [
        # The model's English, as it is.
        ("Le maire parle.", Output("The mayor speaks.", score=-0.1), "The mayor speaks.", [], None),
        # Kept as written: English already.
        (
            "The mayor speaks.",
            Output("The mayor speaks.", english=True),
            "The mayor speaks.",
            [flags.ENGLISH],
            None,
        ),
        # An editor's English, even the source's own, is not "untranslated".
        ("Le Monde.", Output("Le Monde.", cached=True, approved=True), "Le Monde.", [], "approved"),
        # The model gave the source back: flagged.
        (
            "Le maire parle.",
            Output("Le maire parle.", score=-0.1),
            "Le maire parle.",
            [flags.UNTRANSLATED],
            None,
        ),
        # Markup around all of the sentence needs no alignment and comes back around it.
        (
            "**Le maire parle.**",
            Output("The mayor speaks.", score=-0.1),
            "**The mayor speaks.**",
            [],
            None,
        ),
    ],
)
def test_a_sentence_becomes_its_segment(
    text: str, output: Output, translation: str, flagged: list[str], memory: str | None
) -> None:
    source = sentence(text)
    done = restore(source, output)
    assert done.translation == translation
    assert [f for f in done.flags if f != flags.LOW_CONFIDENCE] == flagged
    assert done.memory == memory
    assert (done.source, done.block, done.start, done.end) == (
        source.text,
        source.block,
        source.start,
        source.end,
    )
    assert done.score == (output.score if not output.english else None)


def test_english_too_short_for_its_markup_is_left_as_written() -> None:
    source = sentence("Le *maire* de *Lyon* parle.")
    done = restore(source, Output("", score=-0.1), alignment=[])
    assert done.translation == source.text
    assert done.flags == [flags.UNTRANSLATED] and done.reason == NO_ROOM


def test_glossary_terms_are_placed_in_the_models_english_not_an_editors() -> None:
    glossary = Glossary.of({"Minrex": "Cuban Foreign Ministry"})
    source = sentence("Le Minrex parle.")
    terms = glossary.find(source.plain)
    model = Output("The Minrex speaks.", score=-0.1)
    alignment = [(0, 0), (1, 1), (2, 2)]
    assert needs_alignment(source, model, terms)
    placed = restore(source, model, terms, alignment)
    assert "Cuban Foreign Ministry" in placed.translation
    editor = Output("The Minrex speaks.", cached=True, approved=True)
    assert not needs_alignment(source, editor, terms)
    assert restore(source, editor, terms).translation == "The Minrex speaks."


@pytest.mark.parametrize(
    ("text", "needed"),
    [
        ("Le maire parle.", False),
        ("**Le maire parle.**", False),  # around all of it
        ("Le *maire* parle.", True),  # inside it
        ("Le maire ![photo](a.png) parle.", True),
    ],
)
def test_markup_inside_a_sentence_needs_alignment(text: str, needed: bool) -> None:
    source = sentence(text)
    assert needs_alignment(source, Output("The mayor speaks.", score=-0.1), []) is needed
    assert not needs_alignment(source, Output(source.plain, english=True), [])


def test_what_is_nested_past_reading_is_written_back_as_it_was() -> None:
    text = "<p>" + "<span>" * 1000 + "Il pleut." + "</span>" * 1000 + "</p>"
    sources = list(segment(text, "html")[1])
    deep = sources[-1]
    assert deep.unparsed and not deep.has_prose
    written = as_written(deep)
    assert written.translation == deep.text
    assert written.flags == [flags.UNTRANSLATED] and written.reason == UNPARSED
