"""Existing clients work unchanged: LibreTranslate-shaped requests and the official DeepL client."""

from __future__ import annotations

from pathlib import Path

import deepl
import httpx
import pytest
from deep_translator import LibreTranslator
from depeche.config import Settings
from depeche.translator import Translator
from libretranslatepy import LibreTranslateAPI

from tests.api.live import LiveServer

TEXTS = ["Le maire de Lyon a présenté un budget.", "La ministre refuse la grève."]


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


def test_libretranslatepy_translates_and_detects(server: str, reference: Translator) -> None:
    client = LibreTranslateAPI(server + "/")
    assert client.translate(TEXTS[0], "fr", "en") == reference.translate([TEXTS[0]])[0]
    assert client.detect(TEXTS[0])[0]["language"] == "fr"
    assert client.detect("The mayor of Lyon presented a budget.")[0]["language"] == "en"
    assert {"code": "fr", "name": "French", "targets": ["en"]} in client.languages()


def test_deep_translator_sends_its_fields_in_the_query(server: str, reference: Translator) -> None:
    client = LibreTranslator(source="fr", target="en", custom_url=server + "/", api_key="k")
    assert client.translate(TEXTS[1]) == reference.translate([TEXTS[1]])[0]


def test_libretranslate_with_keys_leaves_setup_open(api_settings: Settings) -> None:
    keyed = api_settings.model_copy(update={"api_keys": "secret"})
    with LiveServer(keyed) as url:
        settings = httpx.get(f"{url}/frontend/settings").json()
        assert settings["keyRequired"] is True and settings["charLimit"] > 0
        assert httpx.get(f"{url}/languages").status_code == 200
        refused = httpx.post(f"{url}/detect", data={"q": "Bonjour"})
        # LibreTranslate answers a missing key 400 (a wrong one 403).
        assert refused.status_code == 400 and refused.json() == {"error": "an API key is required"}
        detected = httpx.post(f"{url}/detect", data={"q": "Bonjour le monde", "api_key": "secret"})
        assert detected.status_code == 200


def test_deepl_client_setup_calls(server: str, reference: Translator) -> None:
    client = deepl.Translator("any-key", server_url=server)
    assert [lang.code for lang in client.get_source_languages()] == ["FR"]
    assert {lang.code for lang in client.get_target_languages()} == {"EN-GB", "EN-US"}
    assert [(p.source_lang, p.target_lang) for p in client.get_glossary_languages()] == [
        ("fr", "en")
    ]
    result = client.translate_text(
        TEXTS[0],
        target_lang="EN-US",
        split_sentences="nonewlines",
        preserve_formatting=True,
        context="Un article sur Lyon.",
    )
    assert result.text == reference.translate([TEXTS[0]])[0]
    with pytest.raises(deepl.DeepLException, match="formality"):
        client.translate_text(TEXTS[0], target_lang="EN-US", formality="more")


def test_deepl_get_translate(server: str, reference: Translator) -> None:
    response = httpx.get(
        f"{server}/v2/translate", params={"text": TEXTS[0], "target_lang": "EN", "auth_key": "k"}
    )
    assert response.json()["translations"][0]["text"] == reference.translate([TEXTS[0]])[0]


def test_deepl_usage_is_counted_per_key_and_shared_through_the_store(
    api_settings: Settings, tmp_path: Path
) -> None:
    # Two replicas on one store: what one counts, the other reports.
    shared = api_settings.model_copy(
        update={
            "store_url": f"sqlite:///{tmp_path}/shared.sqlite3",
            "character_limit": 60,
            "api_keys": "key-one,key-two",
        }
    )
    with LiveServer(shared) as first, LiveServer(shared) as second:
        one = deepl.Translator("key-one", server_url=first)
        assert one.get_usage().character.count == 0
        one.translate_text(TEXTS[0], target_lang="EN-GB")
        again = deepl.Translator("key-one", server_url=second).get_usage().character
        assert (again.count, again.limit) == (len(TEXTS[0]), 60)
        assert deepl.Translator("key-two", server_url=second).get_usage().character.count == 0
        with pytest.raises(deepl.QuotaExceededException):
            one.translate_text(TEXTS[1], target_lang="EN-GB")  # 38 + 28 > 60


def test_libretranslate_alternatives_from_the_beam(server: str, reference: Translator) -> None:
    single = httpx.post(
        f"{server}/translate",
        json={"q": TEXTS[0], "source": "fr", "target": "en", "alternatives": 3},
    ).json()
    assert single["translatedText"] == reference.translate([TEXTS[0]])[0]
    assert single["alternatives"] == reference.alternatives([TEXTS[0]], 3)[0]
    assert 0 < len(single["alternatives"]) <= 3
    assert single["translatedText"] not in single["alternatives"]
    listed = httpx.post(
        f"{server}/translate", json={"q": TEXTS, "source": "fr", "target": "en", "alternatives": 2}
    ).json()
    assert listed["alternatives"] == reference.alternatives(TEXTS, 2)
    too_many = httpx.post(
        f"{server}/translate",
        json={"q": TEXTS[0], "source": "fr", "target": "en", "alternatives": 99},
    )
    assert too_many.status_code == 400 and "between 0 and 8" in too_many.json()["error"]


def test_the_engines_agree_on_alternatives(
    reference: Translator, reference_translator: Translator
) -> None:
    ct2 = Translator(reference.settings, beam_size=4)
    hf = Translator(reference_translator.settings, beam_size=4)
    assert ct2.alternatives(TEXTS, 3) == hf.alternatives(TEXTS, 3)


def test_libretranslate_multipart_fields(server: str, reference: Translator) -> None:
    response = httpx.post(
        f"{server}/translate",
        files={"q": (None, TEXTS[0]), "source": (None, "fr"), "target": (None, "en")},
    )
    assert response.json() == {"translatedText": reference.translate([TEXTS[0]])[0]}


def test_deepl_client_without_a_character_limit_sees_none_reached(server: str) -> None:
    usage = deepl.DeepLClient("any-key", server_url=server).get_usage()
    assert not usage.any_limit_reached and not usage.character.limit_reached


@pytest.mark.parametrize(
    ("asked", "used"),
    [
        ("quality_optimized", "quality_optimized"),
        ("prefer_quality_optimized", "quality_optimized"),
        ("latency_optimized", "latency_optimized"),
    ],
)
def test_deepl_model_type_is_answered(
    server: str, reference: Translator, asked: str, used: str
) -> None:
    client = deepl.DeepLClient("any-key", server_url=server)
    result = client.translate_text(TEXTS[0], target_lang="EN-GB", model_type=asked)
    assert (result.text, result.model_type_used) == (reference.translate([TEXTS[0]])[0], used)  # type: ignore[union-attr]
    plain = client.translate_text(TEXTS[0], target_lang="EN-GB")
    assert plain.model_type_used is None  # type: ignore[union-attr]
