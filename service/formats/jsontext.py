"""JSON read with the place of every value, so that a field can be replaced in the source text
and everything else kept as written: key order, whitespace, the escapes of untouched strings.

The reader is iterative (an explicit stack, no recursion: any nesting depth is read) and
linear in the text. Each string knows where each of its characters is written in the source
(`Offsets`), escapes included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ItemError
from .offsets import Offsets

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_PLAIN = re.compile(r'[^"\\\x00-\x1f]*')
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS = {"true": "boolean", "false": "boolean", "null": "null"}


@dataclass
class Value:
    """A JSON value at `text[start:end]`."""

    start: int
    end: int

    @property
    def kind(self) -> str:
        """The JSON type's name, as an error message says it."""
        return "a value"


@dataclass
class Scalar(Value):
    """A number, `true`, `false` or `null`."""

    type: str = "number"

    @property
    def kind(self) -> str:
        return {"number": "a number", "boolean": "a boolean", "null": "null"}[self.type]


@dataclass
class String(Value):
    """A string: its decoded `value`, and where each character of it is in the source."""

    value: str = ""
    offsets: Offsets = field(default_factory=lambda: Offsets(0))

    @property
    def kind(self) -> str:
        return "a string"


@dataclass
class Member:
    """A key of an object (`text[key_start:key_end]` is its quoted token) and its value."""

    key: str
    key_start: int
    key_end: int
    value: Value


@dataclass
class Object(Value):
    """An object: its members in source order (a repeated key is there twice)."""

    members: list[Member] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "an object"

    def get(self, key: str) -> Value | None:
        """The value of `key` (the last one, as JSON parsers read a repeated key)."""
        found = [m.value for m in self.members if m.key == key]
        return found[-1] if found else None


@dataclass
class Array(Value):
    """An array: its items in order."""

    items: list[Value] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "an array"


def parse(text: str) -> Value:
    """The JSON value `text` holds (a leading byte-order mark aside); `ItemError` naming the
    line and column of the first mistake."""
    return _Parser(text).parse()


def escape(text: str) -> str:
    """`text` written inside a JSON string's quotes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char < " ":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}"))
        else:
            out.append(char)
    return "".join(out)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text

    def fail(self, what: str, position: int) -> ItemError:
        line = self.text.count("\n", 0, position) + 1
        column = position - (self.text.rfind("\n", 0, position) + 1) + 1
        return ItemError(f"not valid JSON: {what} at line {line}, column {column}")

    def skip(self, position: int) -> int:
        match = _WHITESPACE.match(self.text, position)
        assert match is not None
        return match.end()

    def parse(self) -> Value:
        text = self.text
        position = self.skip(1 if text.startswith("\ufeff") else 0)
        stack: list[tuple[Object | Array, str, int, int]] = []  # (container, key, its span)
        key, key_start, key_end = "", 0, 0
        while True:
            char = text[position : position + 1]
            node: Value
            if char in ("{", "["):
                container: Object | Array = (
                    Object(position, -1) if char == "{" else Array(position, -1)
                )
                after = self.skip(position + 1)
                if text.startswith("}" if char == "{" else "]", after):
                    container.end = position = after + 1
                    node = container
                else:
                    stack.append((container, key, key_start, key_end))
                    position = after
                    if isinstance(container, Object):
                        key, key_start, key_end, position = self.key(position)
                    continue
            elif char == '"':
                node = self.string(position)
                position = node.end
            elif number := _NUMBER.match(text, position):
                node = Scalar(position, number.end(), "number")
                position = number.end()
            else:
                literal = next((w for w in _LITERALS if text.startswith(w, position)), None)
                if literal is None:
                    raise self.fail("a value expected", position)
                node = Scalar(position, position + len(literal), _LITERALS[literal])
                position = node.end
            # A value is complete: hang it on its container, and close the containers it ends.
            while True:
                if not stack:
                    position = self.skip(position)
                    if position != len(text):
                        raise self.fail("data after the value", position)
                    return node
                parent = stack[-1][0]
                if isinstance(parent, Object):
                    parent.members.append(Member(key, key_start, key_end, node))
                else:
                    parent.items.append(node)
                position = self.skip(position)
                char = text[position : position + 1]
                if char == ",":
                    position = self.skip(position + 1)
                    if isinstance(parent, Object):
                        key, key_start, key_end, position = self.key(position)
                    break
                closer = "}" if isinstance(parent, Object) else "]"
                if char != closer:
                    raise self.fail(f"',' or '{closer}' expected", position)
                parent.end = position = position + 1
                node, key, key_start, key_end = stack.pop()

    def key(self, position: int) -> tuple[str, int, int, int]:
        """A member's key and the colon after it: (key, its span, where its value starts)."""
        if not self.text.startswith('"', position):
            raise self.fail("a key (a string) expected", position)
        token = self.string(position)
        colon = self.skip(token.end)
        if not self.text.startswith(":", colon):
            raise self.fail("':' expected", colon)
        return token.value, token.start, token.end, self.skip(colon + 1)

    def string(self, start: int) -> String:
        text = self.text
        parts: list[str] = []
        breaks: list[tuple[int, int]] = []
        length = 0
        position = start + 1
        while True:
            plain = _PLAIN.match(text, position)
            assert plain is not None
            parts.append(plain.group())
            length += plain.end() - position
            position = plain.end()
            char = text[position : position + 1]
            if char == '"':
                break
            if char != "\\":
                raise self.fail(
                    "an unterminated string" if not char else "a control character in a string",
                    position,
                )
            escape = text[position + 1 : position + 2]
            if escape in _SIMPLE:
                parts.append(_SIMPLE[escape])
                position += 2
            elif escape == "u" and _HEX4.fullmatch(text, position + 2, position + 6):
                code = int(text[position + 2 : position + 6], 16)
                position += 6
                low = text[position + 2 : position + 6] if text.startswith("\\u", position) else ""
                if (
                    0xD800 <= code < 0xDC00
                    and _HEX4.fullmatch(low)
                    and 0xDC00 <= int(low, 16) < 0xE000
                ):
                    code = 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00)
                    position += 6
                parts.append(chr(code))
            else:
                raise self.fail("a bad escape in a string", position)
            length += 1
            breaks.append((length, position))
        value = "".join(parts)
        return String(start, position + 1, value, Offsets(start + 1, breaks))
