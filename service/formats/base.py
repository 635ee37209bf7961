"""What every format shares: the names of formats, the blocks a document is cut into, and the
base classes a format's module subclasses.

Each format is a `DocumentType` that declares its name, the file suffixes that say it, its
media type, whether a document of it has a place for a summary, and how it is recognized by
its content. A prose format (text, markdown, HTML) is a `Reader`: it cuts a document into
blocks and hands out the inline content of each prose span. News items and feeds are
`formats.wire.WireDocument`s; a Word document is `formats.docx.DocxDocument`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, get_args

from typing_extensions import TypeIs

from ..inline import Inline, Range, Run

# How prose is written: what a `Reader` reads.
Format = Literal["text", "markdown", "html"]
FORMATS: tuple[Format, ...] = get_args(Format)
# News items and feeds: documents holding several pieces of prose (`formats.wire`).
Wire = Literal["ninjs", "newsml", "rss", "atom"]
WIRES: tuple[Wire, ...] = get_args(Wire)
# Every format a whole text document may have.
DocumentFormat = Literal[Format, Wire]


def is_wire(format: str | None) -> TypeIs[Wire]:
    """Whether `format` is a news item's or a feed's."""
    return format in WIRES


class DocumentType:
    """A format as the registry knows it (`formats.FORMAT_CLASSES`).

    `suffixes` are the file suffixes that say a file is of this format; where
    `named_by_suffix` is false, a suffix says no more than "read me" (a `.txt` file may hold
    markdown, a `.xml` file any XML wire format): the content decides. `summarized`: a
    document of this format has a place for a summary.
    """

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]] = ()
    media_type: ClassVar[str] = "text/plain"
    named_by_suffix: ClassVar[bool] = True
    summarized: ClassVar[bool] = True
    # Read from bytes as they are (a zip archive), not from text.
    binary: ClassVar[bool] = False

    @classmethod
    def recognizes(cls, text: str) -> bool:
        """Whether `text`, by its content, is a document of this format."""
        return False

    @classmethod
    def with_summary(cls, text: str, summary: str) -> str:
        """The English document `text` with `summary` where this format puts one: after it,
        set apart by a rule (markdown's, which plain text reads as well)."""
        return text.rstrip("\n") + f"\n\n---\n\n**Summary:** {summary}\n"


@dataclass(frozen=True)
class Block:
    """A structural unit of the source: a paragraph, heading, list item, rule, image...

    `start`/`end` locate it in the source; `prose` are the ranges inside it the model
    translates. A block without prose (a rule, an image placeholder) is copied as is.
    """

    kind: str
    start: int
    end: int
    prose: tuple[Range, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a block."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "prose": [list(p) for p in self.prose],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        """The block `to_dict` described."""
        prose = tuple((int(s), int(e)) for s, e in data.get("prose", ()))
        return cls(data["kind"], int(data["start"]), int(data["end"]), prose)


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


class Reader(DocumentType, ABC):
    """One document read in a prose format: its blocks, and the run of each prose span."""

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
