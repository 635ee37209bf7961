"""What the store keeps, one dataclass per kind of record. Each checks its text on creation:
what cannot be stored as written (a lone surrogate from a JSON `\\ud800`, a NUL) is an
`InputError` before anything is written, and a stored row that cannot be read back as such a
record is an error for that row only."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime

from ..errors import InputError


def check_text(value: object, what: str) -> str:
    """`value`, once it is text the store keeps as written; `InputError` otherwise."""
    if not isinstance(value, str):
        raise InputError(f"{what} must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{what} holds {exc.object[exc.start : exc.end]!r} at character {exc.start}, "
            "which is not a Unicode character (a lone surrogate)"
        ) from None
    if "\x00" in value:
        raise InputError(f"{what} holds a NUL character at {value.index(chr(0))}")
    return value


def now_iso(timespec: str = "seconds") -> str:
    """The time now in UTC, ISO 8601 with a `Z`."""
    return datetime.now(UTC).isoformat(timespec=timespec).replace("+00:00", "Z")


_TYPES: dict[str, tuple[type, ...]] = {"int": (int,), "float": (int, float), "bytes": (bytes,)}


class _Checked:
    """Checks every field of a record dataclass when it is made: text the store keeps as
    written, numbers and bytes of their type."""

    def __post_init__(self) -> None:
        for field in fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            what = f"{type(self).__name__.lower()} {field.name}"
            if field.type == "str":
                check_text(value, what)
            elif field.type in _TYPES and (
                not isinstance(value, _TYPES[str(field.type)]) or isinstance(value, bool)
            ):
                raise InputError(f"{what} must be of type {field.type}")


@dataclass(frozen=True)
class Approval(_Checked):
    """An editor's translation of a source sentence: who approved it (an API key's name,
    "cli"...), and when (ISO 8601, UTC)."""

    source: str
    text: str
    who: str
    when: str


@dataclass(frozen=True)
class Suggestion(_Checked):
    """A translation someone suggested (LibreTranslate's `/suggest`), waiting for an editor:
    never used until approved."""

    id: str
    source: str
    text: str
    who: str
    when: str


@dataclass(frozen=True)
class GlossaryRecord(_Checked):
    """A stored glossary: its entries in order, and the owner (an API key's hash) it
    belongs to."""

    id: str
    owner: str
    name: str
    created: str
    entries: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        super().__post_init__()
        for number, (source, target) in enumerate(self.entries, 1):
            check_text(source, f"glossary entry {number}")
            check_text(target, f"glossary entry {number}")


@dataclass(frozen=True)
class DocumentRecord(_Checked):
    """A translated file waiting for its download, until `expires` (seconds since the
    epoch); `key` is the secret its client shows (DeepL's document_key)."""

    id: str
    owner: str
    key: str
    name: str
    media_type: str
    billed: int
    expires: float
    data: bytes


@dataclass(frozen=True)
class Usage(_Checked):
    """Characters an owner has had translated."""

    owner: str
    characters: int


Record = Approval | Suggestion | GlossaryRecord | DocumentRecord | Usage
