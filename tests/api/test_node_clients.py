"""The official DeepL Node client (deepl-node) and npm's `libretranslate`, unchanged, against
a live server."""

from __future__ import annotations

from depeche.glossary import Glossary
from depeche.translator import Translator

from tests.api.node import node_calls

TEXT = "Le maire de Lyon a présenté un budget."
TERMS = {"Lyon": "LYON-CITY", "maire": "mayor"}


def ok(results: list[dict[str, object]]) -> list[object]:
    """The results of calls that must all have succeeded."""
    failed = [(i, r["error"]) for i, r in enumerate(results) if "error" in r]
    assert not failed, failed
    return [r["ok"] for r in results]


def test_deepl_node_translates_and_reports_no_limit(server: str, reference: Translator) -> None:
    one, many, typed, usage = ok(
        node_calls(
            "deepl",
            server,
            [
                {"method": "translateText", "args": [TEXT, "fr", "en-GB"]},
                {"method": "translateText", "args": [[TEXT, "La ministre refuse."], None, "en-US"]},
                {
                    "method": "translateText",
                    "args": [TEXT, "fr", "en-GB", {"modelType": "prefer_quality_optimized"}],
                },
                {"method": "getUsage"},
            ],
        )
    )
    expected = reference.translate([TEXT, "La ministre refuse."])
    assert one["text"] == expected[0] and one["detectedSourceLang"] == "fr"  # type: ignore[index]
    assert [r["text"] for r in many] == expected  # type: ignore[attr-defined]
    assert typed["modelTypeUsed"] == "quality_optimized"  # type: ignore[index]
    # No limit set: the client must not think one is reached.
    assert usage["anyLimitReached"] is False  # type: ignore[index]
    assert usage["character"]["limitReached"] is False  # type: ignore[index]


def test_deepl_node_v3_glossaries(server: str, reference: Translator) -> None:
    dictionary = {"sourceLangCode": "fr", "targetLangCode": "en", "entries": {"$entries": TERMS}}
    extra = {
        "sourceLangCode": "fr",
        "targetLangCode": "en",
        "entries": {"$entries": {"budget": "BUDGET"}},
    }
    results = ok(
        node_calls(
            "deepl",
            server,
            [
                {"method": "createMultilingualGlossary", "args": ["house", [dictionary]]},
                {"method": "listMultilingualGlossaries"},
                {"method": "getMultilingualGlossary", "args": ["$0.glossaryId"]},
                {
                    "method": "getMultilingualGlossaryDictionaryEntries",
                    "args": ["$0.glossaryId", "fr", "en"],
                },
                {
                    "method": "translateText",
                    "args": [TEXT, "fr", "en-GB", {"glossary": "$0.glossaryId"}],
                },
                {
                    "method": "translateText",
                    "args": [TEXT, "fr", "en-GB", {"glossaryIds": ["$0.glossaryId"]}],
                },
                {"method": "updateMultilingualGlossaryName", "args": ["$0.glossaryId", "wire"]},
                {
                    "method": "updateMultilingualGlossaryDictionary",
                    "args": ["$0.glossaryId", extra],
                },
                {
                    "method": "replaceMultilingualGlossaryDictionaryWithCsv",
                    "args": ["$0.glossaryId", "fr", "en", "Lyon,LYONS\n"],
                },
                {
                    "method": "deleteMultilingualGlossaryDictionary",
                    "args": ["$0.glossaryId", "fr", "en"],
                },
                {"method": "getMultilingualGlossary", "args": ["$0.glossaryId"]},
                {"method": "deleteMultilingualGlossary", "args": ["$0.glossaryId"]},
            ],
        )
    )
    created, listed, got, entries, by_id, by_ids, renamed, merged, replaced, _, emptied, _ = results
    assert created["name"] == "house"  # type: ignore[index]
    assert created["dictionaries"] == [  # type: ignore[index]
        {"sourceLangCode": "fr", "targetLangCode": "en", "entryCount": 2}
    ]
    assert created["glossaryId"] in [g["glossaryId"] for g in listed]  # type: ignore[attr-defined,index]
    assert got == created
    assert entries["entries"] == TERMS  # type: ignore[index]
    expected = reference.translate([TEXT], glossary=Glossary.of(TERMS))[0]
    assert by_id["text"] == by_ids["text"] == expected and "LYON-CITY" in expected  # type: ignore[index]
    assert renamed["name"] == "wire"  # type: ignore[index]
    assert merged["dictionaries"][0]["entryCount"] == 3  # type: ignore[index]
    assert replaced["entryCount"] == 1  # type: ignore[index]
    assert emptied["dictionaries"] == []  # type: ignore[index]
    [gone] = node_calls(
        "deepl", server, [{"method": "getMultilingualGlossary", "args": [created["glossaryId"]]}]
    )  # type: ignore[index]
    assert gone["error"]["name"] == "GlossaryNotFoundError"  # type: ignore[index]
