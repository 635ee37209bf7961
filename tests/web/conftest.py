"""The editor's page in a real browser: headless Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from depeche.config import Settings
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
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
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def translate_on_page(page: Page, url: str, text: str, format: str = "auto") -> None:
    """Open the page, paste `text`, translate it and wait until it is laid out."""
    page.goto(url)
    page.fill("#source", text)
    page.select_option("#format", format)
    page.click("#translate")
    page.wait_for_selector("#copy:not([disabled])", timeout=60_000)


def article(url: str, text: str, format: str = "auto", summarize: bool = False) -> Any:
    """The service's own answer for `text` (what the page must show)."""
    body = {"text": text, "format": format, "summarize": summarize}
    return httpx.post(f"{url}/v1/articles", json=body, timeout=60).json()


def marked(page: Page, selector: str) -> set[int]:
    """The indices of the sentences whose spans match `selector`."""
    found = page.eval_on_selector_all(selector, "(all) => all.map((e) => e.dataset.segment)")
    return {int(number) for number in found}


@pytest.fixture
def own_settings(api_settings: Settings, tmp_path: Path) -> Settings:
    """The tests' settings with a cache and a store of the test's own, and no summaries: for a
    server whose approved translations and suggestions no other test sees."""
    return api_settings.model_copy(
        update={
            "cache_url": f"sqlite:///{tmp_path}/cache.db",
            "store_url": f"sqlite:///{tmp_path}/store.sqlite3",
            "summarization_model": "none",
        }
    )
