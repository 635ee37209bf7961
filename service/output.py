"""Output: how a translated article is written (text, markdown, json, jsonl)."""

from __future__ import annotations

import json
from typing import Any, Literal

from .document import TranslatedDocument
from .summarizer import Summary

OutputFormat = Literal["text", "markdown", "json", "jsonl"]


def record(
    document: TranslatedDocument, summary: Summary | None, source: str | None = None
) -> dict[str, Any]:
    """The JSON record of an article: text, blocks, segments, and the summary if any."""
    data: dict[str, Any] = {}
    if source is not None:
        data["source"] = source
    data.update(
        {
            "text": document.text,
            "blocks": [{"kind": b.kind} for b in document.blocks],
            "segments": [s.as_dict() for s in document.segments],
        }
    )
    if summary is not None:
        data["summary"] = summary_record(summary)
    return data


def summary_record(summary: Summary) -> dict[str, Any]:
    """The JSON record of a summary."""
    return {"text": summary.text, "flags": summary.flags, "chunks": summary.chunks}


def render(
    document: TranslatedDocument,
    summary: Summary | None,
    format: OutputFormat,
    source: str | None = None,
) -> str:
    """The article as `format` asks; a summary follows the article, set apart by a rule."""
    if format == "json":
        return json.dumps(record(document, summary, source), ensure_ascii=False, indent=2) + "\n"
    if format == "jsonl":
        return json.dumps(record(document, summary, source), ensure_ascii=False) + "\n"
    text = document.text
    if summary is not None and summary.text:
        text = text.rstrip("\n") + f"\n\n---\n\n**Summary:** {summary.text}\n"
    return text
