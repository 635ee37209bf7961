"""Nothing from an article, the memory or a suggestion runs on the page, in headless Chromium:
each payload would set `window.hit` or open a dialog if it ran. The page's own policy (CSP)
refuses inline script and eval as a second line of defense."""

from __future__ import annotations

import httpx
import pytest
from depeche.config import Settings
from playwright.sync_api import Page

from tests.api.live import LiveServer
from tests.web.conftest import translate_on_page

SENTENCE = "Le maire de Lyon présente le budget."
HOSTILE = [
    ("markdown", f"<script>window.hit=1</script> {SENTENCE}"),
    ("markdown", f'<img src=x onerror="window.hit=1;alert(1)"> {SENTENCE}'),
    ("markdown", f"[clic](javascript:window.hit=1) {SENTENCE}"),
    ("markdown", f"[clic](JAVASCRIPT:alert(1)) {SENTENCE}"),
    ("markdown", f"<javascript:window.hit=1> {SENTENCE}"),
    ("markdown", f"![x](javascript:alert(1)) {SENTENCE}"),
    ("markdown", f"&lt;script&gt;window.hit=1&lt;/script&gt; {SENTENCE}"),
    ("markdown", f'<div onmouseover="window.hit=1">{SENTENCE}</div>'),
    ("html", f"<p>{SENTENCE}<script>window.hit=1</script></p>"),
    ("html", f'<p><img src=x onerror="window.hit=1;alert(1)">{SENTENCE}</p>'),
    ("html", f'<p><a href="javascript:window.hit=1">{SENTENCE}</a></p>'),
    ("html", f'<p><a href="&#106;avascript:alert(1)">{SENTENCE}</a></p>'),
    ("html", f'<p><a href="jav&#x09;ascript:alert(1)">{SENTENCE}</a></p>'),
    ("html", f'<p onmouseover="window.hit=1" onclick="alert(1)">{SENTENCE}</p>'),
    ("html", f'<p><svg onload="window.hit=1"></svg>{SENTENCE}</p>'),
    ("html", f'<p><iframe src="javascript:alert(1)"></iframe>{SENTENCE}</p>'),
    ("html", f"<p>&lt;img src=x onerror=window.hit=1&gt; {SENTENCE}</p>"),
    ("text", f"<script>window.hit=1</script> {SENTENCE}"),
    ("text", f"<img src=x onerror=alert(1)> {SENTENCE}"),
]
# Nothing of these may be in the article's cells once laid out.
RUNNABLE = (
    "#result script, #result iframe, #result svg, #result [onerror], #result [onload], "
    '#result [onclick], #result [onmouseover], #result a[href^="javascript" i], #result img[src]'
)


def read_everything(page: Page) -> None:
    """Point at every cell and sentence and select every French one, as an editor would."""
    for cell in page.locator("#result td").all():
        cell.hover()
    for chunk in page.locator("#result td.french .segment").all():
        chunk.hover()
        chunk.click()
    for chunk in page.locator("#result td.english .segment").all():
        chunk.hover()


def test_the_page_has_a_strict_content_security_policy(server: str, page: Page) -> None:
    response = page.goto(f"{server}/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    assert "default-src 'none'" in policy
    assert response.headers["referrer-policy"] == "no-referrer"
    # Injected inline script and handlers are refused by the browser itself.
    refused = page.evaluate(
        """() => new Promise((resolve) => {
            const seen = [];
            document.addEventListener("securitypolicyviolation", (e) => {
                seen.push(e.effectiveDirective);
                if (seen.length === 2) resolve(seen);
            });
            const script = document.createElement("script");
            script.textContent = "window.hit = 1";
            document.body.append(script);
            const box = document.createElement("div");
            box.innerHTML = '<img src="/static/favicon.svg" onload="window.hit = 2">';
            document.body.append(box);
        })"""
    )
    assert sorted(refused) == ["script-src-attr", "script-src-elem"]
    assert page.evaluate("window.hit") is None


@pytest.mark.parametrize(("format", "text"), HOSTILE)
def test_nothing_in_an_article_runs(server: str, page: Page, format: str, text: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    translate_on_page(page, f"{server}/", text, format)
    assert page.locator("#result tr.rendered").count() >= 1
    read_everything(page)
    assert page.locator(RUNNABLE).count() == 0
    assert page.evaluate("window.hit") is None
    assert dialogs == []


def test_nothing_in_an_approved_translation_runs(own_settings: Settings, page: Page) -> None:
    english = (
        '<script>window.hit=1</script><img src=x onerror="window.hit=2;alert(1)">'
        "[clic](javascript:alert(1)) The mayor presents the budget."
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with LiveServer(own_settings) as url:
        entry = {"source": SENTENCE, "translation": english, "format": "text"}
        assert httpx.post(f"{url}/v1/memory", json={"entries": [entry]}).status_code == 200
        for format, text in (
            ("markdown", f"# {SENTENCE}"),
            ("html", f"<h1>{SENTENCE}</h1>"),
            ("text", SENTENCE),
        ):
            translate_on_page(page, f"{url}/", text, format)
            shown = page.locator('#result td.english .segment[data-segment="0"]')
            assert "".join(shown.all_inner_texts()) == english  # as text, as approved
            read_everything(page)
            assert page.locator(RUNNABLE).count() == 0
            assert page.evaluate("window.hit") is None
    assert dialogs == []
