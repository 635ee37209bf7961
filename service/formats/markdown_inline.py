"""Markdown's inline tokens matched back to the source they came from.

markdown-it gives block tokens source lines but inline tokens no positions. The walker matches
each token to the source character by character, decoding escapes (`\\*`) and entities
(`&eacute;`) as the parser did, and hands the plain characters and the markup, with their
source ranges, to an inline `Builder`.
"""

from __future__ import annotations

import html
import re
import string
from typing import TYPE_CHECKING

from ..inline import Builder

if TYPE_CHECKING:
    from markdown_it.token import Token

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ESCAPABLE = frozenset(string.punctuation)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>$", re.DOTALL)


class Unaligned(Exception):
    """The parser's tokens cannot be matched back to the source."""


class Walker:
    """Matches inline tokens back to the source `raw` (which starts at `offset`)."""

    def __init__(self, raw: str, offset: int, builder: Builder) -> None:
        self.raw = raw
        self.offset = offset
        self.builder = builder
        self.cursor = 0

    def walk(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            index = self.token(tokens, index) + 1
        if self.raw[self.cursor :].strip():
            raise Unaligned

    def at(self, position: int) -> int:
        return self.offset + position

    def atom(self, end: int) -> None:
        if end <= self.cursor:
            raise Unaligned
        self.builder.atom(self.raw[self.cursor : end], self.at(self.cursor), self.at(end))
        self.cursor = end

    def token(self, tokens: list[Token], index: int) -> int:
        token = tokens[index]
        kind = token.type
        raw, cursor = self.raw, self.cursor
        if kind in ("text", "text_special"):
            self.text(token.content)
        elif kind == "softbreak":
            end = _skip_space(raw, cursor)
            self.builder.text(" ", self.at(cursor), self.at(end))
            self.cursor = end
        elif kind == "hardbreak":
            newline = raw.find("\n", cursor)
            if newline < 0:
                raise Unaligned
            self.atom(_skip_space(raw, newline + 1))
            self.builder.text(" ", self.at(self.cursor), self.at(self.cursor))
        elif kind == "code_inline":
            fence = token.markup
            closing = re.compile(rf"(?<!`){re.escape(fence)}(?!`)")
            found = closing.search(raw, cursor + len(fence))
            if not raw.startswith(fence, cursor) or not found:
                raise Unaligned
            self.atom(found.end())
        elif kind == "html_inline":
            if not raw.startswith(token.content, cursor):
                raise Unaligned
            self.html(token.content)
        elif kind == "image":
            if not raw.startswith("![", cursor):
                raise Unaligned
            self.atom(_link_end(raw, _bracket_end(raw, cursor + 1)))
        elif kind == "footnote_ref":
            close = raw.find("]", cursor)
            if not raw.startswith("[^", cursor) or close < 0:
                raise Unaligned
            self.atom(close + 1)
        elif kind == "link_open" and token.markup == "autolink":
            self.atom(raw.index(">", cursor) + 1)
            while tokens[index].type != "link_close":
                index += 1
        elif kind == "link_open" and token.markup == "linkify":
            shown = ""
            while tokens[index].type != "link_close":
                shown += tokens[index].content if tokens[index].type == "text" else ""
                index += 1
            if not raw.startswith(shown, cursor):
                raise Unaligned
            self.atom(cursor + len(shown))
        elif kind == "link_open":
            if not raw.startswith("[", cursor):
                raise Unaligned
            self.builder.open("[", self.at(cursor), self.at(cursor + 1), "link")
            self.cursor += 1
        elif kind == "link_close":
            end = _link_end(raw, cursor)
            self.builder.close(raw[cursor:end], self.at(end), "link")
            self.cursor = end
        elif kind.endswith("_open") and token.markup:
            if not raw.startswith(token.markup, cursor):
                raise Unaligned
            end = cursor + len(token.markup)
            self.builder.open(token.markup, self.at(cursor), self.at(end), kind[:-5])
            self.cursor = end
        elif kind.endswith("_close") and token.markup:
            end = cursor + len(token.markup)
            if raw[cursor:end] != token.markup:
                raise Unaligned
            self.builder.close(token.markup, self.at(end), kind[:-6])
            self.cursor = end
        else:
            raise Unaligned
        return index

    def text(self, content: str) -> None:
        """Consume the source that reads as `content`: escapes and entities decoded."""
        raw, i = self.raw, 0
        while i < len(content):
            cursor = self.cursor
            if cursor >= len(raw):
                raise Unaligned
            char = raw[cursor]
            if (
                char == "\\"
                and raw[cursor + 1 : cursor + 2] == content[i]
                and content[i] in _ESCAPABLE
            ):
                self.builder.text(content[i], self.at(cursor), self.at(cursor + 2))
                self.cursor, i = cursor + 2, i + 1
                continue
            if char == "&" and (entity := _ENTITY.match(raw, cursor)):
                decoded = html.unescape(entity.group()).replace("\0", "\ufffd")
                if decoded != entity.group() and content.startswith(decoded, i):
                    self.builder.text(decoded, self.at(cursor), self.at(entity.end()))
                    self.cursor, i = entity.end(), i + len(decoded)
                    continue
            if char == content[i] or (char == "\0" and content[i] == "\ufffd"):
                self.builder.text(content[i], self.at(cursor), self.at(cursor + 1))
                self.cursor, i = cursor + 1, i + 1
            elif char.isspace():  # whitespace the parser dropped (line ends, indentation)
                self.cursor += 1
            else:
                raise Unaligned

    def html(self, tag: str) -> None:
        """An inline HTML tag: a span when it pairs with a later closing tag, else an atom."""
        match = _TAG.match(tag)
        start, end = self.cursor, self.cursor + len(tag)
        builder = self.builder
        if (
            match
            and not match.group(1)
            and not match.group(3)
            and match.group(2).lower() not in _VOID
        ):
            builder.open(tag, self.at(start), self.at(end), "html:" + match.group(2).lower())
        elif match and match.group(1) and builder.is_open("html:" + match.group(2).lower()):
            builder.close(tag, self.at(end), "html:" + match.group(2).lower())
        else:
            builder.atom(tag, self.at(start), self.at(end))
        self.cursor = end


def _skip_space(raw: str, cursor: int) -> int:
    while cursor < len(raw) and raw[cursor] in " \t\r\n":
        cursor += 1
    return cursor


def _bracket_end(raw: str, open_index: int) -> int:
    """The index of the `]` that closes the `[` at `open_index` (escapes skipped)."""
    depth, position = 0, open_index
    while position < len(raw):
        char = raw[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    raise Unaligned


def _link_end(raw: str, cursor: int) -> int:
    """End of `](destination "title")`, `][ref]`, `][]` or `]` starting at `cursor`."""
    if not raw.startswith("]", cursor):
        raise Unaligned
    following = raw[cursor + 1 : cursor + 2]
    if following == "[":
        end = raw.find("]", cursor + 2)
        return end + 1 if end >= 0 else cursor + 1
    if following != "(":
        return cursor + 1
    depth, position, quote = 0, cursor + 1, ""
    while position < len(raw):
        char = raw[position]
        if char == "\\":
            position += 2
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and depth == 1 and raw[position - 1].isspace():
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    raise Unaligned
