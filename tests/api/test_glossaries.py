"""Glossaries through the HTTP API: DeepL's routes with the official client, and /v1."""

from __future__ import annotations

from collections.abc import Iterator

import deepl
import httpx
import pytest
from depeche.config import Settings
from depeche.glossary import Glossary
from depeche.translator import Translator

from tests.api.live import LiveServer

TEXT = "Le maire de Lyon a présenté un budget."
TERMS = {"Lyon": "LYON-CITY", "maire": "mayor"}


@pytest.fixture
def client(engine_server: str) -> Iterator[deepl.Translator]:
    translator = deepl.Translator("any-key", server_url=engine_server)
    yield translator
    for glossary in translator.list_glossaries():
        translator.delete_glossary(glossary)


def test_deepl_client_manages_glossaries(client: deepl.Translator) -> None:
    created = client.create_glossary("house", "FR", "EN-GB", TERMS)
    assert (created.name, created.source_lang, created.target_lang) == ("house", "FR", "EN")
    assert created.entry_count == 2 and created.ready
    from_csv = client.create_glossary_from_csv("wire", "fr", "en", "RHC,Radio Havana Cuba\n")
    assert {g.glossary_id for g in client.list_glossaries()} == {
        created.glossary_id,
        from_csv.glossary_id,
    }
    assert client.get_glossary(created.glossary_id).name == "house"
    assert client.get_glossary_entries(created) == TERMS
    client.delete_glossary(from_csv)
    with pytest.raises(deepl.GlossaryNotFoundException):
        client.get_glossary(from_csv.glossary_id)
    with pytest.raises(deepl.GlossaryNotFoundException):
        client.delete_glossary(from_csv.glossary_id)


def test_deepl_translate_with_a_glossary(
    client: deepl.Translator, engine_reference: Translator
) -> None:
    created = client.create_glossary("house", "FR", "EN", TERMS)
    result = client.translate_text(TEXT, source_lang="FR", target_lang="EN-US", glossary=created)
    expected = engine_reference.translate([TEXT], glossary=Glossary.of(TERMS))[0]
    assert result.text == expected and "LYON-CITY" in expected
    with pytest.raises(deepl.DeepLException, match="not found"):
        client.translate_text(TEXT, source_lang="FR", target_lang="EN-US", glossary="made-up")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "x", "source_lang": "de", "target_lang": "en", "entries": "a\tb"}, "fr to en"),
        ({"name": "x", "source_lang": "fr", "target_lang": "en", "entries": "a\tb\na\tc"}, "twice"),
        ({"name": "", "source_lang": "fr", "target_lang": "en", "entries": "a\tb"}, "name"),
    ],
)
def test_bad_glossaries_are_deepl_400s(server: str, fields: dict[str, str], message: str) -> None:
    response = httpx.post(f"{server}/v2/glossaries", json=fields)
    assert response.status_code == 400 and message in response.json()["message"]


def test_v1_glossary_inline_or_stored(engine_server: str, engine_reference: Translator) -> None:
    server = engine_server
    expected = engine_reference.translate([TEXT], glossary=Glossary.of(TERMS))[0]
    inline = httpx.post(f"{server}/v1/translate", json={"text": TEXT, "glossary": TERMS})
    assert inline.json()["translations"][0]["text"] == expected
    created = httpx.post(
        f"{server}/v2/glossaries",
        data={
            "name": "house",
            "source_lang": "fr",
            "target_lang": "en",
            "entries": "Lyon\tLYON-CITY\nmaire\tmayor",
        },
    ).json()
    article = httpx.post(
        f"{server}/v1/articles",
        json={"text": TEXT, "glossary_id": created["glossary_id"], "summarize": False},
    ).json()
    assert article["text"] == expected
    listed = httpx.get(f"{server}/v1/glossaries").json()["glossaries"]
    assert [(g["name"], g["entries"]) for g in listed] == [("house", TERMS)]
    missing = httpx.post(f"{server}/v1/translate", json={"text": TEXT, "glossary_id": "nope"})
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "not_found"
    httpx.delete(f"{server}/v2/glossaries/{created['glossary_id']}")


def test_glossaries_are_shared_by_replicas_and_survive_a_restart(
    api_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = tmp_path_factory.mktemp("store") / "shared.db"
    shared = api_settings.model_copy(update={"cache_url": f"sqlite:///{store}"})
    with LiveServer(shared) as first:
        created = deepl.Translator("k", server_url=first).create_glossary(
            "house", "FR", "EN", TERMS
        )
    with LiveServer(shared) as second:
        found = deepl.Translator("k", server_url=second).get_glossary_entries(created.glossary_id)
    assert found == TERMS
