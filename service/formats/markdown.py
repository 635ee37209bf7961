"""Markdown: blocks from markdown-it-py's block tokens, inline content from its inline tokens.

The document is parsed once, with GFM tables, strikethrough, linkify, footnotes and front
matter; its reference and footnote definitions are the context every prose span is parsed
with, so `[ministère][mi]` is a link wherever its definition stands. markdown-it gives block
tokens source lines but inline tokens no positions: `markdown_inline.Walker` matches each token
back to the source, decoding escapes and entities as the parser did, so the model reads the text
a reader sees and the markup keeps its bytes.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..inline import MAX_NESTING, Builder, Inline, Range, Run
from .base import Block, Reader
from .markdown_inline import Unaligned, Walker
from .text import TextReader

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# markdown-it's own definition of a line break (it normalizes \r\n and \r to \n).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
# Scrapers leave this where an image was; it is a placeholder, not prose of the article.
IMAGE_PLACEHOLDERS = frozenset({"Image not found or type unknown"})
_CONTAINERS = {
    "blockquote_open": "quote",
    "list_item_open": "list_item",
    "footnote_open": "footnote",
}
_CLOSERS = {"blockquote_close", "list_item_close", "footnote_close"}
_COPIED = {"hr": "rule", "fence": "code", "code_block": "code", "html_block": "html"}
_OUTPUT_ESCAPES = re.compile(r"([\\`*_\[\]<|])|&(?=#?\w+;)|[\r\n]")
# What opens a block at the start of a line, and where its backslash goes: a bullet (`-`,
# `+`), an ordered item's `1.` or `1)` (before its `.`), a heading's `#`, a quote's `>`, a
# setext underline of `=`, a fence of tildes. `*`, `_`, `` ` ``, `|` and `<` are escaped
# wherever they stand.
_BLOCK_START = re.compile(
    r"[-+](?=[ \t]|$)|\d{1,9}(?P<after>)[.)](?=[ \t]|$)|#{1,6}(?=[ \t]|$)|>|=+[ \t]*$|~~~",
    re.MULTILINE,
)
# Dashes that a backslash after the first one breaks up: a thematic break or a setext
# underline (`---`, `-- -`), and what mdit's front matter rule, on a document that starts
# with `-`, reads as opening front matter: a line's first character and two dashes.
_DASHES = re.compile(r"-(?=-)|[^\s\\](?=--)")
_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?=[ \t])")

# How much of a text detection reads.
SAMPLE = 20_000
# Markdown's tell-tale lines and inline forms. No two quantifiers can share characters, and a
# link's text stops at the next `[`: each is tried in time linear in the sample.
_MARKDOWN = re.compile(
    r"^(?:#{1,6}[ \t]+\S|(?:\*[ \t]*){3,}$|(?:-[ \t]*){3,}$|(?:_[ \t]*){3,}$|\*\*\S.*\*\*$|"
    r"_\S.*_$|\*\S.*\*$|>[ \t]|```|!\[)"
    r"|\[[^\[\]\n]+\]\([^)\s][^)]*\)|<https?://[^>\s]+>|\[[^\[\]\n]+\]\[[^\]\n]*\]",
    re.MULTILINE,
)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """markdown-it-py with the extensions articles use."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"linkify": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough", "linkify"])
    return md.use(footnote_plugin).use(front_matter_plugin)


