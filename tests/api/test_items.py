"""`POST /v1/items`, and news items and feeds wherever else a document enters the service."""

from __future__ import annotations

import json
from pathlib import Path

import deepl
import httpx
import pytest
from depeche.config import Settings
from depeche.documents import translate_document
from depeche.formats import with_summary
from depeche.glossary import Glossary
from depeche.translator import Translator

from tests import wire_items
from tests.api.live import LiveServer

ITEMS = [
    ("application/json", wire_items.NINJS_1, "ninjs"),
    ("application/json", wire_items.NINJS_3, "ninjs"),
    ("application/vnd.iptc.g2.newsitem+xml", wire_items.NEWSML_ITEM, "newsml"),
    ("application/xml", wire_items.NEWSML_MESSAGE, "newsml"),
    ("application/rss+xml", wire_items.RSS, "rss"),
    ("application/atom+xml", wire_items.ATOM, "atom"),
    ("text/xml", wire_items.ATOM, "atom"),
]


@pytest.mark.parametrize(("content_type", "text", "format"), ITEMS)
def test_an_item_comes_back_in_english_as_it_came(
    server: str, reference: Translator, content_type: str, text: str, format: str
) -> None:
    answer = httpx.post(
        f"{server}/v1/items", content=text.encode(), headers={"Content-Type": content_type}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == content_type
    assert answer.text == reference.translate_article(text, format).text  # type: ignore[arg-type]


def test_caches_summaries_and_glossaries(server: str, reference: Translator) -> None:
    body = wire_items.NINJS_2.replace("20240913-vendanges", "20240913-vendanges-api")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    first = httpx.post(f"{server}/v1/items", content=body.encode(), headers=headers)
    again = httpx.post(f"{server}/v1/items", content=body.encode(), headers=headers)
    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("miss", "hit")
    summarized = httpx.post(
        f"{server}/v1/items?summarize=true", content=body.encode(), headers=headers
    )
    item = json.loads(summarized.text)
    summary = item["descriptions"][-1]
    assert summary["role"] == "summary" and summary["value"]
    assert summarized.text == with_summary(again.text, "ninjs", summary["value"])
    feed = httpx.post(
        f"{server}/v1/items?summarize=true",
        content=wire_items.RSS.encode(),
        headers={"Content-Type": "application/rss+xml"},
    )
    assert feed.text == reference.translate_article(wire_items.RSS, "rss").text  # none added
    stored = httpx.post(
        f"{server}/v2/glossaries",
        data={
            "name": "villes",
            "source_lang": "fr",
            "target_lang": "en",
            "entries": "Rennes\tRENNES-CITY",
            "entries_format": "tsv",
        },
    ).json()
    with_terms = httpx.post(
        f"{server}/v1/items?glossary_id={stored['glossary_id']}",
        content=wire_items.NINJS_1.encode(),
        headers=headers,
    )
    glossary = Glossary.of({"Rennes": "RENNES-CITY"})
    expected = reference.translate_article(wire_items.NINJS_1, "ninjs", glossary=glossary)
    assert with_terms.text == expected.text and "RENNES-CITY" in with_terms.text


@pytest.mark.parametrize(
    ("content_type", "body", "status", "kind", "message"),
    [
        ("text/plain", wire_items.NINJS_1, 415, "unsupported_media_type", "send one of"),
        (None, wire_items.NINJS_1, 415, "unsupported_media_type", "no content type"),
        ("application/json", wire_items.NOT_NEWS_JSON, 400, "invalid_item", "not a ninjs item"),
        ("application/json", '{"uri": "urn:x",', 400, "invalid_item", "not valid JSON"),
        (
            "application/json",
            '{"uri": "urn:x", "bodies": [{"value": 12}]}',
            400,
            "invalid_item",
            "bodies[0].value is a number, not a string",
        ),
        ("application/xml", wire_items.BOMB, 400, "invalid_item", "refused, never expanded"),
        ("application/xml", wire_items.EXTERNAL, 400, "invalid_item", "refused, never expanded"),
        ("application/rss+xml", wire_items.BROKEN_XML, 400, "invalid_item", "not well-formed"),
        ("application/xml", "<a><b></a>", 400, "invalid_item", "not well-formed XML"),
        ("application/rss+xml", wire_items.ATOM, 400, "invalid_item", "not an RSS feed"),
        ("application/xml", wire_items.NOT_NEWS_XML, 400, "invalid_item", "NewsML-G2 or an RSS"),
    ],
)
def test_errors_are_answered_as_v1s(
    server: str, content_type: str | None, body: str, status: int, kind: str, message: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    answer = httpx.post(f"{server}/v1/items", content=body.encode(), headers=headers)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["type"] == kind and message in error["message"]


def test_articles_and_the_stream_recognize_items(server: str, reference: Translator) -> None:
    article = httpx.post(
        f"{server}/v1/articles", json={"text": wire_items.NINJS_3, "summarize": False}
    ).json()
    expected = reference.translate_article(wire_items.NINJS_3, "ninjs")
    assert article["format"] == "ninjs" and article["text"] == expected.text
    assert article["title"] == expected.title
    with httpx.stream(
        "POST", f"{server}/v1/articles/stream", json={"text": wire_items.ATOM}, timeout=60
    ) as response:
        lines = [json.loads(line) for line in response.iter_lines() if line.strip()]
    assert [line["type"] for line in lines] == ["blocks", "segments", "done"]
    assert lines[-1]["article"]["text"] == reference.translate_article(wire_items.ATOM, "atom").text
    source = wire_items.ATOM
    assert all(b["source"] == source[b["start"] : b["end"]] for b in lines[0]["blocks"])


@pytest.mark.parametrize(
    ("name", "text"),
    [("depeche.json", wire_items.NINJS_2), ("flux.rss", wire_items.RSS)],
)
def test_documents_through_deepl_and_libretranslate(
    server: str, reference: Translator, tmp_path: Path, name: str, text: str
) -> None:
    expected = translate_document(reference, text.encode(), name)
    source, target = tmp_path / name, tmp_path / f"en-{name}"
    source.write_text(text, encoding="utf-8")
    client = deepl.Translator("any-key", server_url=server)
    client.translate_document_from_filepath(source, target, source_lang="FR", target_lang="EN-GB")
    assert target.read_bytes() == expected.data
    answer = httpx.post(
        f"{server}/translate_file",
        data={"source": "fr", "target": "en"},
        files={"file": (name, text.encode())},
    ).json()
    downloaded = httpx.get(answer["translatedFileUrl"])
    assert downloaded.content == expected.data
    assert downloaded.headers["content-type"].startswith(expected.media_type.split(";")[0])


def test_a_document_that_is_no_item_is_a_400(server: str) -> None:
    answer = httpx.post(
        f"{server}/v2/document",
        data={"target_lang": "EN"},
        files={"file": ("settings.json", wire_items.NOT_NEWS_JSON.encode())},
    )
    assert answer.status_code == 400 and "not a ninjs item" in answer.json()["message"]


def test_the_limits_apply(api_settings: Settings) -> None:
    small = api_settings.model_copy(update={"max_chars_per_text": 500, "max_body_bytes": 4096})
    headers = {"Content-Type": "application/rss+xml"}
    with LiveServer(small) as url:
        long = httpx.post(f"{url}/v1/items", content=wire_items.RSS.encode(), headers=headers)
        assert long.status_code == 413 and "at most 500" in long.json()["error"]["message"]
        huge = httpx.post(f"{url}/v1/items", content=b"<rss>" + b" " * 8192, headers=headers)
        assert huge.status_code == 413
