"""Formats: how a document of each kind is read, recognized, named and written back.

A registry, as CTranslate2 keeps its converters and depeche its engines: each format is a
class in its own module (`formats.base.DocumentType`) that declares its name, its file
suffixes, its media type, whether it has a place for a summary, and how it is recognized by
content; `FORMAT_CLASSES` maps each name to its class, imported when first used. What is
derived from the declarations is written nowhere else: the suffix table (`format_of_file`),
the media types (`media_type`), detection by content (`detect`).

A prose reader (`read`) parses a whole document once (a markdown document's link and
footnote definitions, an HTML page's elements) and hands out the `Run` of each prose span
with that context; a news item or feed (`read_wire`) is read into its pieces.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING, cast

from ..errors import ConfigurationError, InputError
from .base import (
    FORMATS,
    WIRES,
    Block,
    DocumentFormat,
    DocumentType,
    Format,
    HtmlOptions,
    Reader,
    Wire,
    is_wire,
)

if TYPE_CHECKING:
    from .wire import WireDocument

__all__ = [
    "FORMATS",
    "FORMAT_CLASSES",
    "NOT_AN_ITEM",
    "WIRES",
    "Block",
    "DocumentFormat",
    "DocumentType",
    "Format",
    "HtmlOptions",
    "Reader",
    "Wire",
    "characters",
    "decode",
    "detect",
    "detect_prose",
    "document_type",
    "file_patterns",
    "format_of_file",
    "is_wire",
    "media_type",
    "plain_text",
    "read",
    "read_wire",
    "suffixes",
    "takes_summary",
    "with_summary",
]

# Name -> "module:Class". Detection by content asks them in this order: news items and feeds
# first (they are JSON or XML), then HTML, then markdown; what none recognizes is plain text.
FORMAT_CLASSES: dict[str, str] = {
    "ninjs": ".ninjs:NinjsItem",
    "newsml": ".newsml:NewsmlDocument",
    "rss": ".feeds:RssFeed",
    "atom": ".feeds:AtomFeed",
    "html": ".html:HtmlReader",
    "markdown": ".markdown:MarkdownReader",
    "text": ".text:TextReader",
    "docx": ".docx:DocxDocument",
}
NOT_AN_ITEM = "not a ninjs item, NewsML-G2 document, RSS or Atom feed"
_ENCODING = re.compile(rb"""<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.-]*)["']""")


@cache
def document_type(name: str) -> type[DocumentType]:
    """The class registered for the format `name`."""
    if name not in FORMAT_CLASSES:
        known = ", ".join(FORMAT_CLASSES)
        raise ConfigurationError(f"unknown format {name!r}; known: {known}")
    module_name, _, class_name = FORMAT_CLASSES[name].partition(":")
    found: type[DocumentType] = getattr(importlib.import_module(module_name, __name__), class_name)
    return found


def reader_class(format: str) -> type[Reader]:
    """The reader registered for the prose format `format`."""
    if format not in FORMATS:
        raise ConfigurationError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    return cast(type[Reader], document_type(format))


def read(text: str, format: str, options: HtmlOptions | None = None) -> Reader:
    """`text` read as the prose format `format`. A leading byte-order mark is kept but never
    parsed."""
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


def read_wire(text: str, format: Wire) -> WireDocument:
    """`text` read as the news item or feed format `format`; `ItemError` when it is not
    one."""
    from .wire import WireDocument

    return cast(type[WireDocument], document_type(format))(text)


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
        pieces = read_wire(text, format).pieces
        return sum(characters(p.text, p.format, p.options) for p in pieces)
    reader = read(text, format, options)
    return sum(len(reader.run(s, e).plain) for block in reader.blocks for s, e in block.prose)


def takes_summary(format: str) -> bool:
    """Whether a document of `format` has a place for a summary (a feed has none)."""
    return document_type(format).summarized


def with_summary(text: str, format: str, summary: str | None) -> str:
    """An English document of `format` with `summary` added where the format puts one (after
    an article, in a news item's field; a feed has no place for one)."""
    if not summary or not takes_summary(format):
        return text
    return document_type(format).with_summary(text, summary)


def media_type(format: str) -> str:
    """The media type of a document of `format` (text in UTF-8)."""
    found = document_type(format)
    return found.media_type if found.binary else f"{found.media_type}; charset=utf-8"


@cache
def suffixes() -> dict[str, str]:
    """File suffix -> the format it names: the one table of them, from the declarations."""
    return {suffix: name for name in FORMAT_CLASSES for suffix in document_type(name).suffixes}


def format_of_file(name: str) -> str | None:
    """The format a file name's suffix names, or None when depeche reads no such file."""
    return suffixes().get(PurePath(name).suffix.lower())


def file_patterns() -> list[str]:
    """Glob patterns of the text files depeche reads (a folder's default)."""
    return [f"*{s}" for s, name in suffixes().items() if not document_type(name).binary]


def detect(text: str, name: str | None = None) -> DocumentFormat:
    """The format of `text`: the one its file `name` says where the suffix decides (`.md`,
    `.html`), else by content, each format asked in turn (a ninjs item, NewsML-G2, an RSS or
    Atom feed; a tag-soup body is HTML; markdown's headings, rules, bold lines, links and
    autolinks make markdown); anything else is plain text."""
    named = format_of_file(name) if name else None
    if named is not None and document_type(named).named_by_suffix and named in FORMATS:
        return cast(Format, named)
    for name in FORMAT_CLASSES:
        if is_wire(name) and document_type(name).recognizes(text):
            return name
    return detect_prose(text)


def detect_prose(text: str) -> Format:
    """How prose is written, by its content: HTML, markdown or plain text."""
    for name in FORMAT_CLASSES:
        if name in FORMATS and document_type(name).recognizes(text):
            return cast(Format, name)
    return "text"


def decode(data: bytes, name: str | None = None) -> str:
    """The text of a file's bytes: UTF-8, a leading byte-order mark removed, or XML in the
    encoding its declaration names. `InputError` otherwise, its message led by `name`."""
    where = f"{name}: " if name else ""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = _ENCODING.match(data)
        if declared is None:
            raise InputError(f"{where}not UTF-8 text (byte {exc.start})") from None
        encoding = declared.group(1).decode("ascii")
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise InputError(f"{where}not {encoding} text, as its XML declaration says") from None