class MarkdownReader(Reader):
    """Markdown (CommonMark with GFM tables, footnotes and front matter)."""

    name = "markdown"
    suffixes = (".md", ".markdown")
    media_type = "text/markdown"

    @classmethod
    def recognizes(cls, text: str) -> bool:
        """Markdown's tell-tale lines and inline forms: headings, rules, bold lines, quotes,
        fences, images, links and autolinks."""
        return bool(_MARKDOWN.search(text[:SAMPLE]))

    def parse(self) -> list[Block]:
        self.env: dict[str, Any] = {}
        skip = 1 if self.text.startswith("\ufeff") else 0
        body = self.text[skip:]
        lines = [(offset + skip, line) for offset, line in _lines(body)]
        tokens = parser().parse(body, self.env)
        blocks: list[Block] = []
        containers: list[str] = []
        cells = 0  # cells already found on the current table row
        for index, token in enumerate(tokens):
            if token.type in _CONTAINERS:
                containers.append(_CONTAINERS[token.type])
            elif token.type in _CLOSERS:
                containers.pop()
            elif token.type in _COPIED:
                blocks.append(_block(_COPIED[token.type], token.map, lines, self.text, ()))
            elif token.type == "front_matter":
                blocks.append(_block("front_matter", token.map, lines, self.text, ()))
            elif token.type == "tr_open":
                cells = 0
            elif token.type == "inline" and index > 0:
                opener = tokens[index - 1]
                if opener.type in ("th_open", "td_open"):
                    cells += 1
                    if cell := self._cell(token, opener.type, cells, lines):
                        blocks.append(cell)
                    continue
                if opener.type not in ("paragraph_open", "heading_open"):
                    continue
                kind = _kind(opener.tag, token.content, containers)
                prose = (
                    () if kind == "image" else _prose(token.content, opener.map, lines, self.text)
                )
                blocks.append(_block(kind, opener.map, lines, self.text, prose))
        for reference in self.env.get("references", {}).values():
            if reference.get("map"):  # a link reference definition: copied as written
                blocks.append(_block("definition", reference["map"], lines, self.text, ()))
        return _with_unparsed(blocks, lines, self.text)

    def _cell(
        self, token: Token, opener: str, number: int, lines: list[tuple[int, str]]
    ) -> Block | None:
        """A table cell: the `number`-th cell of its row's line, between unescaped pipes."""
        if not token.map or not token.content.strip():
            return None
        offset, line = lines[token.map[0]]
        cells = _cells(line)
        if number > len(cells):
            return None
        start, end = cells[number - 1]
        kind = "table_header" if opener == "th_open" else "table_cell"
        return Block(kind, offset + start, offset + end, ((offset + start, offset + end),))

    def run(self, start: int, end: int) -> Run:
        raw = self.text[start:end]
        builder = Builder(self.text)
        try:
            tokens = parser().parseInline(raw, self.env)[0].children or []
            Walker(raw, start, builder).walk(tokens)
        except (Unaligned, ValueError):  # read as plain text: nothing is lost, only unparsed
            return TextReader.inline_run(raw, start)
        return builder.build()

    def inline(self, written: str) -> Inline:
        builder = Builder(written)
        try:
            tokens = parser().parseInline(written, self.env)[0].children or []
            Walker(written, 0, builder).walk(tokens)
        except (Unaligned, ValueError):
            return TextReader.inline_run(written, 0).whole()
        return builder.build().whole()

    @staticmethod
    def escape(text: str) -> str:
        # A line break in the model's English would start a line markdown reads anew.
        return _OUTPUT_ESCAPES.sub(
            lambda m: "\\" + m.group(1) if m.group(1) else "&amp;" if m.group() == "&" else " ",
            text,
        )

    def guard(self, written: str, start: int) -> str:
        return escape_line_starts(written, opens_line(self.text, start))


def opens_line(text: str, start: int) -> bool:
    """Whether what stands at `start` of `text` begins a line's content: only indentation
    and container markers (`>`, `-`, `1.`) before it on its line."""
    begin = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    position = begin
    while position < start:
        if text[position] in " \t>":
            position += 1
        elif marker := _LIST_MARKER.match(text, position, start + 1):
            position = marker.end()
        else:
            return False
    return True


