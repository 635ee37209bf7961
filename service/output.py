"""Output: how a translated article is written (text, markdown, json, jsonl)."""

from __future__ import annotations

import json
from typing import Any, Literal

from .document import ArticleResult

OutputFormat = Literal["text", "markdown", "json", "jsonl"]


def record(result: ArticleResult, path: str | None = None) -> dict[str, Any]:
    """The JSON record of an article (`ArticleResult.to_dict`), with the input file's path
    first when it came from a folder."""
    return ({"path": path} if path is not None else {}) | result.to_dict()


def render(result: ArticleResult, format: OutputFormat, path: str | None = None) -> str:
    """The article as `format` asks; a summary follows the article, set apart by a rule."""
    if format == "json":
        return json.dumps(record(result, path), ensure_ascii=False, indent=2) + "\n"
    if format == "jsonl":
        return json.dumps(record(result, path), ensure_ascii=False) + "\n"
    text = result.text
    if result.summary is not None and result.summary.text:
        text = text.rstrip("\n") + f"\n\n---\n\n**Summary:** {result.summary.text}\n"
    return text
