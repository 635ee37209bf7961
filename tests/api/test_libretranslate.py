"""LibreTranslate's routes as its clients use them: libretranslate-aio, npm's `libretranslate`,
wagtail-localize's translator (its request, made here with `requests`), raw form bodies, and
the status codes LibreTranslate answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
import requests
from depeche.config import Settings
from depeche.translator import Translator
from libretranslate_aio import LibreTranslate
from libretranslate_aio.exceptions import BadRequestError

from tests.api.live import LiveServer
from tests.api.node import node_calls

FRENCH = "Le maire de Lyon a présenté un budget."
ENGLISH = "The mayor of Lyon presented a budget to the council."
GERMAN = "Der Bürgermeister hat einen Haushalt vorgestellt."


def reject_suggestions(server: str, source: str) -> list[str]:
    """Reject the pending suggestions of `source` (kept for review by /suggest); their
    translations."""
    pending = httpx.get(f"{server}/v1/memory/suggestions").json()["suggestions"]
    found = [s for s in pending if s["source"] == source]
    for suggestion in found:
        httpx.delete(f"{server}/v1/memory/suggestions/{suggestion['id']}")
    return [s["translation"] for s in found]


def test_libretranslate_aio(server: str, reference: Translator, tmp_path: Path) -> None:
    with LibreTranslate(server) as client:
        assert client.health() is True
        assert [lang.code for lang in client.languages()] == ["fr", "en"]
        assert client.frontend_settings().language.source.code == "fr"
        translated = client.translate(FRENCH, source="fr", target="en")
        assert translated.translated_text == reference.translate([FRENCH])[0]
        many = client.translate([FRENCH, ENGLISH], source="auto", target="en", alternatives=2)
        assert many.translated_text == [reference.translate([FRENCH])[0], ENGLISH]
        assert [d.language for d in many.detected_language] == ["fr", "en"]  # type: ignore[union-attr]
        assert many.alternatives == [reference.alternatives([FRENCH], 2)[0], []]
        assert client.detect(ENGLISH)[0].language == "en"
        assert client.suggest("La préfète a parlé.", "The prefect spoke.", "fr", "en") is True
        assert reject_suggestions(server, "La préfète a parlé.") == ["The prefect spoke."]
        source = tmp_path / "brief.txt"
        source.write_text(FRENCH, encoding="utf-8")
        url = client.translate_file(source, source="fr", target="en").translated_file_url
        assert httpx.get(url).text == reference.translate_article(FRENCH).text
        with pytest.raises(BadRequestError, match="de is not supported"):
            client.translate(GERMAN, source="auto", target="en")


def test_npm_libretranslate_detects_its_source(server: str, reference: Translator) -> None:
    results = node_calls(
        "libretranslate",
        server,
        [
            {"method": "translate", "args": [{"query": FRENCH, "target": "en", "apiurl": server}]},
            {"method": "translate", "args": [{"query": ENGLISH, "target": "en", "apiurl": server}]},
        ],
    )
    assert results == [{"ok": reference.translate([FRENCH])[0]}, {"ok": ENGLISH}]


def test_wagtail_localize_requests(server: str, reference: Translator) -> None:
    # wagtail-localize's LibreTranslator: a JSON body sent as data, HTML, a key in the body.
    strings = ["<b>Le maire</b> de Lyon a présenté un budget.", "La ministre refuse."]
    libre = requests.post(
        server + "/translate",
        data=json.dumps(
            {"q": strings, "source": "fr", "target": "en", "api_key": "k", "format": "html"}
        ),
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    libre.raise_for_status()
    expected = [r.text for r in reference.translate_articles(strings, "html")]
    assert libre.json()["translatedText"] == expected
    # Its DeepLTranslator: a form, XML tag handling, the key in a header.
    deepl = requests.post(
        server + "/v2/translate",
        {"text": strings, "tag_handling": "xml", "source_lang": "FR", "target_lang": "EN-GB"},
        headers={"Authorization": "DeepL-Auth-Key k"},
        timeout=60,
    )
    assert [t["text"] for t in deepl.json()["translations"]] == [
        r.text for r in reference.translate_articles(strings, "html")
    ]


@pytest.mark.parametrize(
    ("text", "status", "language"),
    [
        (FRENCH, 200, "fr"),
        (ENGLISH, 200, "en"),
        ("<p>The mayor of <b>Lyon</b> presented a budget to the council.</p>", 200, "en"),
        ("Le maire a parlé.", 200, "fr"),  # short: French or English only
        (GERMAN, 400, "de"),
    ],
)
def test_auto_detection_with_the_shipped_identifier(
    server: str, reference: Translator, text: str, status: int, language: str
) -> None:
    format = "html" if text.startswith("<") else "text"
    response = httpx.post(
        f"{server}/translate", json={"q": text, "source": "auto", "target": "en", "format": format}
    )
    assert response.status_code == status, response.text
    if status == 400:
        assert response.json()["error"].startswith(f"{language} is not supported")
        return
    body = response.json()
    assert body["detectedLanguage"]["language"] == language
    assert 0 < body["detectedLanguage"]["confidence"] <= 100
    expected = reference.translate_article(text, format).text if language == "fr" else text
    assert body["translatedText"] == expected


@pytest.mark.parametrize("text", [ENGLISH, FRENCH, GERMAN, "ok", "Bonjour"])
def test_detect_answers_the_likeliest_of_the_languages_it_translates(
    server: str, text: str
) -> None:
    found = httpx.post(f"{server}/detect", data={"q": text}).json()
    assert 1 <= len(found) <= 3
    assert {d["language"] for d in found} <= {"fr", "en"}
    confidences = [d["confidence"] for d in found]
    assert confidences == sorted(confidences, reverse=True)
    if text in (ENGLISH, FRENCH):
        assert found[0]["language"] == ("en" if text == ENGLISH else "fr")


def test_raw_utf8_form_bodies(server: str) -> None:
    # As `curl -d` sends them: UTF-8 bytes, not percent-encoded.
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    suggested = httpx.post(
        f"{server}/suggest",
        content="q=Le préfet a parlé.&s=The prefect spoke.&source=fr&target=en".encode(),
        headers=form,
    )
    assert suggested.status_code == 200
    assert reject_suggestions(server, "Le préfet a parlé.") == ["The prefect spoke."]
    billed = httpx.post(
        f"{server}/v2/translate",
        content="text=Le préfet a parlé.&target_lang=EN-GB".encode(),
        headers=form,
    ).json()["translations"][0]["billed_characters"]
    assert billed == len("Le préfet a parlé.")
    latin = httpx.post(f"{server}/suggest", content=b"q=caf\xe9&s=x&source=fr", headers=form)
    assert latin.status_code == 400 and "UTF-8" in latin.json()["error"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"q": "", "source": "fr", "target": "en"}, "missing q"),
        ({"source": "fr", "target": "en"}, "missing q"),
        ({"q": "Bonjour", "target": "en"}, "missing source"),
        ({"q": "Bonjour", "source": "fr"}, "missing target"),
        ({"q": "Bonjour", "source": "fr", "target": "en", "format": "xml"}, "xml format"),
        ({"q": "x" * 100_001, "source": "fr", "target": "en"}, "at most 100000"),
        ({"q": ["x"] * 129, "source": "fr", "target": "en"}, "at most 128"),
    ],
)
def test_libretranslate_statuses(server: str, fields: dict[str, object], message: str) -> None:
    for response in (
        httpx.post(f"{server}/translate", json=fields),
        httpx.post(f"{server}/translate", data=fields),  # type: ignore[arg-type]
    ):
        assert response.status_code == 400 and message in response.json()["error"]


def test_libretranslate_statuses_with_keys(api_settings: Settings) -> None:
    with LiveServer(api_settings.model_copy(update={"api_keys": "secret"})) as url:
        assert httpx.get(f"{url}/health").json() == {"status": "ok"}
        fields = {"q": "Bonjour", "source": "fr", "target": "en"}
        missing = httpx.post(f"{url}/translate", data=fields)
        assert missing.status_code == 400 and missing.json() == {"error": "an API key is required"}
        wrong = httpx.post(f"{url}/translate", data={**fields, "api_key": "nope"})
        assert wrong.status_code == 403
        # depeche's own routes keep their codes.
        assert httpx.post(f"{url}/v1/translate", json={"text": "Bonjour"}).status_code == 401
        long = httpx.post(
            f"{url}/v1/translate",
            json={"text": "x" * 100_001},
            headers={"Authorization": "Bearer secret"},
        )
        assert long.status_code == 413


@pytest.fixture(scope="module")
def keyed(api_settings: Settings) -> Iterator[str]:
    with LiveServer(api_settings.model_copy(update={"api_keys": "k1"})) as url:
        yield url


@pytest.mark.parametrize(
    "body",
    [
        b'{"q": "Bonjour.", "api_key": ["k1"]}',
        b'{"q": "Bonjour.", "api_key": 5}',
        b'{"q": "Bonjour.", "api_key": {"key": "k1"}}',
        b'{"q": "Bonjour.", "api_key": true}',
    ],
)
def test_an_api_key_that_is_not_one_string_is_400(keyed: str, body: bytes) -> None:
    answer = httpx.post(
        f"{keyed}/translate", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400 and "api_key" in answer.json()["error"]


def test_an_api_key_repeated_in_a_form_is_400(keyed: str) -> None:
    fields = [("q", "Bonjour."), ("s", "Hello."), ("source", "fr"), ("target", "en")]
    form = urlencode([*fields, ("api_key", "k1"), ("api_key", "k1")])
    headers = {"content-type": "application/x-www-form-urlencoded"}
    for path in ("/translate", "/detect", "/suggest"):
        answer = httpx.post(f"{keyed}{path}", content=form, headers=headers)
        assert answer.status_code == 400 and "api_key" in answer.json()["error"], path


@pytest.mark.parametrize("value", ["1e309", "-1e309", "2.5", "true", "[1]", '"deux"', "9"])
def test_alternatives_that_are_not_a_whole_number_in_range_are_400(server: str, value: str) -> None:
    body = f'{{"q": "Bonjour.", "source": "fr", "target": "en", "alternatives": {value}}}'.encode()
    answer = httpx.post(
        f"{server}/translate", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400 and "alternatives" in answer.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"q": "\\ud800", "s": "Hello.", "source": "fr", "target": "en"}',
        b'{"q": "Bonjour.", "s": "x\\udfff", "source": "fr", "target": "en"}',
    ],
)
def test_a_suggestion_that_is_not_unicode_is_400(server: str, body: bytes) -> None:
    answer = httpx.post(
        f"{server}/suggest", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400 and "surrogate" in answer.json()["error"]
