"""The editor's page in a real browser: headless Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from depeche import formats
from depeche.config import Settings
from playwright.sync_api import Browser, Page, sync_playwright

from tests.api.live import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
ARTICLE = """# *Le conseil municipal vote le budget*

---

Image not found or type unknown

**Photo de la mairie**

Le maire de Lyon a présenté un budget de 25 000 euros pour les écoles. La ministre refuse.

> The minister said the plan would be delayed again.

- Un agriculteur du Gers conteste la vente des terrains.
- Une association locale organise le festival d'été.
"""


@pytest.fixture(scope="module")
def browser() -> Browser:
    if not CHROMIUM.exists():
        raise RuntimeError("Debian's chromium is needed: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


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
    assert [c.split()[-1] for c in classes] == [b.kind for b in expected]
    french = rows.nth(0).locator("td.french").inner_text()
    assert french == "# *Le conseil municipal vote le budget*"
    english = rows.nth(0).locator("td.english").inner_text()
    assert english.startswith("# *") and english.endswith("*")
    assert "Image not found or type unknown" in rows.nth(2).locator("td.english").inner_text()

    flagged = page.locator(".segment.flagged")
    assert flagged.count() >= 1
    digits = page.locator('.segment.flagged[data-flags~="missing_digits"]')
    assert digits.count() == 1
    assert "number in the source" in (digits.first.get_attribute("title") or "")
    digits.first.click()
    assert page.locator("#flag-detail").is_visible()
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
    page.wait_for_function("document.getElementById('error').textContent.includes('too long')")
    message = page.locator("#error").inner_text()
    assert "too long" in message and "{" not in message


def test_download_gives_the_english_markdown(server: str, page: Page, tmp_path: Path) -> None:
    page.goto(f"{server}/")
    page.fill("#source", ARTICLE)
    page.click("#translate")
    page.wait_for_selector("#download:not([disabled])", timeout=60_000)
    with page.expect_download() as download:
        page.click("#download")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "article-en.md"
    english = saved.read_text(encoding="utf-8")
    expected = httpx.post(
        f"{server}/v1/articles", json={"text": ARTICLE, "summarize": False}, timeout=60
    ).json()["text"]
    assert english == expected


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
        segment.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("The mayor of Lyon set out a school budget of 25,000 euros.")
        page.keyboard.press("Enter")
        # Shown at once, before the service has answered.
        assert "approved" in (segment.get_attribute("class") or "")
        page.wait_for_function(
            "document.getElementById('status').textContent === 'Correction saved.'"
        )
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
        assert page.locator("#result tbody tr").count() == len(expected)
        assert refused == []


def test_suggestions_wait_on_the_page_until_an_editor_decides(
    api_settings: Settings, page: Page, tmp_path: Path
) -> None:
    own = api_settings.model_copy(
        update={
            "cache_url": f"sqlite:///{tmp_path}/cache.db",
            "store_url": f"sqlite:///{tmp_path}/store.sqlite3",
            "summarization_model": "none",
        }
    )
    sentence = "La ministre refuse la grève."
    pair = {"source": "fr", "target": "en"}
    hostile = '<img src=x onerror="window.hit=1"><script>window.hit=2</script> She refuses.'
    with LiveServer(own) as url:

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
        page.wait_for_function(
            "document.getElementById('status').textContent.endsWith('rejected.')"
        )
        assert rows.count() == 1
        hostile_row.locator("button.approve").click()
        page.wait_for_function(
            "document.getElementById('status').textContent.endsWith('approved.')"
        )
        assert page.locator("#suggestions").is_hidden()
        assert httpx.get(f"{url}/v1/memory/suggestions").json() == {"suggestions": []}
        assert translated() == hostile  # the approved English, as written (plain text)
        memory = httpx.get(f"{url}/v1/memory").json()["entries"]
        assert [(e["source"], e["translation"], e["who"]) for e in memory] == [
            (sentence, hostile, "anonymous")
        ]
        assert page.evaluate("window.hit") is None
