"""Markup through the HTTP API: HTML and markdown in, the same markup out, bad text refused."""

from __future__ import annotations

import json
import re

import deepl
import httpx
import pytest
from depeche.translator import Translator

PAGE = (
    '<h2>Le budget</h2>\n<p>Le maire de <a href="https://lyon.fr">Lyon</a> a présenté '
    "un budget <em>rouge</em>.</p>\n<script>var x = 'Bonjour le monde';</script>\n"
    "<style>p::after { content: 'Texte'; }</style>\n<p><code>Ne pas traduire</code> ici.</p>"
)


def tags(html: str) -> list[str]:
    return re.findall(r"<[^>]+>", html)


def test_v1_translate_html(engine_server: str, engine_reference: Translator) -> None:
    response = httpx.post(f"{engine_server}/v1/translate", json={"text": PAGE, "format": "html"})
    assert response.status_code == 200, response.text
    text = response.json()["translations"][0]["text"]
    assert text == engine_reference.translate_article(PAGE, "html").text
    assert sorted(tags(text)) == sorted(tags(PAGE))
    for kept in ("<script>var x = 'Bonjour le monde';</script>", "<code>Ne pas traduire</code>"):
        assert kept in text


def test_v1_articles_detects_html_and_streams_it(server: str) -> None:
    whole = httpx.post(f"{server}/v1/articles", json={"text": PAGE, "summarize": False}).json()
    assert whole["format"] == "html" and whole["title"]
    with httpx.stream(
        "POST", f"{server}/v1/articles/stream", json={"text": PAGE, "summarize": False}
    ) as response:
        lines = [json.loads(line) for line in response.iter_lines() if line.strip()]
    assert lines[-1]["article"] == whole


def test_libretranslate_html_keeps_what_is_not_prose(engine_server: str) -> None:
    answer = httpx.post(
        f"{engine_server}/translate",
        json={"q": PAGE, "source": "fr", "target": "en", "format": "html"},
    ).json()["translatedText"]
    assert sorted(tags(answer)) == sorted(tags(PAGE))
    assert "<style>p::after { content: 'Texte'; }</style>" in answer
    assert "<h2> " not in answer and " </h2>" not in answer  # no spaces put inside elements


def test_deepl_tag_handling_and_ignore_tags(engine_server: str) -> None:
    client = deepl.Translator("any-key", server_url=engine_server)
    text = "<p>Le maire parle.</p><p><keep>Ne pas traduire.</keep> Le budget est voté.</p>"
    result = client.translate_text(
        text, source_lang="FR", target_lang="EN-GB", tag_handling="html", ignore_tags=["keep"]
    )
    assert "<keep>Ne pas traduire.</keep>" in result.text
    assert sorted(tags(result.text)) == sorted(tags(text))


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/translate", '{"text": "Le maire \\ud800 parle."}'),
        ("/v1/articles", '{"text": "Le maire \\ud800 parle.", "summarize": false}'),
        ("/v1/summarize", '{"text": "The mayor \\ud800 spoke."}'),
        ("/translate", '{"q": "Le maire \\ud800 parle.", "source": "fr", "target": "en"}'),
        ("/v2/translate", '{"text": ["Le maire \\ud800 parle."], "target_lang": "EN"}'),
    ],
)
def test_a_lone_surrogate_is_refused_not_a_server_error(server: str, path: str, body: str) -> None:
    response = httpx.post(
        f"{server}{path}", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422), response.text
    assert "surrogate" in response.text
