"""The editor's page in headless Chromium: translating, errors, glossaries, corrections,
suggestions and API keys."""

from __future__ import annotations

from pathlib import Path

import httpx
from depeche import formats
from depeche.config import Settings
from playwright.sync_api import Page, expect

from tests import docx_files
from tests.api.live import LiveServer
from tests.web.conftest import article, translate_on_page

ARTICLE = """# *Le conseil municipal vote le budget*

---

Image not found or type unknown

**Photo de la mairie**

Le maire de Lyon a présenté un budget de 25 000 euros pour les écoles. La ministre refuse.

> The minister said the plan would be delayed again.

- Un agriculteur du Gers conteste la vente des terrains.
- Une association locale organise le festival d'été.
"""


def test_paste_translate_and_read_side_by_side(server: str, page: Page, tmp_path: Path) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{server}/")
    page.fill("#source", ARTICLE)
    page.click("#translate")
    page.wait_for_selector("#copy:not([disabled])", timeout=60_000)

    expected = formats.read(ARTICLE, "markdown").blocks
    rows = page.locator("#result tbody tr")
    assert rows.count() == len(expected)
    classes = [rows.nth(i).get_attribute("class") or "" for i in range(rows.count())]
    assert [c.split()[1] for c in classes] == [b.kind for b in expected]
    # Shown as a reader sees them: a heading in italics, no markdown marker left.
    title = rows.nth(0).locator("td.french h1 em")
    assert title.inner_text() == "Le conseil municipal vote le budget"
    assert rows.nth(0).locator("td.english h1 em .segment").count() == 1
    assert rows.nth(3).locator("td.english strong").count() == 1
    assert rows.nth(1).locator("td.english hr").count() == 1
    for cell in page.locator("#result td").all():
        assert not cell.inner_text().startswith(("#", "*", ">", "- "))
    assert "Image not found or type unknown" in rows.nth(2).locator("td.english").inner_text()

    answer = article(server, ARTICLE)
    digits = page.locator('.segment.flagged[data-flags~="missing_digits"]')
    assert digits.count() == 1
    number = int(digits.first.get_attribute("data-segment") or -1)
    reason = answer["segments"][number]["reasons"]["missing_digits"]
    assert reason in (digits.first.get_attribute("title") or "")
    digits.first.click()
    assert reason in page.locator("#detail").inner_text()
    assert page.locator("#summary-box").is_visible()
    assert page.locator("#status").inner_text().startswith("Done")

    page.screenshot(path=str(tmp_path / "editor.png"), full_page=True)
    assert (tmp_path / "editor.png").stat().st_size > 10_000
    assert problems == []


def test_errors_are_shown_in_words(server: str, page: Page) -> None:
    page.goto(f"{server}/")
    page.click("#translate")
    assert page.locator("#error").inner_text() == "Paste or drop an article first."
    page.fill("#source", "x" * 100_001)
    page.click("#translate")
    page.wait_for_selector("#error:not([hidden])")
    # The page runs no string as code (its policy has no 'unsafe-eval'): waits go by selectors.
    expect(page.locator("#error")).to_contain_text("too long")
    message = page.locator("#error").inner_text()
    assert "too long" in message and "{" not in message


def test_pick_a_glossary_then_correct_a_sentence(
    api_settings: Settings, page: Page, tmp_path: Path
) -> None:
    own = api_settings.model_copy(
        update={
            "cache_url": f"sqlite:///{tmp_path}/own.db",
            "store_url": f"sqlite:///{tmp_path}/own.sqlite3",
        }
    )
    with LiveServer(own) as url:
        created = httpx.post(
            f"{url}/v2/glossaries",
            data={
                "name": "house",
                "source_lang": "fr",
                "target_lang": "en",
                "entries": "Lyon\tLYON-CITY",
            },
        ).json()
        page.goto(f"{url}/")
        page.wait_for_selector(
            f'#glossary option[value="{created["glossary_id"]}"]', state="attached"
        )
        page.select_option("#glossary", created["glossary_id"])
        page.fill("#source", ARTICLE)
        page.click("#translate")
        page.wait_for_selector("#copy:not([disabled])", timeout=60_000)
        paragraph = page.locator("#result tbody tr.paragraph td.english").first
        assert "LYON-CITY" in paragraph.inner_text()

        segment = paragraph.locator(".segment").first
        number = int(segment.get_attribute("data-segment") or -1)
        translated = httpx.post(
            f"{url}/v1/articles",
            json={"text": ARTICLE, "glossary_id": created["glossary_id"], "summarize": False},
        ).json()
        segment.click()
        editing = paragraph.locator(".segment.editing")
        # Edited as written in the article's format, in place of the rendered sentence.
        assert editing.inner_text() == translated["segments"][number]["translation"]
        page.keyboard.press("Control+A")
        page.keyboard.type("The mayor of Lyon set out a school budget of 25,000 euros.")
        page.keyboard.press("Enter")
        # Shown at once, before the service has answered.
        assert "approved" in (segment.get_attribute("class") or "")
        expect(page.locator("#status")).to_have_text("Correction saved.")
        # The English to copy and download has it once the service has translated it again.
        page.wait_for_selector("#download:not([disabled])")
        with page.expect_download() as download:
            page.click("#download")
        saved = tmp_path / "corrected.md"
        download.value.save_as(saved)
        corrected = httpx.post(
            f"{url}/v1/articles",
            json={"text": ARTICLE, "glossary_id": created["glossary_id"], "summarize": False},
        ).json()["text"]
        assert saved.read_text(encoding="utf-8") == corrected
        assert "The mayor of Lyon set out a school budget of 25,000 euros." in corrected
        stored = httpx.get(f"{url}/v1/memory").json()["entries"]
        assert [(e["source"], e["translation"]) for e in stored] == [
            (
                "Le maire de Lyon a présenté un budget de 25 000 euros pour les écoles.",
                "The mayor of Lyon set out a school budget of 25,000 euros.",
            )
        ]

        page.click("#translate")
        page.wait_for_selector("#copy:not([disabled])", timeout=60_000)
        again = page.locator("#result tbody tr.paragraph td.english .segment").first
        assert again.inner_text() == "The mayor of Lyon set out a school budget of 25,000 euros."
        assert "approved" in (again.get_attribute("class") or "")
        assert again.get_attribute("title") == "Approved by an editor."


