"""Output: how a translated article is written (text, markdown, html, a news item's or
feed's own format, json, jsonl), and how a file is written without ever leaving a
half-written one."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any, Literal

from .errors import OutputError
from .formats import with_summary
from .results import ArticleResult

OutputFormat = Literal[
    "text", "markdown", "html", "ninjs", "newsml", "rss", "atom", "json", "jsonl"
]


def record(result: ArticleResult, path: str | None = None) -> dict[str, Any]:
    """The JSON record of an article (`ArticleResult.to_dict`), with the input file's path
    first when it came from a folder."""
    return ({"path": path} if path is not None else {}) | result.to_dict()


def render(result: ArticleResult, format: OutputFormat, path: str | None = None) -> str:
    """The article as `format` asks: a JSON record, or the translated document as it is
    written; a summary follows the document, set apart by a rule, in the document's format.
    A news item is written in its own format, its summary where that format has a place for
    one (a feed has none)."""
    if format == "json":
        return json.dumps(record(result, path), ensure_ascii=False, indent=2) + "\n"
    if format == "jsonl":
        return json.dumps(record(result, path), ensure_ascii=False) + "\n"
    return with_summary(result.text, result.format, result.summary.text if result.summary else None)


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` (text as UTF-8) to a temporary file beside `path`, flush it to disk,
    rename it over `path`: `path` holds the old content or the new, never part of one. A
    failure (a full or read-only disk) removes the temporary file and is an `OutputError`."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
