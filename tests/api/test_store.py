"""The store behind the HTTP service: what users keep survives a restart, is shared by
servers on one PostgreSQL, moves over from an older depeche's cache, and is never poisoned."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import deepl
import httpx
import pytest
from depeche.config import Settings
from depeche.store import connect

from tests.api.live import LiveServer

SENTENCE = "La ministre de la Culture refuse la grève."
FIXED = "The Culture minister rejects the strike."
AUTH = {"Authorization": "DeepL-Auth-Key k1"}
PAIR = {"source": "fr", "target": "en"}
TSV = {"name": "house", "source_lang": "fr", "target_lang": "en", "entries": "Lyon\tLYON-CITY"}


def light(settings: Settings, **update: object) -> Settings:
    """`settings` without summaries (servers start faster), updated."""
    return settings.model_copy(update={"summarization_model": "none", **update})


def test_records_survive_a_restart(api_settings: Settings, store_url: str) -> None:
    settings = light(api_settings, store_url=store_url, cache_url="none", api_keys="k1")
    with LiveServer(settings) as url:
        glossary = httpx.post(f"{url}/v2/glossaries", data=TSV, headers=AUTH).json()
        entry = {"source": SENTENCE, "translation": FIXED}
        httpx.post(f"{url}/v1/memory", json={"entries": [entry]}, headers=AUTH)
        httpx.post(
            f"{url}/suggest",
            json={"q": "Il pleut.", "s": "It rains.", "api_key": "k1", **PAIR},
        )
        handle = deepl.Translator("k1", server_url=url).translate_document_upload(
            b"Le maire a parle.\n", target_lang="EN-GB", filename="a.txt"
        )
        used = httpx.get(f"{url}/v2/usage", headers=AUTH).json()["character_count"]
        assert used > 0
    with LiveServer(settings) as url:
        client = deepl.Translator("k1", server_url=url)
        assert client.get_glossary_entries(glossary["glossary_id"]) == {"Lyon": "LYON-CITY"}
        memory = httpx.get(f"{url}/v1/memory", headers=AUTH).json()["entries"]
        assert [(e["source"], e["translation"]) for e in memory] == [(SENTENCE, FIXED)]
        pending = httpx.get(f"{url}/v1/memory/suggestions", headers=AUTH).json()
        assert [s["translation"] for s in pending["suggestions"]] == ["It rains."]
        assert client.translate_document_get_status(handle).done
        assert httpx.get(f"{url}/v2/usage", headers=AUTH).json()["character_count"] == used


def test_two_servers_on_one_postgresql(
    api_settings: Settings, postgres_url: str, tmp_path: Path
) -> None:
    # Each server has a cache of its own: what one approves, the other's cached answers
    # must not hide.
    one = light(api_settings, store_url=postgres_url, cache_url=f"sqlite:///{tmp_path}/1.db")
    two = light(api_settings, store_url=postgres_url, cache_url=f"sqlite:///{tmp_path}/2.db")
    with LiveServer(one) as first, LiveServer(two) as second:
        model = httpx.post(f"{second}/v1/translate", json={"text": SENTENCE}).json()
        assert model["translations"][0]["text"] != FIXED
        made = httpx.post(f"{first}/v2/glossaries", data=TSV).json()
        listed = httpx.get(f"{second}/v1/glossaries").json()["glossaries"]
        assert [g["glossary_id"] for g in listed] == [made["glossary_id"]]
        entry = {"source": SENTENCE, "translation": FIXED}
        httpx.post(f"{first}/v1/memory", json={"entries": [entry]})
        again = httpx.post(f"{second}/v1/translate", json={"text": SENTENCE}).json()
        assert again["translations"][0]["text"] == FIXED
        httpx.delete(f"{second}/v2/glossaries/{made['glossary_id']}")
        assert httpx.get(f"{first}/v1/glossaries").json()["glossaries"] == []


def test_an_older_depeche_cache_moves_into_the_store_at_start(
    api_settings: Settings, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite3"
    glossary = {"name": "house", "created": "2024-05-01T10:00:00.000Z", "entries": [["a", "b"]]}
    approval = {"source": SENTENCE, "text": FIXED, "who": "cli", "when": "2024-05-01T10:00:00Z"}
    with sqlite3.connect(cache) as conn:
        conn.execute("CREATE TABLE records (kind TEXT, key TEXT, value BLOB)")
        conn.execute(
            "INSERT INTO records VALUES ('glossary', 'g1', ?)", (json.dumps(glossary).encode(),)
        )
        conn.execute(
            "INSERT INTO records VALUES ('approved', ?, ?)",
            (SENTENCE, json.dumps(approval).encode()),
        )
    conn.close()
    settings = light(
        api_settings,
        cache_url=f"sqlite:///{cache}",
        store_url=f"sqlite:///{tmp_path}/store.sqlite3",
    )
    with LiveServer(settings) as url:
        listed = httpx.get(f"{url}/v2/glossaries").json()["glossaries"]
        assert [(g["glossary_id"], g["name"]) for g in listed] == [("g1", "house")]
        answer = httpx.post(f"{url}/v1/translate", json={"text": SENTENCE}).json()
        assert answer["translations"][0]["text"] == FIXED


@pytest.mark.parametrize("name", ["\ud800", "a\udfffb", "nul\u0000"])
def test_a_glossary_name_that_cannot_be_stored_poisons_nothing(
    api_settings: Settings, tmp_path: Path, name: str
) -> None:
    store_url = f"sqlite:///{tmp_path}/store.sqlite3"
    settings = light(api_settings, store_url=store_url)
    body = json.dumps({**TSV, "name": name})  # "\ud800" as JSON sends it
    json_headers = {"Content-Type": "application/json"}
    with LiveServer(settings) as url:
        good = httpx.post(f"{url}/v2/glossaries", data=TSV).json()
        refused = httpx.post(f"{url}/v2/glossaries", content=body, headers=json_headers)
        assert refused.status_code == 400 and "name" in refused.json()["message"]
        store = connect(store_url)
        with store.transaction() as cursor:  # and a row another tool wrote, not UTF-8
            cursor.execute(
                "INSERT INTO glossaries VALUES ('bad', 'shared', CAST(x'ff' AS TEXT), '')"
            )
        store.close()
        for route in ("/v2/glossaries", "/v1/glossaries"):
            listed = httpx.get(f"{url}{route}")
            assert listed.status_code == 200
            assert [g["glossary_id"] for g in listed.json()["glossaries"]] == [good["glossary_id"]]
        assert httpx.delete(f"{url}/v2/glossaries/bad").status_code == 204
    with LiveServer(settings) as url:
        assert httpx.get(f"{url}/v2/glossaries").status_code == 200


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/v2/translate", {"text": ["Il pleut."], "target_lang": "EN", "glossary_id": "\ud800"}),
        ("/v2/document/abc", {"document_key": "\ud800"}),
        ("/v2/document/abc/result", {"document_key": "\ud800"}),
    ],
)
def test_an_id_that_cannot_be_stored_is_not_found(
    server: str, route: str, body: dict[str, object]
) -> None:
    headers = {"Content-Type": "application/json"}
    answer = httpx.post(f"{server}{route}", content=json.dumps(body), headers=headers)
    assert answer.status_code == 404, answer.text
