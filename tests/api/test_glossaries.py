"""Glossaries through the HTTP API: DeepL's routes with the official client, and /v1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import deepl
import httpx
import pytest
from deepl.api_data import MultilingualGlossaryDictionaryEntries
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


@pytest.mark.parametrize(
    ("entries", "format"),
    [
        ("\ufeffMinrex\tCuban Foreign Ministry\n", "tsv"),
        ("\ufeffMinrex,Cuban Foreign Ministry\n", "csv"),
    ],
)
def test_a_byte_order_mark_before_the_entries_is_dropped(
    server: str, client: deepl.Translator, entries: str, format: str
) -> None:
    """Editors on Windows save one; the CLI drops it when reading a file, so does the API."""
    body = {
        "name": "bom",
        "source_lang": "fr",
        "target_lang": "en",
        "entries": entries,
        "entries_format": format,
    }
    created = httpx.post(f"{server}/v2/glossaries", json=body)
    assert created.status_code == 201, created.text
    glossary_id = created.json()["glossary_id"]
    listed = httpx.get(f"{server}/v2/glossaries/{glossary_id}/entries")
    assert listed.text == "Minrex\tCuban Foreign Ministry\n"


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
        (
            {
                "name": "x",
                "source_lang": "fr",
                "target_lang": "en",
                "entries": "x,y\n" + "a" * 200_000 + ",b\n",
                "entries_format": "csv",
            },
            "line 2",
        ),
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
    store = tmp_path_factory.mktemp("store") / "shared.sqlite3"
    shared = api_settings.model_copy(update={"store_url": f"sqlite:///{store}"})
    with LiveServer(shared) as first:
        created = deepl.Translator("k", server_url=first).create_glossary(
            "house", "FR", "EN", TERMS
        )
    with LiveServer(shared) as second:
        found = deepl.Translator("k", server_url=second).get_glossary_entries(created.glossary_id)
    assert found == TERMS


def test_deepl_client_v3_multilingual_glossaries(server: str, reference: Translator) -> None:
    client = deepl.DeepLClient("any-key", server_url=server)
    fr_en = MultilingualGlossaryDictionaryEntries
    created = client.create_multilingual_glossary("house", [fr_en("FR", "EN-GB", TERMS)])
    assert created.name == "house"
    assert [(d.source_lang, d.target_lang, d.entry_count) for d in created.dictionaries] == [
        ("FR", "EN", 2)
    ]
    assert created.glossary_id in {g.glossary_id for g in client.list_multilingual_glossaries()}
    assert client.get_multilingual_glossary(created.glossary_id).name == "house"
    [found] = client.get_multilingual_glossary_entries(created, "FR", "EN").dictionaries
    assert deepl.util.convert_tsv_to_dict(found.entries) == TERMS  # type: ignore[arg-type]
    # The same glossary for v2's routes and for translating, by either field.
    assert deepl.Translator("k", server_url=server).get_glossary_entries(created.glossary_id) == (
        TERMS
    )
    expected = reference.translate([TEXT], glossary=Glossary.of(TERMS))[0]
    for how in ({"glossary": created}, {"glossary_ids": [created.glossary_id]}):
        result = client.translate_text(TEXT, source_lang="FR", target_lang="EN-GB", **how)  # type: ignore[arg-type]
        assert result.text == expected and "LYON-CITY" in expected  # type: ignore[union-attr]

    renamed = client.update_multilingual_glossary_name(created, "wire")
    assert (renamed.glossary_id, renamed.name) == (created.glossary_id, "wire")
    merged = client.update_multilingual_glossary_dictionary(
        created, fr_en("FR", "EN", {"Lyon": "LYONS", "budget": "spending plan"})
    )
    assert merged.dictionaries[0].entry_count == 3
    [found] = client.get_multilingual_glossary_entries(created, "FR", "EN").dictionaries
    assert deepl.util.convert_tsv_to_dict(found.entries) == {  # type: ignore[arg-type]
        **TERMS,
        "Lyon": "LYONS",
        "budget": "spending plan",
    }
    replaced = client.replace_multilingual_glossary_dictionary(
        created, fr_en("FR", "EN", {"Lyon": "LYON-CITY"})
    )
    assert (replaced.source_lang, replaced.target_lang, replaced.entry_count) == ("FR", "EN", 1)
    client.delete_multilingual_glossary_dictionary(created, source_lang="FR", target_lang="EN")
    assert client.get_multilingual_glossary(created.glossary_id).dictionaries == []
    with pytest.raises(deepl.GlossaryNotFoundException):
        client.get_multilingual_glossary_entries(created, "FR", "EN")
    client.delete_multilingual_glossary(created)
    with pytest.raises(deepl.GlossaryNotFoundException):
        client.get_multilingual_glossary(created.glossary_id)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {
                "name": "x",
                "dictionaries": [{"source_lang": "de", "target_lang": "en", "entries": "a\tb"}],
            },
            "fr to en",
        ),
        ({"name": "x", "dictionaries": []}, "a dictionary"),
        (
            {
                "name": "",
                "dictionaries": [{"source_lang": "fr", "target_lang": "en", "entries": "a\tb"}],
            },
            "name",
        ),
        (
            {
                "name": "x",
                "dictionaries": [
                    {"source_lang": "fr", "target_lang": "en", "entries": "a\tb"},
                    {"source_lang": "fr", "target_lang": "en", "entries": "c\td"},
                ],
            },
            "one dictionary",
        ),
    ],
)
def test_bad_v3_glossaries_are_deepl_400s(
    server: str, body: dict[str, object], message: str
) -> None:
    response = httpx.post(f"{server}/v3/glossaries", json=body)
    assert response.status_code == 400 and message in response.json()["message"]


def test_glossary_ids_names_one_glossary(
    server: str, reference: Translator, tmp_path: Path
) -> None:
    translator = deepl.DeepLClient("any-key", server_url=server)
    one = translator.create_glossary("one", "FR", "EN", TERMS)
    two = translator.create_glossary("two", "FR", "EN", {"budget": "spending plan"})
    try:
        expected = reference.translate([TEXT], glossary=Glossary.of(TERMS))[0]
        # A form sends the list comma-separated (documents), JSON as a list (text).
        source = tmp_path / "brief.txt"
        source.write_text(TEXT, encoding="utf-8")
        translator.translate_document_from_filepath(
            source, tmp_path / "en.txt", source_lang="FR", target_lang="EN-GB", glossary_ids=[one]
        )
        assert (tmp_path / "en.txt").read_text(encoding="utf-8") == expected
        with pytest.raises(deepl.DeepLException, match="at most one"):
            translator.translate_text(
                TEXT, source_lang="FR", target_lang="EN-GB", glossary_ids=[one, two]
            )
        with pytest.raises(deepl.DeepLException, match="not found"):
            translator.translate_text(
                TEXT, source_lang="FR", target_lang="EN-GB", glossary_ids=["made-up"]
            )
    finally:
        translator.delete_glossary(one)
        translator.delete_glossary(two)
