"""HTML tags read as browsers read them (the WHATWG tokenizer's tag states).

A tag runs from `<` to the first `>` outside a quoted attribute value. Attributes need no space
between them after a quoted value (`<a href="/x"class="lien">`), and an unquoted value is
everything up to a space or `>`, `=` and `/` included (`<a href=/maire?id=3&lang=fr>`). A tag
the text ends inside is no tag: browsers drop it, and the caller keeps it as written.

Each step consumes what it reads, and a tag that is not closed reaches the end of the text, so
reading every tag of a page takes time in proportion to the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_SPACES = re.compile(r"[\t\n\f\r ]*")
_TAG_NAME = re.compile(r"[^\t\n\f\r />]+")
_ATTRIBUTE_NAME = re.compile(r"=?[^\t\n\f\r />=]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_WHITESPACE = "\t\n\f\r "


@dataclass(frozen=True)
class Attribute:
    """An attribute as written: its name (lower case), and its value's place in the text
    (`quote` is `"`, `'` or "" for an unquoted value; `start == end` and no quote for none)."""

    name: str
    start: int
    end: int
    quote: str = ""

    def value(self, text: str) -> str:
        """The value, its character references decoded."""
        return html.unescape(text[self.start : self.end])


@dataclass(frozen=True)
class Tag:
    """A start or end tag: its name (lower case), where it ends (after its `>`), whether it
    closes itself (`<br/>`), and its attributes."""

    name: str
    end: int
    closing: bool = False
    self_closing: bool = False
    attributes: tuple[Attribute, ...] = ()


def opens_tag(text: str, position: int) -> bool:
    """Whether the `<` at `position` opens a start or an end tag (`<` or `</` then a letter)."""
    after = position + (2 if text.startswith("</", position) else 1)
    return after < len(text) and text[after].isascii() and text[after].isalpha()


def read_tag(text: str, position: int) -> Tag | None:
    """The tag whose `<` is at `position` (`opens_tag` is true there), or None when the text
    ends inside it."""
    closing = text.startswith("</", position)
    name_match = _TAG_NAME.match(text, position + (2 if closing else 1))
    if name_match is None:
        return None
    name = name_match.group().lower()
    attributes: list[Attribute] = []
    at = name_match.end()
    length = len(text)
    while True:
        at = _SPACES.match(text, at).end()  # type: ignore[union-attr]
        if at >= length:
            return None
        char = text[at]
        if char == ">":
            return Tag(name, at + 1, closing, False, tuple(attributes))
        if char == "/":
            if text.startswith("/>", at):
                return Tag(name, at + 2, closing, True, tuple(attributes))
            at += 1  # a stray slash between attributes is skipped
            continue
        name_end = _ATTRIBUTE_NAME.match(text, at).end()  # type: ignore[union-attr]
        attribute = text[at:name_end].lower()
        at = _SPACES.match(text, name_end).end()  # type: ignore[union-attr]
        if not text.startswith("=", at):  # no value
            attributes.append(Attribute(attribute, name_end, name_end))
            continue
        at = _SPACES.match(text, at + 1).end()  # type: ignore[union-attr]
        if at >= length:
            return None
        quote = text[at]
        if quote in "\"'":
            close = text.find(quote, at + 1)
            if close < 0:
                return None
            attributes.append(Attribute(attribute, at + 1, close, quote))
            at = close + 1
            # After a quoted value, the next attribute may follow without a space.
            continue
        if quote == ">":  # `<a href=>`: an empty value
            attributes.append(Attribute(attribute, at, at))
            continue
        value_end = _UNQUOTED.match(text, at).end()  # type: ignore[union-attr]
        attributes.append(Attribute(attribute, at, value_end))
        at = value_end


def single_tag(markup: str) -> Tag | None:
    """`markup` read as one start tag, or None when it is anything else."""
    if not markup.startswith("<") or not opens_tag(markup, 0):
        return None
    tag = read_tag(markup, 0)
    return tag if tag is not None and not tag.closing and tag.end == len(markup) else None


def translate_no(text: str, attributes: tuple[Attribute, ...]) -> bool:
    """Whether the attributes mark an element as not to be translated: `translate="no"`, or
    `notranslate` among its classes (what Google's and DeepL's translators honour)."""
    for attribute in attributes:
        if attribute.name == "translate":
            if attribute.value(text).strip().lower() == "no":
                return True
        elif attribute.name == "class" and "notranslate" in _classes(attribute.value(text)):
            return True
    return False


def _classes(value: str) -> list[str]:
    return value.translate({ord(c): " " for c in _WHITESPACE}).split(" ")
