"""ninjs 1.x, 2.x and 3.x: headlines, descriptions and bodies translated at any depth, the
rest kept as written, the language English, a summary where each version has its place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from depeche.errors import ItemError
from depeche.formats import with_summary
from depeche.formats.ninjs import NinjsItem, is_ninjs

from tests.wire_items import NINJS, NINJS_1, NINJS_2, NINJS_3, fake_english

# (role, format, main) of each version's pieces, in document order.
PIECES = {
    "1.6": [
        ("headline", "text", False),
        ("subheadline", "text", False),
        ("description", "text", False),
        ("body", "html", True),
        ("body", "text", True),
        ("headline", "text", False),
        ("description", "text", False),
    ],
    "2.1": [
        ("headline", "text", False),
        ("subheadline", "text", False),
        ("description", "text", False),
        ("body", "html", True),
        ("headline", "text", False),
        ("description", "text", False),
        ("description", "text", False),
    ],
    "3.1": [
        ("headline", "text", False),
        ("body", "text", True),
        ("body", "html", True),
        ("description", "text", False),
    ],
}
# The fields translated, as paths in the item.
TRANSLATED = {
    "1.6": {
        ("headline",),
        ("headline_sub",),
        ("description_text",),
        ("body_html",),
        ("body_text",),
        ("associations", "featureimage", "headline"),
        ("associations", "featureimage", "description_text"),
    },
    "2.1": {
        ("headlines", 0, "value"),
        ("headlines", 1, "value"),
        ("descriptions", 0, "value"),
        ("bodies", 0, "value"),
        ("associations", 0, "headlines", 0, "value"),
        ("associations", 0, "descriptions", 0, "value"),
        ("associations", 0, "associations", 0, "descriptions", 0, "value"),
    },
    "3.1": {
        ("headlines", 0, "value"),
        ("bodies", 0, "value"),
        ("bodies", 1, "value"),
        ("associations", 0, "descriptions", 0, "value"),
    },
}


def english(text: str) -> str:
    item = NinjsItem(text)
    return item.write([fake_english(p.text, p.format, p.options) for p in item.pieces])


def leaves(value: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in leaves(item, (*path, key)).items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in leaves(item, (*path, i)).items()}
    return {path: value}


@pytest.mark.parametrize("version", sorted(NINJS))
def test_pieces_of_each_version(version: str) -> None:
    item = NinjsItem(NINJS[version])
    assert [(p.role, p.format, p.main) for p in item.pieces] == PIECES[version]


@pytest.mark.parametrize("version", sorted(NINJS))
def test_only_translated_fields_and_the_language_change(version: str) -> None:
    source, output = NINJS[version], english(NINJS[version])
    before, after = leaves(json.loads(source)), leaves(json.loads(output))
    assert list(before) == list(after)  # the same fields, in the same order
    changed = {path for path in before if before[path] != after[path]}
    languages = {path for path in changed if path[-1] == "language"}
    assert changed - languages == TRANSLATED[version]
    assert all(after[path] == "en" for path in languages) and languages
    for path in TRANSLATED[version]:
        assert after[path].replace("EN ", "") == before[path]
    # Lines holding nothing translated are kept byte for byte.
    kept = [
        line
        for line in source.splitlines()
        if not any(json.dumps(before[p], ensure_ascii=False)[1:20] in line for p in changed)
    ]
    assert kept and all(line in output.splitlines() for line in kept)


def test_escapes_of_untouched_strings_are_kept() -> None:
    source = '{"uri": "urn:x", "slugline": "gr\\u00e8ve\\/bus", "headline": "La gr\\u00e8ve"}'
    output = english(source)
    assert '"slugline": "gr\\u00e8ve\\/bus"' in output
    assert json.loads(output)["headline"] == "EN La grève"


@pytest.mark.parametrize("version", sorted(NINJS))
def test_output_validates_against_the_schema_of_its_version(
    ninjs_schemas: Path, version: str
) -> None:
    schema = json.loads((ninjs_schemas / f"ninjs-schema_{version}.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    validator.validate(json.loads(NINJS[version]))
    output = english(NINJS[version])
    validator.validate(json.loads(output))
    validator.validate(json.loads(with_summary(output, "ninjs", "A short summary.")))


@pytest.mark.parametrize(
    ("source", "found"),
    [
        # 1.x: a description_summary field, after the last description.
        (NINJS_1, ("description_summary",)),
        # 2.x: an entry with the role summary, at the end of descriptions.
        (NINJS_2, ("descriptions", 1)),
        # 3.x without descriptions: the array is added after the headlines.
        (NINJS_3, ("descriptions", 0)),
    ],
)
def test_a_summary_in_each_version(source: str, found: tuple[Any, ...]) -> None:
    output = with_summary(english(source), "ninjs", 'A "short" summary.')
    item = json.loads(output)
    value = item[found[0]] if len(found) == 1 else item[found[0]][found[1]]
    expected = 'A "short" summary.'
    assert value == expected or value == {"role": "summary", "value": expected}
    keys = list(item)
    if found[0] == "description_summary":
        assert keys.index("description_summary") == keys.index("description_text") + 1
    if source is NINJS_3:
        assert keys.index("descriptions") == keys.index("headlines") + 1
    # An item with its own summary keeps it, and takes none more.
    assert with_summary(output, "ninjs", "Another one.") == output


@pytest.mark.parametrize(
    ("source", "added"),
    [
        ('{"uri":"urn:x","headlines":[{"value":"Titre"}]}', ',"descriptions":'),
        ('{"uri": "urn:x"}', ', "descriptions": [{"role": "summary"'),
        ('{\n  "uri": "urn:x"\n}', ',\n  "descriptions": [{'),
        ('{"uri": "urn:x", "descriptions": []}', '"descriptions": [{"role": "summary"'),
        ('{"uri":"urn:x","headline":"Titre"}', ',"description_summary":"S."'),
    ],
)
def test_a_summary_is_spaced_as_the_item(source: str, added: str) -> None:
    output = with_summary(source, "ninjs", "S.")
    assert added in output and json.loads(output)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('{"uri": "urn:x", "body_html": 3}', "ninjs: body_html is a number, not a string"),
        (
            '{"uri": "urn:x", "bodies": [{"value": null}]}',
            r"ninjs: bodies\[0\].value is null, not a string",
        ),
        ('{"uri": "urn:x", "headlines": "Titre"}', "ninjs: headlines is a string, not an array"),
        ('{"uri": "urn:x", "bodies": ["Texte"]}', r"ninjs: bodies\[0\] is a string, not an object"),
        (
            '{"uri": "urn:x", "associations": {"a": {"uri": "urn:y", "headline": []}}}',
            "ninjs: associations.a.headline is an array, not a string",
        ),
        ('{"uri": "urn:x", "associations": 2}', "associations is a number, not an object"),
        ('[{"uri": "urn:x"}]', "a ninjs item is a JSON object, not an array"),
        ('{"uri": "urn:x", "headline": "Titre",}', "not valid JSON"),
    ],
)
def test_fields_of_the_wrong_type_are_named(source: str, message: str) -> None:
    with pytest.raises(ItemError, match=message):
        NinjsItem(source)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NINJS_1, True),
        (NINJS_3, True),
        ('{"standard": {"name": "ninjs", "version": "3.0"}}', True),
        ('{"uri": "urn:x", "body_text": "Texte."}', True),
        ('{"uri": "urn:x", "type": "text"}', False),
        ('{"name": "réglages"}', False),
        ("[1, 2]", False),
        ("{not json", False),
        ("[" * 100_000, False),
    ],
)
def test_is_ninjs(text: str, expected: bool) -> None:
    assert is_ninjs(text) is expected
