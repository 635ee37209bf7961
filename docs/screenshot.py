"""The README's picture of the editor's page (docs/page.png), taken in headless Chromium on the
tests' tiny models: the English is the tiny model's, gibberish by design; the page is real.

Run from the repository root: `.venv/bin/python docs/screenshot.py` (Debian's chromium).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from depeche.config import Settings  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests import factories  # noqa: E402
from tests.api.live import LiveServer  # noqa: E402

ARTICLE = """# *Le conseil municipal de Lyon vote le budget des écoles*

**Photo : la mairie de Lyon, lundi.**

Le maire de Lyon a présenté lundi un budget de 25 000 euros pour les écoles. La ministre \
refuse de commenter ce projet, selon [Le Progrès](https://www.leprogres.fr).

> « Nous attendons des garanties », a déclaré une représentante des parents.

- Un agriculteur du Gers conteste la vente des terrains.
- Une association locale organise le festival d'été.
"""


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    settings = Settings(
        translation_model=str(factories.tiny_marian()),
        summarization_model=str(factories.tiny_bart()),
        models_dir=folder / "models",
        compute_type="float32",
        cache_url="none",
        store_url=f"sqlite:///{folder}/store.sqlite3",
    )
    with LiveServer(settings) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.goto(f"{url}/")
        page.fill("#source", ARTICLE)
        page.click("#translate")
        page.wait_for_selector("#copy:not([disabled])", timeout=120_000)
        page.locator("#summary .summary-sentence").first.click()
        page.locator("#result td.french .segment").nth(3).hover()
        # From the controls to the sentence panel, in the page's coordinates.
        top, bottom = page.evaluate(
            """() => [
                document.querySelector(".controls").getBoundingClientRect().top + scrollY,
                document.querySelector("#detail").getBoundingClientRect().bottom + scrollY,
            ]"""
        )
        clip = {"x": 0, "y": top - 12, "width": 1100, "height": bottom - top + 24}
        page.screenshot(path=str(ROOT / "docs" / "page.png"), clip=clip, full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
