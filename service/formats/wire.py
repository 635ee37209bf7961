"""Wire formats: news items and feeds, each a document holding several pieces of prose.

A ninjs item (`ninjs`), a NewsML-G2 item or message (`newsml`), an RSS 2.0 feed (`rss`) or an
Atom feed or entry (`atom`) is read once into its `Piece`s: a headline, a description, a body,
a feed entry's summary... each a text or HTML string that is translated as an article, with
the range of the document it was read from. The document is written back with each piece's
English in that range, escaped as its container needs (a JSON string, XML character data, a
CDATA section, inline XHTML as it is), and everything else as it was written: the language is
switched to English where the format states it, and a summary is added where the format has
a place for one (`formats.with_summary`).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, Protocol

from .base import DocumentType, Format, HtmlOptions, Wire
from .offsets import Offsets

# What a piece is in its item: headlines and subheadlines become heading blocks; a body's
# blocks are its own (paragraphs, list items...).
Role = Literal["headline", "subheadline", "description", "body"]
ROLE_KINDS = {"headline": "heading1", "subheadline": "heading2", "description": "description"}
# NITF bodies (in NewsML-G2's inlineXML, or a ninjs body of that content type) are read as
# HTML with NITF's blocks as boundaries, and what is metadata in them kept whole.
NITF = HtmlOptions(
    ignore=tuple(
        "docdata pubdata revision-history byline dateline distributor series media-producer "
        "media-metadata identified-content".split()
    ),
    splitting=tuple("hl1 hl2 hedline abstract bq block media-caption note fn".split()),
)
# What a news item or feed starts with: a JSON object, or XML.
OPENING = re.compile(r"[\ufeff \t\r\n]*([{<])")
_ENGLISH = re.compile(r"en(?:[-_].*)?", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Piece:
    """A piece of prose in a document: `text` (read as `format`), and where it goes back.

    `document[start:end]` is replaced by `write(english)`; `offsets` place each character of
    `text` in the document. A `raw` piece is the document's own markup (inline XHTML): it is
    written back even when nothing in it changed (its language attributes are switched).
    `main`: part of the main item's body, what a summary is made of. `entry`: the id of the
    feed item or entry it belongs to (None for the feed's own title and description). A piece
    `by_sentence` (one JSON string, one run of XML text or one CDATA section) takes each
    translated sentence in its place, written with `write`, so that what lies between
    sentences (markup escaped as `&lt;p&gt;`, an escaped slash) stays as it was written.
    """

    text: str
    format: Format
    role: Role
    start: int
    end: int
    offsets: Offsets
    write: Callable[[str], str]
    raw: bool = False
    main: bool = False
    options: HtmlOptions | None = None
    entry: str | None = None
    by_sentence: bool = False


@dataclass(frozen=True)
class Edit:
    """`document[start:end]` replaced by `text`."""

    start: int
    end: int
    text: str


class Translated(Protocol):
    """A sentence of a piece and its English (a `results.Segment`), placed in the piece."""

    @property
    def source(self) -> str: ...

    @property
    def translation(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class WireDocument(DocumentType, ABC):
    """A wire document read into its pieces, and the edits its English version needs
    besides them (its language). Its suffixes name no format of their own: a `.xml` file
    may hold any XML wire format, and which one is read from its content."""

    name: ClassVar[Wire]
    named_by_suffix = False
    summarized = False

    def __init__(self, text: str) -> None:
        self.text = text
        self.pieces: list[Piece] = []
        self.edits: list[Edit] = []
        self.read()
        self.pieces.sort(key=lambda piece: piece.start)

    @abstractmethod
    def read(self) -> None:
        """Find the pieces and the edits."""

    def select(self, keep: Callable[[Piece], bool]) -> None:
        """Translate only the pieces `keep` takes (a feed's new entries: `piece.entry`); the
        others are written back as they are."""
        self.pieces = [piece for piece in self.pieces if keep(piece)]

    def write(
        self, english: Sequence[str], sentences: Sequence[Sequence[Translated]] | None = None
    ) -> str:
        """The document with each piece's English (in `pieces` order) in its place; given the
        pieces' `sentences` too, those of a piece `by_sentence` go in one by one."""
        edits = list(self.edits)
        for index, (piece, text) in enumerate(zip(self.pieces, english, strict=True)):
            if piece.by_sentence and sentences is not None:
                edits.extend(
                    Edit(piece.offsets(s.start), piece.offsets(s.end), piece.write(s.translation))
                    for s in sentences[index]
                    if s.translation != s.source
                )
            elif piece.raw or text != piece.text:
                edits.append(Edit(piece.start, piece.end, piece.write(text)))
        return splice(self.text, edits)

    def summary_edit(self, summary: str) -> Edit | None:
        """Where and how the summary goes in this document (None: nowhere)."""
        return None

    @classmethod
    def with_summary(cls, text: str, summary: str) -> str:
        """The English item with `summary` in its format's field for one."""
        edit = cls(text).summary_edit(summary)
        return splice(text, [edit]) if edit is not None else text


def splice(text: str, edits: Sequence[Edit]) -> str:
    """`text` with non-overlapping edits made."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        parts.append(text[position : edit.start])
        parts.append(edit.text)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


def is_english(tag: str) -> bool:
    """Whether a language tag (`en`, `en-GB`) says English."""
    return bool(_ENGLISH.fullmatch(tag.strip()))
