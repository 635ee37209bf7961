"""Blocks: cut a document into structural units and find the prose inside them."""

from __future__ import annotations

from typing import Literal

from service.document import Block

Format = Literal["text", "markdown"]


def parse(text: str, format: Format = "text") -> list[Block]:
    """Blocks of `text`, in order."""
    return parse_text(text)


def parse_text(text: str) -> list[Block]:
    """Plain text: every line holding something is a paragraph; its content is prose.

    Lines, not blank-line-separated paragraphs, are the unit, so that the line layout of the
    source (hard-wrapped or not) comes out unchanged.
    """
    blocks: list[Block] = []
    position = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        stripped = content.strip()
        if stripped:
            start = position + (len(content) - len(content.lstrip()))
            end = start + len(stripped)
            blocks.append(Block("paragraph", position, position + len(content), ((start, end),)))
        position += len(line)
    return blocks
