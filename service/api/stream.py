"""`POST /v1/articles/stream`: an article's segments as they are done, as NDJSON lines.

Lines, in order: `{"type": "blocks", "blocks": [{"kind", "source"}]}`; then
`{"type": "segments", "segments": [...]}` as groups of sentences finish; then
`{"type": "summary", "summary", "flags"}` when asked for; then `{"type": "done", "text",
"title"}`. A failure after the first line is an `{"type": "error", "error": {...}}` line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from ..article import english_text
from . import errors
from .errors import error_response
from .routes import Models, check_sizes, title_of
from .schemas import ArticleRequest

router = APIRouter(prefix="/v1", tags=["depeche"], responses=errors.RESPONSES)


def _line(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode()


@router.post(
    "/articles/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def stream_article(body: ArticleRequest, models: Models) -> StreamingResponse:
    """Like /v1/articles, streamed: segments appear as they are translated."""
    models.require_ready()
    check_sizes([body.text], models.settings)
    summarizer = models.summarizer if body.summarize else None  # None: turned off here

    def events() -> Iterator[bytes]:
        try:
            started = False
            for blocks, segments, document in models.translator.stream_document(
                body.text, body.format
            ):
                if not started:
                    started = True
                    yield _line(
                        {
                            "type": "blocks",
                            "blocks": [
                                {
                                    "kind": b.kind,
                                    "start": b.start,
                                    "end": b.end,
                                    "source": body.text[b.start : b.end],
                                }
                                for b in blocks
                            ],
                        }
                    )
                if segments:
                    yield _line({"type": "segments", "segments": [s.as_dict() for s in segments]})
                if document is not None:
                    if summarizer is not None:
                        summary = summarizer.summarize(english_text(document))
                        yield _line(
                            {"type": "summary", "summary": summary.text, "flags": summary.flags}
                        )
                    title = title_of(document)
                    yield _line({"type": "done", "text": document.text, "title": title})
        except Exception as exc:  # the status line is sent already: report in the stream
            error = json.loads(bytes(error_response(exc).body))
            yield _line({"type": "error", **error})

    return StreamingResponse(events(), media_type="application/x-ndjson")
