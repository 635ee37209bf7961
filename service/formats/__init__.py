"""Formats: how a document of each kind is cut into blocks and its prose into inline content.

A small registry, as CTranslate2 keeps its converters: each format is a `Reader` subclass in
its own module, registered by name. `read` parses a whole document once (a markdown
document's link and footnote definitions, an HTML page's elements), and hands out the `Run`
of each prose span with that context. `detect` tells the format of a text from its content
when no file extension or request field says it.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from typing_extensions import TypeIs

from ..errors import ConfigurationError
from ..inline import Inline, Run
from ..results import Block

# How prose is written: what a `Reader` reads.
Format = Literal["text", "markdown", "html"]
FORMATS: tuple[Format, ...] = get_args(Format)
# News items and feeds: documents holding several pieces of prose (`formats.wire`).
Wire = Literal["ninjs", "newsml", "rss", "atom"]
WIRES: tuple[Wire, ...] = get_args(Wire)
# Every format a whole document may have.
DocumentFormat = Literal[Format, Wire]


def is_wire(format: str) -> TypeIs[Wire]:
    """Whether `format` is a news item's or a feed's."""
    return format in WIRES


def takes_summary(format: str) -> bool:
    """Whether a document of `format` has a place for a summary (a feed has none)."""
    if not is_wire(format):
        return True
    from .wire import document_class

    return document_class(format).summarized


# An HTML page or body: a doctype, an <html> element, or several block elements.
_HTML_DOCUMENT = re.compile(r"^\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)
# (A tag's attributes stop at the next `<`: no `<` is tried against the rest of the text.)
_HTML_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|li|table|tr|td|blockquote|article|section|figure|br|body)\b[^<>]*>",
    re.IGNORECASE,
)
# What a news item or feed starts with: a JSON object, or XML.
_MARKUP_OR_JSON = re.compile(r"[\ufeff \t\r\n]*[{<]")
# Markdown's tell-tale lines and inline forms. No two quantifiers can share characters, and a
# link's text stops at the next `[`: each is tried in time linear in the sample.
_MARKDOWN = re.compile(
    r"^(?:#{1,6}[ \t]+\S|(?:\*[ \t]*){3,}$|(?:-[ \t]*){3,}$|(?:_[ \t]*){3,}$|\*\*\S.*\*\*$|"
    r"_\S.*_$|\*\S.*\*$|>[ \t]|```|!\[)"
    r"|\[[^\[\]\n]+\]\([^)\s][^)]*\)|<https?://[^>\s]+>|\[[^\[\]\n]+\]\[[^\]\n]*\]",
    re.MULTILINE,
)


class Reader(ABC):
    """One document read in a format: its blocks, and the run of each prose span."""

    name: ClassVar[str]

    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[Block] = self.parse()

    @abstractmethod
    def parse(self) -> list[Block]:
        """The document's blocks, in order, with the spans of prose inside them."""

    @abstractmethod
    def run(self, start: int, end: int) -> Run:
        """The inline content of the prose `text[start:end]`."""

    @abstractmethod
    def inline(self, written: str) -> Inline:
        """`written` (a translated sentence) read as inline content with this document's
        context: how a reader of the output will see it."""

    @staticmethod
    @abstractmethod
    def escape(text: str) -> str:
        """`text` written so that the format reads it back as the same text."""

    def escaper(self, block: Block) -> Callable[[str], str]:
        """How translated text is written inside `block`."""
        return self.escape

    def guard(self, written: str, start: int) -> str:
        """`written`, the translation of the sentence at `start` of the source, made safe
        where it stands (markdown escapes what would read as a block marker at a line's
        start)."""
        return written

    def markup_text(self, markup: str) -> list[str]:
        """Text inside a piece of markup that readers see (HTML's `alt` and `title`)."""
        return []

    def with_markup_text(self, markup: str, english: Mapping[str, str]) -> str:
        """`markup` with the text `markup_text` found in it replaced by its translation."""
        return markup


def reader_class(format: str) -> type[Reader]:
    """The reader registered for `format`."""
    if format == "markdown":
        from .markdown import MarkdownReader

        return MarkdownReader
    if format == "html":
        from .html import HtmlReader

        return HtmlReader
    if format == "text":
        from .text import TextReader

        return TextReader
    raise ConfigurationError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")


@dataclass(frozen=True)
class HtmlOptions:
    """How HTML is read, as DeepL's `tag_handling` options say: `xml` (only `splitting`
    elements are block boundaries), elements kept whole (`ignore`), more block boundaries
    (`splitting`), block elements read as inline (`non_splitting`)."""

    xml: bool = False
    ignore: tuple[str, ...] = ()
    splitting: tuple[str, ...] = ()
    non_splitting: tuple[str, ...] = ()
    # `alt` and `title` values are text readers see: translated unless turned off.
    attributes: bool = True


def read(text: str, format: str, options: HtmlOptions | None = None) -> Reader:
    """`text` read as `format`. A leading byte-order mark is kept but never parsed."""
    if format == "html" and options is not None:
        from .html import HtmlReader

        return HtmlReader(
            text,
            xml=options.xml,
            ignore=options.ignore,
            splitting=options.splitting,
            non_splitting=options.non_splitting,
            attributes=options.attributes,
        )
    return reader_class(format)(text)


def plain_text(text: str, format: str) -> str:
    """What a reader of `text` sees of it: the plain text of its prose, markup removed."""
    reader = read(text, format)
    parts = [reader.run(s, e).plain for block in reader.blocks for s, e in block.prose]
    return " ".join(p for p in parts if p)


def characters(text: str, format: str, options: HtmlOptions | None = None) -> int:
    """How many characters of text a reader of `text` sees in its prose (what translating it
    bills): markup, and the whitespace it collapses, not counted; a news item's or a feed's,
    those of its pieces."""
    if is_wire(format):
        from .wire import read as read_wire

        pieces = read_wire(text, format).pieces
        return sum(characters(p.text, p.format, p.options) for p in pieces)
    reader = read(text, format, options)
    return sum(len(reader.run(s, e).plain) for block in reader.blocks for s, e in block.prose)


def detect(text: str, name: str | None = None) -> DocumentFormat:
    """The format of `text`: by the extension of `name` for `.md` and `.html`, else by
    content (a ninjs item, NewsML-G2, an RSS or Atom feed as `wire.detect` finds them; a
    tag-soup body is HTML; markdown's headings, rules, bold lines, links and autolinks make
    markdown; anything else is plain text)."""
    suffix = name.rsplit(".", 1)[-1].lower() if name and "." in name else ""
    if suffix in ("md", "markdown"):
        return "markdown"
    if suffix in ("html", "htm", "xhtml"):
        return "html"
    if _MARKUP_OR_JSON.match(text):
        from .wire import detect as detect_wire

        if found := detect_wire(text):
            return found
    return detect_prose(text)


def detect_prose(text: str) -> Format:
    """How prose is written, by its content: HTML, markdown or plain text."""
    sample = text[:20_000]
    if _HTML_DOCUMENT.search(sample) or len(_HTML_BLOCK.findall(sample)) >= 2:
        return "html"
    if _MARKDOWN.search(sample):
        return "markdown"
    return "text"
