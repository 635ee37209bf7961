"""Blocks: cut a document into structural units and find the prose inside them.

Markdown is parsed by markdown-it-py. Its block tokens carry source line ranges; inside
those lines, the prose is located where the parser's inline content sits, so everything
else on the line (`#`, `>`, `-`, `1.`, indentation) stays untouched in the source and is
copied through as is. Code, HTML blocks and tables carry no prose.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from .document import Block, Span

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

Format = Literal["text", "markdown", "html"]

# markdown-it's own definition of a line break (it normalizes \r\n and \r to \n).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
# Scrapers leave this where an image was; it is a placeholder, not prose of the article.
IMAGE_PLACEHOLDERS = frozenset({"Image not found or type unknown"})
_CONTAINERS = {
    "blockquote_open": "quote",
    "list_item_open": "list_item",
}


def parse(text: str, format: Format = "text") -> list[Block]:
    """Blocks of `text`, in order. A leading byte-order mark is kept but never parsed."""
    skip = 1 if text.startswith("\ufeff") else 0
    body = text[skip:]
    found = parse_markdown(body) if format == "markdown" else parse_text(body)
    if not skip:
        return found
    return [
        Block(b.kind, b.start + skip, b.end + skip, tuple((s + skip, e + skip) for s, e in b.prose))
        for b in found
    ]


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, content without its line break) of every line, as markdown-it counts them."""
    return [(m.start(), m.group().rstrip("\r\n")) for m in _LINE.finditer(text)]


def parse_text(text: str) -> list[Block]:
    """Plain text: every line holding something is a paragraph; its content is prose.

    Lines, not blank-line-separated paragraphs, are the unit, so that the line layout of the
    source (hard-wrapped or not) comes out unchanged.
    """
    blocks: list[Block] = []
    for offset, content in _lines(text):
        stripped = content.strip()
        if stripped:
            start = offset + len(content) - len(content.lstrip())
            span = (start, start + len(stripped))
            blocks.append(Block("paragraph", offset, offset + len(content), (span,)))
    return blocks


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def parse_markdown(text: str) -> list[Block]:
    """Markdown: headings, paragraphs, list items, quotes, rules, code, HTML, tables."""
    lines = _lines(text)
    blocks: list[Block] = []
    containers: list[str] = []
    tokens = _parser().parse(text)
    for index, token in enumerate(tokens):
        if token.type in _CONTAINERS:
            containers.append(_CONTAINERS[token.type])
        elif token.type in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif token.type in ("hr", "fence", "code_block", "html_block", "table_open"):
            kind = {"hr": "rule", "table_open": "table", "html_block": "html"}.get(
                token.type, "code"
            )
            blocks.append(_block(kind, token.map, lines, text, ()))
        elif token.type == "inline" and index > 0:
            opener = tokens[index - 1]
            if opener.type not in ("paragraph_open", "heading_open"):
                continue  # table cells: the table is copied whole
            content = token.content
            kind = _kind(opener.tag, content, containers)
            prose = () if kind == "image" else _prose(content, opener.map, lines, text)
            blocks.append(_block(kind, opener.map, lines, text, prose))
    return blocks


def _kind(tag: str, content: str, containers: list[str]) -> str:
    if tag.startswith("h") and tag[1:].isdigit():
        return f"heading{tag[1:]}"
    if content.strip() in IMAGE_PLACEHOLDERS or re.fullmatch(r"!\[[^\]]*\]\([^)]*\)", content):
        return "image"
    if containers:
        return containers[-1]
    if re.fullmatch(r"(\*\*|__)[^*_].*(\*\*|__)", content.strip()):
        return "caption"
    return "paragraph"


def _block(
    kind: str,
    line_map: list[int] | None,
    lines: list[tuple[int, str]],
    text: str,
    prose: tuple[Span, ...],
) -> Block:
    first, last = line_map if line_map else (0, len(lines))
    start = lines[first][0] if first < len(lines) else len(text)
    end = lines[last - 1][0] + len(lines[last - 1][1]) if 0 < last <= len(lines) else len(text)
    return Block(kind, start, end, prose)


def _prose(
    content: str, line_map: list[int] | None, lines: list[tuple[int, str]], text: str
) -> tuple[Span, ...]:
    """Locate the inline content's lines in the source lines of the block.

    Consecutive lines whose gap is only whitespace form one span, so a sentence wrapped over
    lines is translated whole; a container marker between lines (`> `) separates spans.
    """
    if not line_map:
        return ()
    spans: list[Span] = []
    line_number = line_map[0]
    for piece in content.split("\n"):
        piece = piece.strip()
        found = -1
        while line_number < line_map[1]:
            offset, line = lines[line_number]
            line_number += 1
            found = line.find(piece) if piece else -1
            if found >= 0:
                start = offset + found
                spans.append((start, start + len(piece)))
                break
    merged: list[Span] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)
