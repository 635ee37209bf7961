"""JSON read with places: every string knows where each of its characters is written."""

from __future__ import annotations

import json

import pytest
from depeche.errors import ItemError
from depeche.formats.jsontext import Array, Object, Scalar, String, escape, parse

DOCUMENT = '\ufeff{"a" : [1, {"b": "x\\u00e9\\n\\ud83d\\ude00\\"y"}], "c": null, "a": true}'


def test_values_and_places() -> None:
    root = parse(DOCUMENT)
    assert isinstance(root, Object) and [m.key for m in root.members] == ["a", "c", "a"]
    array = root.members[0].value
    assert isinstance(array, Array) and DOCUMENT[array.start : array.end].startswith("[1,")
    string = array.items[1].members[0].value  # type: ignore[attr-defined]
    assert isinstance(string, String)
    assert string.value == json.loads(DOCUMENT[string.start : string.end]) == 'xé\n😀"y'
    # Each character at its escape: x, \u00e9, \n, the surrogate pair, \", y; then the end.
    assert [DOCUMENT[string.offsets(i)] for i in range(len(string.value))] == list("x\\\\\\\\y")
    assert string.offsets(len(string.value)) == string.end - 1
    assert isinstance(root.get("a"), Scalar) and root.get("a").kind == "a boolean"  # type: ignore[union-attr]
    assert root.get("missing") is None


def test_any_depth_is_read_without_recursion() -> None:
    deep = "[" * 200_000 + "]" * 200_000
    assert isinstance(parse(deep), Array)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a":}', "a value expected at line 1, column 6"),
        ('{"a":1,}', "a key (a string) expected at line 1, column 8"),
        ("[1 2]", "',' or ']' expected at line 1, column 4"),
        ('{"a":"x', "an unterminated string at line 1, column 8"),
        ('"\\q"', "a bad escape in a string"),
        ('"a\tb"', "a control character in a string"),
        ("1 2", "data after the value at line 1, column 3"),
        ('{\n  "a" 1}', "':' expected at line 2, column 7"),
        ("", "a value expected at line 1, column 1"),
    ],
)
def test_mistakes_are_named_with_their_place(text: str, message: str) -> None:
    with pytest.raises(
        ItemError, match="not valid JSON: " + message.replace("(", r"\(").replace(")", r"\)")
    ):
        parse(text)


@pytest.mark.parametrize("text", ['Le "maire"\n\\ parle\t\x01', "", "l’été 😀"])
def test_escape_reads_back(text: str) -> None:
    assert json.loads(f'"{escape(text)}"') == text
