"""`POST /v1/render`: an article the service translated, rendered for the editor's page."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from depeche.render import render
from depeche.results import ArticleResult

from tests.wire_items import NINJS_1

ARTICLE = (
    "# *Le conseil vote le budget*\n\n**Photo de la mairie**\n\n"
    "Le maire de [Lyon](https://lyon.fr) a présenté un budget. La ministre refuse.\n\n"
    "- Un agriculteur du Gers conteste la vente.\n"
)
HTML = "<h1>Le <em>conseil</em> vote</h1><p>Le maire de <a href='https://lyon.fr'>Lyon</a>.</p>"


@pytest.mark.parametrize(
    ("text", "format"),
    [
        (ARTICLE, "auto"),
        (HTML, "html"),
        ("Le maire parle.\n\nLa ministre refuse.", "text"),
        (NINJS_1, "auto"),
    ],
)
def test_an_article_as_translated_is_rendered_block_by_block(
    server: str, text: str, format: str
) -> None:
    translated = httpx.post(
        f"{server}/v1/articles", json={"text": text, "format": format, "summarize": False}
    ).json()
    response = httpx.post(f"{server}/v1/render", json={"text": text, "article": translated})
    assert response.status_code == 200
    shown = response.json()["blocks"]
    result = ArticleResult.from_dict(translated)
    expected = render(text, result.format, result.blocks, result.segments)  # type: ignore[arg-type]
    assert shown == [b.to_dict() for b in expected]
    assert [b["kind"] for b in shown] == [b["kind"] for b in translated["blocks"]]
    for index, segment in enumerate(translated["segments"]):
        block = shown[segment["block"]]
        marked = f'<span class="segment" data-segment="{index}">'
        assert marked in block["french"] and marked in block["english"]


@pytest.mark.parametrize(
    ("article", "status", "words"),
    [
        (
            {
                "format": "text",
                "blocks": [{"kind": "paragraph", "start": 0, "end": 99}],
                "segments": [],
            },
            400,
            "outside the text",
        ),
        (
            {
                "format": "text",
                "blocks": [{"kind": "paragraph", "start": 0, "end": 5}],
                "segments": [{"source": "a", "translation": "b", "block": 0, "start": 3, "end": 9}],
            },
            400,
            "not inside its block",
        ),
        ({"format": "auto", "blocks": [], "segments": []}, 422, ""),
        ({"format": "text", "blocks": [{"kind": "paragraph"}], "segments": []}, 422, ""),
    ],
)
def test_an_article_that_is_not_of_the_text_is_refused(
    server: str, article: dict[str, Any], status: int, words: str
) -> None:
    response = httpx.post(f"{server}/v1/render", json={"text": "Le texte.", "article": article})
    assert response.status_code == status
    assert words in response.json()["error"]["message"]


def test_a_text_over_the_limit_is_refused(server: str) -> None:
    article = {"format": "text", "blocks": [], "segments": []}
    response = httpx.post(f"{server}/v1/render", json={"text": "x" * 100_001, "article": article})
    assert response.status_code == 413
