"""Existing clients work unchanged: LibreTranslate-shaped requests and the official DeepL client."""

from __future__ import annotations

import deepl
import httpx
import pytest
from depeche.config import Settings
from depeche.translator import Translator

TEXTS = ["Le maire de Lyon a présenté un budget.", "La ministre refuse la grève."]


@pytest.fixture(scope="module")
def reference(api_settings: Settings) -> Translator:
    return Translator(api_settings, cache_url="none")


@pytest.mark.parametrize("as_form", [False, True])
def test_libretranslate_single(server: str, reference: Translator, as_form: bool) -> None:
    fields = {"q": TEXTS[0], "source": "fr", "target": "en", "format": "text"}
    response = (
        httpx.post(f"{server}/translate", data=fields)
        if as_form
        else httpx.post(f"{server}/translate", json=fields)
    )
    assert response.status_code == 200
    assert response.json() == {"translatedText": reference.translate([TEXTS[0]])[0]}


def test_libretranslate_list_and_auto(server: str, reference: Translator) -> None:
    response = httpx.post(
        f"{server}/translate", json={"q": TEXTS, "source": "auto", "target": "en"}
    )
    body = response.json()
    assert body["translatedText"] == reference.translate(TEXTS)
    assert [d["language"] for d in body["detectedLanguage"]] == ["fr", "fr"]


def test_libretranslate_html_keeps_tags(server: str) -> None:
    html = "<p>Le maire de Lyon a <b>présenté</b> un budget.</p>"
    text = httpx.post(
        f"{server}/translate", json={"q": html, "source": "fr", "target": "en", "format": "html"}
    ).json()["translatedText"]
    assert text.startswith("<p>") and text.endswith("</p>")
    assert text.count("<b>") == 1 and text.count("</b>") == 1


def test_libretranslate_languages(server: str) -> None:
    languages = httpx.get(f"{server}/languages").json()
    assert {"code": "fr", "name": "French", "targets": ["en"]} in languages


def test_official_deepl_client(server: str, reference: Translator) -> None:
    translator = deepl.Translator("any-key", server_url=server)
    results = translator.translate_text(TEXTS, target_lang="EN-GB", source_lang="FR")
    assert [r.text for r in results] == reference.translate(TEXTS)
    assert [r.detected_source_lang for r in results] == ["FR", "FR"]
    assert [r.billed_characters for r in results] == [len(t) for t in TEXTS]


def test_deepl_form_body(server: str, reference: Translator) -> None:
    response = httpx.post(
        f"{server}/v2/translate",
        data={"text": TEXTS, "target_lang": "EN"},
        headers={"Authorization": "DeepL-Auth-Key k"},
    )
    assert [t["text"] for t in response.json()["translations"]] == reference.translate(TEXTS)


def test_deepl_other_target_is_refused(server: str) -> None:
    response = httpx.post(f"{server}/v2/translate", json={"text": ["Hallo"], "target_lang": "DE"})
    assert response.status_code == 400
