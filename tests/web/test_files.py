"""The English out of the page in headless Chromium: copied, or downloaded in the input's
format, a Word document included (uploaded through /v2/document, downloaded translated)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests import docx_files
from tests.web.conftest import article, translate_on_page
from tests.web.test_view import HTML, MARKDOWN, TEXT
from tests.wire_items import NINJS_1


@pytest.mark.parametrize(
    ("text", "format", "name"),
    [
        (MARKDOWN, "auto", "article-en.md"),
        (HTML, "html", "article-en.html"),
        (TEXT, "text", "article-en.txt"),
        (NINJS_1, "auto", "article-en.json"),
    ],
)
def test_download_gives_the_english_in_the_input_format(
    server: str, page: Page, tmp_path: Path, text: str, format: str, name: str
) -> None:
    translate_on_page(page, f"{server}/", text, format)
    with page.expect_download() as download:
        page.click("#download")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == name
    assert saved.read_bytes() == article(server, text, format)["text"].encode()


def test_a_file_opened_gives_its_name_to_the_english(
    server: str, page: Page, tmp_path: Path
) -> None:
    page.goto(f"{server}/")
    page.set_input_files(
        "#file",
        files=[{"name": "conseil.md", "mimeType": "text/markdown", "buffer": MARKDOWN.encode()}],
    )
    expect(page.locator("#source")).to_have_value(MARKDOWN)  # read as the page gets it
    assert page.input_value("#format") == "markdown"
    page.click("#translate")
    page.wait_for_selector("#download:not([disabled])", timeout=60_000)
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename == "conseil-en.md"
    saved = tmp_path / "conseil-en.md"
    download.value.save_as(saved)
    assert saved.read_text(encoding="utf-8") == article(server, MARKDOWN, "markdown")["text"]


def test_copy_puts_the_english_on_the_clipboard(server: str, browser: Browser) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        translate_on_page(page, f"{server}/", HTML, "html")
        page.click("#copy")
        page.wait_for_selector("#copied:not([hidden])")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == article(server, HTML, "html")["text"]
    finally:
        context.close()


def members(docx: bytes) -> dict[str, bytes]:
    """A .docx file's parts (its zip's dates differ from one save to the next)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_word_document_is_translated_whole_and_downloaded(
    server: str, page: Page, tmp_path: Path
) -> None:
    original = docx_files.article()
    page.goto(f"{server}/")
    page.set_input_files(
        "#file",
        files=[
            {"name": "rapport.docx", "mimeType": "application/octet-stream", "buffer": original}
        ],
    )
    assert page.locator("#document").inner_text().startswith("rapport.docx")
    assert page.locator("#source").is_hidden()
    page.click("#translate")
    page.wait_for_selector("#download:not([disabled])", timeout=60_000)
    assert page.locator("#copy").is_disabled()
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename == "rapport-en.docx"
    saved = tmp_path / "rapport-en.docx"
    download.value.save_as(saved)

    uploaded = httpx.post(
        f"{server}/v2/document",
        data={"target_lang": "EN", "source_lang": "FR"},
        files={"file": ("rapport.docx", original)},
    ).json()
    expected = httpx.post(
        f"{server}/v2/document/{uploaded['document_id']}/result",
        data={"document_key": uploaded["document_key"]},
    ).content
    assert members(saved.read_bytes()) == members(expected)
    assert members(expected) != members(original)

    page.click("#forget")  # back to pasting text
    assert page.locator("#source").is_visible()
    translate_on_page(page, f"{server}/", TEXT, "text")
    assert page.locator("#download").inner_text() == "Download .txt"
