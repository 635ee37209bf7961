"""The shapes of results: segments, summaries, and the translated article (its blocks are the
formats' `Block`s).

`ArticleResult` is the one JSON shape of a translated article: the CLI's json and jsonl
records, `/v1/articles`, the last line of its stream, the remote folder processor and the
response cache all read and write it through `to_dict` / `from_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .formats import FORMATS, Block, plain_text

# The blocks whose sentences are the article's prose (what a summary is made of).
PROSE_KINDS = ("paragraph", "list_item", "quote")


@dataclass(frozen=True)
class Output:
    """One sentence's English as the sentence stage gives it (`sentence_stage`)."""

    text: str
    capped: bool = False
    # Source and output ids, for alignment; None when the sentence was cut into pieces.
    ids: tuple[list[int], list[int]] | None = None
    cached: bool = False  # from the sentence cache, or approved
    approved: bool = False  # an editor's approved translation (`approvals`)
    # The model's mean log-probability per output token; None where the English is not the
    # model's.
    score: float | None = None
    english: bool = False  # English already: kept as written


@dataclass(frozen=True)
class Segment:
    """One source sentence and its translation, in the block it belongs to."""

    source: str
    translation: str
    block: int
    start: int
    end: int
    flags: list[str] = field(default_factory=list)
    # Why each flag was raised, in words an editor understands (by flag).
    reasons: dict[str, str] = field(default_factory=dict)
    # "approved": the translation is an editor's (`approvals`); the JSON calls them memory.
    memory: str | None = None
    # The model's mean log-probability per output token (0 is certainty); None where the
    # English is not the model's (kept as written, an editor's).
    score: float | None = None

    @property
    def reason(self) -> str | None:
        """Every reason in one line, flag by flag (None without any)."""
        shown = [self.reasons[f] for f in self.flags if f in self.reasons]
        return "; ".join(shown) or None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a segment."""
        return {
            "source": self.source,
            "translation": self.translation,
            "block": self.block,
            "start": self.start,
            "end": self.end,
            "flags": list(self.flags),
            "reason": self.reason,
            "reasons": dict(self.reasons),
            "memory": self.memory,
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        """The segment `to_dict` described."""
        flags = list(data.get("flags", []))
        reasons = dict(data.get("reasons") or {})
        if not reasons and data.get("reason") and flags:  # a server without `reasons`
            reasons = {flags[0]: data["reason"]}
        score = data.get("score")
        return cls(
            data["source"],
            data["translation"],
            int(data["block"]),
            int(data["start"]),
            int(data["end"]),
            flags,
            reasons,
            data.get("memory"),
            float(score) if score is not None else None,
        )


@dataclass
class SummarySentence:
    """A sentence of an article's summary, the indices of the article's segments it draws on,
    and its flags with their reasons."""

    text: str
    segments: list[int]
    flags: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a summary sentence."""
        return {
            "text": self.text,
            "segments": list(self.segments),
            "flags": list(self.flags),
            "reasons": dict(self.reasons),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SummarySentence:
        """The summary sentence `to_dict` described."""
        return cls(
            data["text"],
            [int(i) for i in data.get("segments", [])],
            list(data.get("flags", [])),
            dict(data.get("reasons") or {}),
        )


@dataclass
class Summary:
    """A summary, its faithfulness flags, and how many chunks the source was cut into
    (0: the text was shorter than the summary asked for and came back as is). An article's
    summary has its `sentences`, each with its sources among the article's segments."""

    text: str
    flags: list[str] = field(default_factory=list)
    chunks: int = 1
    cache: str = "miss"
    sentences: list[SummarySentence] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a summary (what the response cache stores)."""
        return {"text": self.text, "flags": list(self.flags), "chunks": self.chunks}

    @classmethod
    def from_dict(cls, data: dict[str, Any], cache: str = "hit") -> Summary:
        """The summary `to_dict` described."""
        return cls(data["text"], list(data.get("flags", [])), int(data.get("chunks", 1)), cache)


@dataclass
class ArticleResult:
    """A translated article: the English text, the source's blocks (with their positions in
    the source), the segments, and the summary once one is made.

    `cache` says where the translation came from: `hit` (the response cache), `partial` (some
    sentences from the sentence cache or approved) or `miss`. It is not part of the JSON shape.
    """

    text: str
    blocks: list[Block]
    segments: list[Segment]
    summary: Summary | None = None
    cache: str = "miss"
    # How the text is written: text, markdown, html, or a news item's format (ninjs...).
    format: str = "text"
    # The plain text of the first heading's translation (None without a heading): found
    # once, where the article is assembled, and kept with it.
    title: str | None = None

    @property
    def flags(self) -> list[dict[str, Any]]:
        """Every flag of the article: each segment's (with its index), then the summary's
        (on no segment: its `segment` is None)."""
        found: list[dict[str, Any]] = [
            {"where": "segment", "segment": index, "flag": flag}
            for index, segment in enumerate(self.segments)
            for flag in segment.flags
        ]
        if self.summary is not None:
            found.extend(
                {"where": "summary", "segment": None, "flag": flag} for flag in self.summary.flags
            )
        return found

    def segment_prose(self) -> list[str]:
        """The English of each segment as a summarizer reads it, markup and URLs removed
        ("" for segments outside the prose: titles, captions, footers)."""
        return [
            self._plain(segment.translation)
            if self.blocks[segment.block].kind in PROSE_KINDS
            else ""
            for segment in self.segments
        ]

    def english_prose(self) -> str:
        """The prose of the translation, markup and URLs removed, one paragraph a block: what
        a summarizer should read (titles, captions and footers left out)."""
        paragraphs: dict[int, list[str]] = {}
        for segment, plain in zip(self.segments, self.segment_prose(), strict=True):
            if plain:
                paragraphs.setdefault(segment.block, []).append(plain)
        return "\n\n".join(" ".join(parts) for _, parts in sorted(paragraphs.items()))

    def _plain(self, written: str) -> str:
        # A news item's pieces are text or HTML; read as HTML, both lose their markup.
        return plain_text(written, self.format if self.format in FORMATS else "html")

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of an article."""
        return {
            "format": self.format,
            "title": self.title,
            "text": self.text,
            "blocks": [b.to_dict() for b in self.blocks],
            "segments": [s.to_dict() for s in self.segments],
            "summary": self.summary.text if self.summary is not None else None,
            "summary_sentences": (
                [s.to_dict() for s in self.summary.sentences]
                if self.summary is not None and self.summary.sentences is not None
                else None
            ),
            "flags": self.flags,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], cache: str = "hit") -> ArticleResult:
        """The article `to_dict` described (its `flags` are derived again)."""
        summary = None
        if data.get("summary") is not None:
            flags = [f["flag"] for f in data.get("flags", []) if f.get("where") == "summary"]
            found = data.get("summary_sentences")
            sentences = [SummarySentence.from_dict(s) for s in found] if found is not None else None
            summary = Summary(data["summary"], flags, sentences=sentences)
        return cls(
            data["text"],
            [Block.from_dict(b) for b in data["blocks"]],
            [Segment.from_dict(s) for s in data["segments"]],
            summary,
            cache,
            data.get("format", "text"),
            data.get("title"),
        )