def test_with_api_keys_the_page_works_when_opened_with_its_key(
    api_settings: Settings, page: Page, tmp_path: Path
) -> None:
    keyed = api_settings.model_copy(
        update={
            "api_keys": "k1",
            "cache_url": f"sqlite:///{tmp_path}/keyed.db",
            "store_url": f"sqlite:///{tmp_path}/keyed.sqlite3",
        }
    )
    with LiveServer(keyed) as url:
        created = httpx.post(
            f"{url}/v2/glossaries",
            data={"name": "house", "source_lang": "fr", "target_lang": "en", "entries": "a\tb"},
            headers={"Authorization": "DeepL-Auth-Key k1"},
        ).json()
        refused: list[str] = []
        page.on("response", lambda r: refused.append(r.url) if r.status >= 400 else None)
        page.goto(f"{url}/?api_key=k1")
        # The style sheet loaded and applies; the script runs and reads the stored glossaries.
        rules = page.evaluate("() => [...document.styleSheets].map((s) => s.cssRules.length)")
        assert rules and all(count > 0 for count in rules)
        page.wait_for_selector(
            f'#glossary option[value="{created["glossary_id"]}"]', state="attached"
        )
        page.fill("#source", ARTICLE)
        page.click("#translate")
        page.wait_for_selector("#copy:not([disabled])", timeout=60_000)
        expected = formats.read(ARTICLE, "markdown").blocks
        assert page.locator("#result tbody tr.rendered").count() == len(expected)
        assert page.locator("#result td.english .segment").count() > 0
        # A Word document goes through the document route with the key too.
        page.set_input_files(
            "#file",
            files=[
                {
                    "name": "report.docx",
                    "mimeType": "application/octet-stream",
                    "buffer": docx_files.article(),
                }
            ],
        )
        page.click("#translate")
        page.wait_for_selector("#download:not([disabled])", timeout=60_000)
        assert page.locator("#download").inner_text() == "Download .docx"
        assert refused == []


def test_suggestions_wait_on_the_page_until_an_editor_decides(
    own_settings: Settings, page: Page
) -> None:
    sentence = "La ministre refuse la grève."
    pair = {"source": "fr", "target": "en"}
    hostile = '<img src=x onerror="window.hit=1"><script>window.hit=2</script> She refuses.'
    with LiveServer(own_settings) as url:

        def translated() -> str:
            answer = httpx.post(f"{url}/translate", json={"q": sentence, **pair})
            return str(answer.json()["translatedText"])

        model = translated()
        httpx.post(f"{url}/suggest", json={"q": sentence, "s": hostile, **pair})
        httpx.post(f"{url}/suggest", json={"q": "Il pleut.", "s": "It rains.", **pair})
        page.goto(f"{url}/")
        page.wait_for_selector("#suggestions:not([hidden])")
        rows = page.locator("#suggestions tbody tr")
        assert rows.count() == 2
        hostile_row = rows.filter(has_text="She refuses.")
        # Shown as text: nothing in it runs or becomes an element.
        assert hostile_row.locator("td.english").inner_text() == hostile
        assert page.locator("#suggestions img, #suggestions tbody script").count() == 0
        assert page.evaluate("window.hit") is None
        assert translated() == model  # pending: not used

        rows.filter(has_text="It rains.").locator("button.reject").click()
        expect(page.locator("#status")).to_have_text("Suggestion rejected.")
        assert rows.count() == 1
        hostile_row.locator("button.approve").click()
        expect(page.locator("#status")).to_have_text("Suggestion approved.")
        assert page.locator("#suggestions").is_hidden()
        assert httpx.get(f"{url}/v1/memory/suggestions").json() == {"suggestions": []}
        assert translated() == hostile  # the approved English, as written (plain text)
        memory = httpx.get(f"{url}/v1/memory").json()["entries"]
        assert [(e["source"], e["translation"], e["who"]) for e in memory] == [
            (sentence, hostile, "anonymous")
        ]
        assert page.evaluate("window.hit") is None

        # The approved English, on the page in every format: shown as text, nothing runs.
        for format, text in (
            ("text", sentence),
            ("markdown", sentence),
            ("html", f"<p>{sentence}</p>"),
        ):
            translate_on_page(page, f"{url}/", text, format)
            chunks = page.locator('#result td.english .segment[data-segment="0"]')
            assert "".join(chunks.all_inner_texts()) == hostile
            assert page.locator("#result img, #result script").count() == 0
            assert page.evaluate("window.hit") is None
