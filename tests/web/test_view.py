"""The article side by side in headless Chromium: rendered as a reader sees it, sentences
linked across the two sides by pointer and keyboard, flags with their reasons, the summary
with its sources."""

from __future__ import annotations

import pytest
from depeche import flags, sources, summarizer
from playwright.sync_api import Page, expect

from tests.web.conftest import article, marked, translate_on_page
from tests.wire_items import NINJS_1

MARKDOWN = """# *Le conseil municipal vote le budget*

## Les écoles d'abord

Lire [le communiqué](https://www.lyon.fr/budget) de la mairie. Le maire de Lyon a présenté un \
budget de 25 000 euros.

> La ministre refuse.

1. Un agriculteur du Gers conteste la vente.
2. Une association organise le **festival** d'été.
"""
HTML = """<h1>Le conseil <em>municipal</em> vote</h1>
<p>Lire <a href="https://www.lyon.fr/budget">le communiqué</a> de la mairie.</p>
<ul><li>Un agriculteur du Gers conteste la vente.</li></ul>
<blockquote>La ministre refuse.</blockquote>
"""
TEXT = "Le conseil municipal vote le budget.\n\nLa ministre refuse. Elle part.\n"


@pytest.mark.parametrize(
    ("text", "format", "elements"),
    [
        (
            MARKDOWN,
            "markdown",
            [
                "h1 em",
                "h2",
                'a[href="https://www.lyon.fr/budget"]',
                "blockquote p",
                'ol[start="2"] li',
                "ol li",
            ],
        ),
        (HTML, "html", ["h1 em", 'a[href="https://www.lyon.fr/budget"]', "ul li", "blockquote"]),
        (TEXT, "text", ["p"]),
        (NINJS_1, "auto", ["h1", "h2", "p b"]),
    ],
)
def test_both_sides_are_rendered_as_a_reader_sees_them(
    server: str, page: Page, text: str, format: str, elements: list[str]
) -> None:
    translate_on_page(page, f"{server}/", text, format)
    answer = article(server, text, format)
    assert page.locator("#result tbody tr.rendered").count() == len(answer["blocks"])
    for side in ("french", "english"):
        for found in elements:
            assert page.locator(f"#result td.{side} {found}").count() >= 1, (side, found)
    links = page.locator("#result td a")
    for index in range(links.count()):
        assert links.nth(index).get_attribute("rel") == "noopener noreferrer"
        assert links.nth(index).get_attribute("target") == "_blank"
    # Every sentence is on both sides, with the service's text.
    count = len(answer["segments"])
    assert marked(page, "#result td.french .segment") == set(range(count))
    assert marked(page, "#result td.english .segment") == set(range(count))


def test_a_sentence_and_its_counterpart_light_up_together(server: str, page: Page) -> None:
    translate_on_page(page, f"{server}/", MARKDOWN, "markdown")
    english = page.locator('#result td.english .segment[data-segment="2"]').first
    english.hover()
    assert marked(page, "#result td.french .segment.linked") == {2}
    assert marked(page, "#result td.english .segment.linked") == {2}
    page.locator("header").hover()
    assert marked(page, ".segment.linked") == set()

    french = page.locator('#result td.french .segment[data-segment="3"]').first
    french.click()
    assert marked(page, "#result td.french .segment.selected") == {3}
    assert marked(page, "#result td.english .segment.selected") == {3}
    expect(page.locator("#detail")).to_contain_text("Sentence 4")


def test_sentences_are_reached_and_selected_with_the_keyboard(server: str, page: Page) -> None:
    translate_on_page(page, f"{server}/", MARKDOWN, "markdown")
    page.focus("#download")
    focused = set()
    for _ in range(60):  # the legend, then the table's sentences, in reading order
        page.keyboard.press("Tab")
        number = page.evaluate("document.activeElement.dataset.segment")
        if number is not None:
            focused.add(int(number))
            break
    assert focused == {0}
    assert marked(page, ".segment.linked") == {0}  # focus links the two sides, as pointing does
    page.keyboard.press("Enter")
    assert marked(page, ".segment.selected") == {0}
    page.keyboard.press("Tab")  # the same sentence in English
    page.keyboard.press("Tab")  # the next sentence, in French
    page.keyboard.press("Space")
    assert marked(page, ".segment.selected") == {1}
    assert page.locator(".segment.editing").count() == 0
    # Enter selects an English sentence, and once it is selected opens it for correction;
    # Escape leaves it as it was.
    page.keyboard.press("Shift+Tab")  # back to the English of sentence 0
    page.keyboard.press("Enter")
    assert marked(page, ".segment.selected") == {0}
    assert page.locator(".segment.editing").count() == 0
    page.keyboard.press("Enter")
    assert marked(page, ".segment.editing") == {0}
    page.keyboard.press("Escape")
    assert page.locator(".segment.editing").count() == 0
    assert page.locator(".segment.approved").count() == 0


