"""What cannot be stored as written is refused before anything is written."""

from __future__ import annotations

import pytest
from depeche.errors import InputError
from depeche.store.records import (
    Approval,
    DocumentRecord,
    GlossaryRecord,
    Suggestion,
    Usage,
    check_text,
)

W = "2024-05-01T10:00:00Z"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("\ud800", "lone surrogate"),
        ("abc\udfffdef", "at character 3"),
        ("a\x00b", "NUL"),
        (5, "must be text"),
        (None, "must be text"),
    ],
)
def test_check_text_refuses(value: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_text(value, "a name")


@pytest.mark.parametrize("text", ["", "Le maire", "🇫🇷 « é » \u00a0", "\U0010ffff"])
def test_check_text_keeps(text: str) -> None:
    assert check_text(text, "a name") is text


@pytest.mark.parametrize(
    "make",
    [
        lambda: Approval("\ud800", "x", "cli", W),
        lambda: Approval("x", "y", "cli\x00", W),
        lambda: Suggestion("s1", "q", "\udc80", "anonymous", W),
        lambda: GlossaryRecord("g1", "o", "\ud800", W, (("a", "b"),)),
        lambda: GlossaryRecord("g1", "o", "house", W, (("a", "\ud800"),)),
        lambda: GlossaryRecord("g1", "o", "house", W, (("a", 5),)),  # type: ignore[arg-type]
        lambda: DocumentRecord("d1", "o", "k", "\ud800.txt", "text/plain", 1, 2.0, b""),
        lambda: DocumentRecord("d1", "o", "k", "a.txt", "text/plain", "1", 2.0, b""),  # type: ignore[arg-type]
        lambda: DocumentRecord("d1", "o", "k", "a.txt", "text/plain", 1, 2.0, "data"),  # type: ignore[arg-type]
        lambda: Usage("\ud800", 1),
        lambda: Usage("o", True),
    ],
)
def test_records_refuse_what_cannot_be_stored(make: object) -> None:
    with pytest.raises(InputError):
        make()  # type: ignore[operator]
