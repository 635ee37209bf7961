"""The shapes data takes on the way through: blocks of a document, and translated segments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass(frozen=True)
class Block:
    """A structural unit of the source: a paragraph, heading, list item, rule, image...

    `start`/`end` locate it in the source; `prose` are the spans inside it the model
    translates. A block without prose (a rule, an image placeholder) is copied as is.
    """

    kind: str
    start: int
    end: int
    prose: tuple[Span, ...] = ()


@dataclass
class Segment:
    """One source sentence and its translation, in the block it belongs to."""

    source: str
    translation: str
    block: int
    start: int
    end: int
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of a segment (CLI `--format json`, HTTP API)."""
        return {
            "source": self.source,
            "translation": self.translation,
            "block": self.block,
            "start": self.start,
            "end": self.end,
            "flags": list(self.flags),
        }


@dataclass
class TranslatedDocument:
    """A translated text: the output, its blocks and its segments.

    `cache` says where it came from: `hit` (the response cache), `partial` (some sentences
    from the translation memory) or `miss`.
    """

    text: str
    blocks: list[Block]
    segments: list[Segment]
    cache: str = "miss"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (also what the response cache stores)."""
        return {
            "text": self.text,
            "blocks": [
                {
                    "kind": b.kind,
                    "start": b.start,
                    "end": b.end,
                    "prose": [list(p) for p in b.prose],
                }
                for b in self.blocks
            ],
            "segments": [s.as_dict() for s in self.segments],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], cache: str = "hit") -> TranslatedDocument:
        """Rebuild a document from `as_dict`'s output."""
        return cls(
            data["text"],
            [
                Block(b["kind"], b["start"], b["end"], tuple((s, e) for s, e in b["prose"]))
                for b in data["blocks"]
            ],
            [Segment(**s) for s in data["segments"]],
            cache,
        )