def test_flags_are_shown_on_their_sentences_with_their_reasons(server: str, page: Page) -> None:
    translate_on_page(page, f"{server}/", MARKDOWN, "markdown")
    answer = article(server, MARKDOWN, "markdown")
    flagged = {i for i, s in enumerate(answer["segments"]) if s["flags"]}
    assert flagged  # the tiny model drops the number at least
    assert marked(page, "#result td.english .segment.flagged") == flagged
    for number in flagged:
        segment = answer["segments"][number]
        chunk = page.locator(f'#result td.english .segment[data-segment="{number}"]').first
        assert chunk.get_attribute("data-flags") == " ".join(segment["flags"])
        listed = page.locator(f'#result td.english li.reason[data-for="{number}"]')
        assert listed.count() == len(segment["flags"])
        for flag in segment["flags"]:
            reason = segment["reasons"][flag]
            assert reason in (chunk.get_attribute("title") or "")
            expect(listed.filter(has_text=reason)).to_have_count(1)
        chunk.click()
        for flag in segment["flags"]:
            expect(page.locator("#detail")).to_contain_text(segment["reasons"][flag])
        page.keyboard.press("Escape")  # leaves the correction unmade


EVERY_FLAG = [
    flags.REPETITION,
    flags.LENGTH_RATIO,
    flags.UNTRANSLATED,
    flags.MISSING_DIGITS,
    flags.NAMES,
    flags.LOW_CONFIDENCE,
    flags.ENGLISH,
    flags.GLOSSARY,
    sources.UNSUPPORTED,
    sources.UNSUPPORTED_NUMBER,
    sources.UNSUPPORTED_NAME,
    summarizer.LONGER_THAN_SOURCE,
    summarizer.TRUNCATED,
]


def test_the_legend_explains_every_flag_in_one_line(server: str, page: Page) -> None:
    translate_on_page(page, f"{server}/", TEXT, "text")
    page.click("#legend summary")
    explained = page.eval_on_selector_all("#legend dt", "(all) => all.map((e) => e.dataset.flag)")
    assert explained == [*EVERY_FLAG, "approved"]
    for flag in explained:
        meaning = page.locator(f'#legend dt[data-flag="{flag}"] + dd').inner_text()
        assert meaning and "\n" not in meaning


def test_a_summary_sentence_lights_up_its_sources(server: str, page: Page) -> None:
    translate_on_page(page, f"{server}/", MARKDOWN, "markdown")
    answer = article(server, MARKDOWN, "markdown", summarize=True)
    sentences = answer["summary_sentences"]
    shown = page.locator("#summary .summary-sentence")
    assert shown.count() == len(sentences)
    assert [t for t in page.locator("#summary .summary-sentence .text").all_inner_texts()] == [
        s["text"] for s in sentences
    ]
    drawn = [i for i, s in enumerate(sentences) if s["segments"]]
    assert drawn
    for index in drawn:
        shown.nth(index).click()
        expected = set(sentences[index]["segments"])
        assert marked(page, "#result td.french .segment.source") == expected
        assert marked(page, "#result td.english .segment.source") == expected
    shown.nth(drawn[0]).focus()
    page.keyboard.press("Enter")
    assert marked(page, ".segment.source") == set(sentences[drawn[0]]["segments"])


def test_an_unsupported_summary_sentence_is_marked_with_its_reason(server: str, page: Page) -> None:
    # English paragraphs are kept as written; long enough, the tiny summarizer writes a
    # summary of its own, which no sentence of the article says.
    paragraphs = [
        f"The minister said on Monday that the plan for the schools of the city would be "
        f"delayed again because the budget of {n * 1000 + 7} euros was not approved."
        for n in range(10)
    ]
    text = "# Titre\n\nLe maire de Lyon a présenté un budget.\n\n" + "\n\n".join(paragraphs)
    translate_on_page(page, f"{server}/", text, "markdown")
    answer = article(server, text, "markdown", summarize=True)
    unsupported = [
        i for i, s in enumerate(answer["summary_sentences"]) if "unsupported" in s["flags"]
    ]
    assert unsupported
    for index in unsupported:
        item = page.locator(f'#summary .summary-sentence[data-sentence="{index}"]')
        assert "unsupported" in (item.get_attribute("class") or "").split()
        reason = answer["summary_sentences"][index]["reasons"]["unsupported"]
        expect(item.locator(".reason").filter(has_text=reason)).to_have_count(1)
        item.click()
        expect(page.locator("#detail")).to_contain_text("draws on no sentence")
    summary_flags = [f["flag"] for f in answer["flags"] if f["where"] == "summary"]
    shown_flags = page.eval_on_selector_all(
        "#summary-flags li", "(all) => all.map((e) => e.dataset.flag)"
    )
    assert shown_flags == summary_flags
