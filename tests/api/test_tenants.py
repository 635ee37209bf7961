"""Tenants over HTTP: a key's glossaries, documents and usage are its own; admin keys see and
manage everything; LibreTranslate's `api_key` in the body is the same owner as in a header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import deepl
import httpx
import pytest
from depeche.config import Settings
from depeche.tenants import owner_of

from tests.api.live import LiveServer

TEXT = "Le maire de Lyon a présenté un budget."
TERMS = {"Lyon": "LYON-CITY"}
PAIR = {"source": "fr", "target": "en"}


@pytest.fixture(scope="module")
def keyed(api_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("tenants")
    settings = api_settings.model_copy(
        update={
            "api_keys": "k1,k2",
            "admin_keys": "boss",
            "store_url": f"sqlite:///{folder}/store.sqlite3",
        }
    )
    with LiveServer(settings) as url:
        yield url


def key(name: str) -> dict[str, str]:
    return {"Authorization": f"DeepL-Auth-Key {name}"}


def test_another_key_gets_404_for_a_glossary_and_cannot_use_or_delete_it(keyed: str) -> None:
    k1, k2 = deepl.Translator("k1", server_url=keyed), deepl.Translator("k2", server_url=keyed)
    mine = k1.create_glossary("house", "FR", "EN", TERMS)
    assert [g.glossary_id for g in k1.list_glossaries()] == [mine.glossary_id]
    assert k2.list_glossaries() == []
    with pytest.raises(deepl.GlossaryNotFoundException):
        k2.get_glossary(mine.glossary_id)
    with pytest.raises(deepl.GlossaryNotFoundException):
        k2.get_glossary_entries(mine.glossary_id)
    with pytest.raises(deepl.GlossaryNotFoundException):
        k2.delete_glossary(mine.glossary_id)
    with pytest.raises(deepl.DeepLException, match="not found"):
        k2.translate_text(TEXT, source_lang="FR", target_lang="EN-GB", glossary=mine.glossary_id)
    v1 = {"text": TEXT, "glossary_id": mine.glossary_id}
    assert httpx.post(f"{keyed}/v1/translate", json=v1, headers=key("k2")).status_code == 404
    assert httpx.get(f"{keyed}/v1/glossaries", headers=key("k2")).json() == {"glossaries": []}
    used = k1.translate_text(TEXT, source_lang="FR", target_lang="EN-GB", glossary=mine)
    assert "LYON-CITY" in used.text
    boss = deepl.Translator("boss", server_url=keyed)
    assert mine.glossary_id in {g.glossary_id for g in boss.list_glossaries()}
    boss.delete_glossary(mine.glossary_id)
    assert k1.list_glossaries() == []


def test_another_key_gets_404_for_a_document(keyed: str) -> None:
    k1, k2 = deepl.Translator("k1", server_url=keyed), deepl.Translator("k2", server_url=keyed)
    handle = k1.translate_document_upload(
        "Le maire a parlé.\n".encode(), target_lang="EN-GB", filename="a.txt"
    )
    for call in (k2.translate_document_get_status, k2.translate_document_download):
        with pytest.raises(deepl.DeepLException, match=r"(?i)not found"):  # a 404
            call(handle)
    boss = deepl.Translator("boss", server_url=keyed)
    assert boss.translate_document_get_status(handle).done
    assert k1.translate_document_download(handle).content  # type: ignore[union-attr]


def test_libretranslate_body_key_is_the_same_owner(keyed: str) -> None:
    answer = httpx.post(
        f"{keyed}/translate_file",
        data={"source": "fr", "target": "en", "api_key": "k1"},
        files={"file": ("a.md", "Le maire a parlé.\n".encode())},
    )
    url = answer.json()["translatedFileUrl"]
    assert httpx.get(url, headers=key("k2")).status_code == 404
    assert httpx.get(url, headers=key("k1")).status_code == 200
    assert httpx.get(url).status_code == 200  # its URL is its secret
    assert httpx.get(url, headers=key("nobody")).status_code == 403
    suggested = httpx.post(f"{keyed}/suggest", json={"q": TEXT, "s": "x", "api_key": "k1", **PAIR})
    assert suggested.json() == {"success": True}
    pending = httpx.get(f"{keyed}/v1/memory/suggestions", headers=key("k2")).json()
    assert [s["who"] for s in pending["suggestions"]] == [f"key-{owner_of('k1')[:8]}"]
    for suggestion in pending["suggestions"]:
        httpx.delete(f"{keyed}/v1/memory/suggestions/{suggestion['id']}", headers=key("k1"))
    refused = httpx.post(
        f"{keyed}/suggest", json={"q": TEXT, "s": "x", "api_key": "nobody", **PAIR}
    )
    assert refused.status_code == 403
    wrong_type = httpx.post(f"{keyed}/suggest", json={"q": TEXT, "s": "x", "api_key": 1, **PAIR})
    assert wrong_type.status_code == 400


def test_usage_is_counted_per_key(keyed: str) -> None:
    def used(name: str) -> int:
        return int(httpx.get(f"{keyed}/v2/usage", headers=key(name)).json()["character_count"])

    before = used("k1"), used("k2")
    deepl.Translator("k1", server_url=keyed).translate_text(TEXT, target_lang="EN-GB")
    assert (used("k1"), used("k2")) == (before[0] + len(TEXT), before[1])


def test_an_open_server_is_one_tenant(api_settings: Settings, tmp_path: Path) -> None:
    settings = api_settings.model_copy(update={"store_url": f"sqlite:///{tmp_path}/s.sqlite3"})
    with LiveServer(settings) as url:
        made = deepl.Translator("one", server_url=url).create_glossary("g", "FR", "EN", TERMS)
        other = deepl.Translator("two", server_url=url)
        assert other.get_glossary(made.glossary_id).name == "g"
        other.delete_glossary(made.glossary_id)


def test_v3_glossaries_are_the_keys_own_too(keyed: str) -> None:
    dictionary = {"source_lang": "fr", "target_lang": "en", "entries": "Lyon\tLYON-CITY"}
    made = httpx.post(
        f"{keyed}/v3/glossaries",
        json={"name": "house", "dictionaries": [dictionary]},
        headers=key("k1"),
    ).json()
    url = f"{keyed}/v3/glossaries/{made['glossary_id']}"
    assert httpx.get(url, headers=key("k2")).status_code == 404
    assert httpx.patch(url, json={"name": "theirs"}, headers=key("k2")).status_code == 404
    replaced = httpx.put(f"{url}/dictionaries", json=dictionary, headers=key("k2"))
    assert replaced.status_code == 404
    assert httpx.delete(url, headers=key("k2")).status_code == 404
    assert httpx.get(f"{keyed}/v3/glossaries", headers=key("k2")).json() == {"glossaries": []}
    renamed = httpx.patch(url, json={"name": "ours"}, headers=key("k1")).json()
    assert renamed["name"] == "ours"
    assert httpx.delete(url, headers=key("boss")).status_code == 204