def escape_line_starts(written: str, first: bool) -> str:
    """`written` with a backslash before whatever would open a block at the start of one of
    its lines: the first if `first` (its indentation dropped, which would make it code), and
    those after a line break (a hard break's)."""
    if first:
        written = written.lstrip(" \t")
    starts = ([0] if first else []) + [i + 1 for i, c in enumerate(written) if c == "\n"]
    parts, done = [], 0
    for start in starts:
        position = start
        while position < len(written) and written[position] in " \t":
            position += 1
        line_end = written.find("\n", position)
        end = len(written) if line_end < 0 else line_end
        if match := _BLOCK_START.match(written, position, end):
            cut = match.start("after") if match.group("after") is not None else position
        elif _DASHES.match(written, position, end):
            cut = position + 1
        else:
            continue
        parts.append(written[done:cut] + "\\")
        done = cut
    return "".join(parts) + written[done:]


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, content without its line break) of every line, as markdown-it counts them."""
    return [(m.start(), m.group().rstrip("\r\n")) for m in _LINE.finditer(text)]


def _normal(line: str) -> str:
    """The line as markdown-it reads it (it replaces NUL with U+FFFD), same length."""
    return line.replace("\0", "\ufffd")


def _cells(line: str) -> list[tuple[int, int]]:
    """The content of each cell of a table row, stripped: ranges between unescaped pipes
    (a leading and a trailing pipe open and close the row)."""
    pipes = [i for i, char in enumerate(line) if char == "|" and (i == 0 or line[i - 1] != "\\")]
    bounds = [-1, *pipes, len(line)]
    cells = []
    for left, right in itertools.pairwise(bounds):
        start, end = left + 1, right
        while start < end and line[start].isspace():
            start += 1
        while end > start and line[end - 1].isspace():
            end -= 1
        cells.append((start, end))
    if line.lstrip().startswith("|"):
        cells = cells[1:]
    if line.rstrip().endswith("|") and not line.rstrip().endswith("\\|"):
        cells = cells[:-1]
    return cells


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
    prose: tuple[Range, ...],
) -> Block:
    first, last = line_map if line_map else (0, len(lines))
    start = lines[first][0] if first < len(lines) else len(text)
    end = lines[last - 1][0] + len(lines[last - 1][1]) if 0 < last <= len(lines) else len(text)
    return Block(kind, start, end, prose)


def _prose(
    content: str, line_map: list[int] | None, lines: list[tuple[int, str]], text: str
) -> tuple[Range, ...]:
    """Locate the inline content's lines in the source lines of the block.

    Consecutive lines whose gap is only whitespace form one span, so a sentence wrapped over
    lines is translated whole; a container marker between lines (`> `) separates spans.
    """
    if not line_map:
        return ()
    spans: list[Range] = []
    line_number = line_map[0]
    for piece in content.split("\n"):
        piece = piece.strip()
        while piece and line_number < line_map[1]:
            offset, line = lines[line_number]
            line_number += 1
            found = _normal(line).find(piece)
            if found >= 0:
                spans.append((offset + found, offset + found + len(piece)))
                break
    merged: list[Range] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def _with_unparsed(blocks: list[Block], lines: list[tuple[int, str]], text: str) -> list[Block]:
    """Blocks, plus an `unparsed` block for each run of lines with letters that no block
    covers (markup nested deeper than the parser goes): never silently dropped."""
    covered = sorted((b.start, b.end) for b in blocks if b.end > b.start)
    found: list[Block] = []
    pending: tuple[int, int] | None = None
    reach, taken = -1, 0  # the furthest end of the blocks starting before this line ends
    for offset, line in lines:
        while taken < len(covered) and covered[taken][0] <= offset + len(line):
            reach = max(reach, covered[taken][1])
            taken += 1
        inside = reach >= offset
        if not inside and any(char.isalpha() for char in line):
            pending = (pending[0], offset + len(line)) if pending else (offset, offset + len(line))
        elif pending:
            found.append(Block("unparsed", *pending))
            pending = None
    if pending:
        found.append(Block("unparsed", *pending))
    return sorted(blocks + found, key=lambda b: (b.start, b.end))
