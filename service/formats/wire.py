"""Wire formats: news items and feeds, each a document holding several pieces of prose.

A ninjs item (`ninjs`), a NewsML-G2 item or message (`newsml`), an RSS 2.0 feed (`rss`) or an
Atom feed or entry (`atom`) is read once into its `Piece`s: a headline, a description, a body,
a feed entry's summary... each a text or HTML string that is translated as an article, with
the range of the document it was read from. The document is written back with each piece's
English in that range, escaped as its container needs (a JSON string, XML character data, a
CDATA section, inline XHTML as it is), and everything else as it was written: the language is
switched to English where the format states it, and a summary is added where the format has
a place for one (`with_summary`).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from ..errors import InputError
from ..results import Segment
from . import Format, HtmlOptions, Wire
from .offsets import Offsets

# File name suffixes that hold news items or feeds: a file of them that is none is skipped.
SUFFIXES = (".json", ".xml", ".rss", ".atom")
NOT_AN_ITEM = "not a ninjs item, NewsML-G2 document, RSS or Atom feed"
MEDIA_TYPES: dict[Wire, str] = {
    "ninjs": "application/json",
    "newsml": "application/vnd.iptc.g2.newsitem+xml",
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
}
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
_OPENING = re.compile(r"[\ufeff \t\r\n]*([{<])")
_ENCODING = re.compile(rb"""<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.-]*)["']""")
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


class WireDocument(ABC):
    """A wire document read into its pieces, and the edits its English version needs
    besides them (its language)."""

    name: ClassVar[Wire]
    # Whether the format has a place for a summary.
    summarized: ClassVar[bool] = False

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
        self, english: Sequence[str], sentences: Sequence[Sequence[Segment]] | None = None
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


def document_class(format: Wire) -> type[WireDocument]:
    """The reader of `format`."""
    if format == "ninjs":
        from .ninjs import NinjsItem

        return NinjsItem
    if format == "newsml":
        from .newsml import NewsmlDocument

        return NewsmlDocument
    from .feeds import AtomFeed, RssFeed

    return RssFeed if format == "rss" else AtomFeed


def read(text: str, format: Wire) -> WireDocument:
    """`text` read as `format`; `ItemError` when it is not one."""
    return document_class(format)(text)


def with_summary(text: str, format: Wire, summary: str | None) -> str:
    """An English document with `summary` added where its format has a place for one."""
    if not summary or not document_class(format).summarized:
        return text
    edit = read(text, format).summary_edit(summary)
    return splice(text, [edit]) if edit is not None else text


def detect(text: str) -> Wire | None:
    """The wire format of `text` by its content: a JSON object that is a ninjs item, XML whose
    root is in the NewsML-G2 namespace, an `<rss>`, an Atom `<feed>` or `<entry>`."""
    opening = _OPENING.match(text)
    head = opening.group(1) if opening else ""
    if head == "{":
        from .ninjs import is_ninjs

        return "ninjs" if is_ninjs(text) else None
    if head == "<":
        from .feeds import ATOM
        from .newsml import NAR
        from .xmltext import sniff

        root, doctype = sniff(text)
        if root is None and doctype is not None:
            # Entity declarations stopped the reading before the root: the doctype names it,
            # so that reading the document says what is refused.
            local = doctype.rpartition(":")[2]
            atom = local in ("feed", "entry")
            root = local if local == "rss" else f"{{{ATOM if atom else NAR}}}{local}"
        root = root or ""
        if root.startswith(f"{{{NAR}}}") and (root.endswith("Item") or root.endswith("Message")):
            return "newsml"
        if root == "rss":
            return "rss"
        if root in (f"{{{ATOM}}}feed", f"{{{ATOM}}}entry"):
            return "atom"
    return None


def decode(data: bytes, name: str | None = None) -> str:
    """The text of a file's bytes: UTF-8 (a byte-order mark removed), or XML in the encoding
    its declaration names. `name` starts the error's message."""
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
