"""Plain text: every line holding something is a paragraph, and its layout is kept.

Lines, not blank-line-separated paragraphs, are the unit, so that the line layout of the
source (hard-wrapped or not) comes out unchanged. A list marker at a line's start (`-`, `•`,
`1)`, `2.`, `a)`) stays out of the model. URLs and e-mail addresses are atoms.
"""

from __future__ import annotations

import re

from ..inline import Builder, Inline, Range, Run
from .base import Block, Reader

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_BULLET = re.compile(r"(?:[-*+•◦‣▪▸►–—·]|\(?\d{1,3}[.)]|\(?[a-z]\))[ \t\u00a0]+(?=\S)")
# Linear on any input: an address's local part starts where a run of its characters starts
# and is at most 64 long (RFC 5321), so no character is tried as the start of another.
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+"
)
_URL_TAIL = ".,;:!?»'\"’”"


class TextReader(Reader):
    """Plain text. A `.txt` file may hold markdown or HTML as well: its content says which."""

    name = "text"
    suffixes = (".txt",)
    media_type = "text/plain"
    named_by_suffix = False

    def parse(self) -> list[Block]:
        skip = 1 if self.text.startswith("\ufeff") else 0
        blocks: list[Block] = []
        for match in _LINE.finditer(self.text, skip):
            offset, content = match.start(), match.group().rstrip("\r\n")
            stripped = content.strip()
            if not stripped:
                continue
            start = offset + len(content) - len(content.lstrip())
            bullet = _BULLET.match(self.text, start, offset + len(content))
            kind = "list_item" if bullet else "paragraph"
            prose_start = bullet.end() if bullet else start
            span = (prose_start, start + len(stripped))
            blocks.append(Block(kind, offset, offset + len(content), (span,)))
        return blocks

    def run(self, start: int, end: int) -> Run:
        return self.inline_run(self.text[start:end], start)

    @staticmethod
    def inline_run(raw: str, offset: int) -> Run:
        """`raw` (at `offset` in its document) as plain text with URL and e-mail atoms."""
        builder = Builder(raw, offset)
        position = 0
        for start, end in address_spans(raw):
            for index in range(position, start):
                builder.text(raw[index], offset + index, offset + index + 1)
            builder.atom(raw[start:end], offset + start, offset + end)
            position = end
        for index in range(position, len(raw)):
            builder.text(raw[index], offset + index, offset + index + 1)
        return builder.build()

    def inline(self, written: str) -> Inline:
        return self.inline_run(written, 0).whole()

    @staticmethod
    def escape(text: str) -> str:
        return text


def address_spans(text: str, start: int = 0, end: int | None = None) -> list[Range]:
    """Where the URLs and e-mail addresses of `text[start:end]` stand, the punctuation of the
    sentence after them left out."""
    found = []
    for match in _URL.finditer(text, start, len(text) if end is None else end):
        found.append((match.start(), match.start() + _url_end(match.group())))
    return found


def _url_end(url: str) -> int:
    """Where a URL found in running text ends: trailing punctuation is the sentence's, and a
    closing parenthesis only when the URL opened one (`…/Élysée_(palais)`)."""
    end = len(url)
    opened, closed = url.count("("), url.count(")")
    while end:
        char = url[end - 1]
        if char in _URL_TAIL:
            end -= 1
        elif char == ")" and opened < closed:
            end -= 1
            closed -= 1
        else:
            break
    return end
