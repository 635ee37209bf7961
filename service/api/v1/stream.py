"""`POST /v1/articles/stream`: an article's segments as they are done, as NDJSON lines.

Lines, in order: `{"type": "blocks", "blocks": [{"kind", "start", "end", "prose",
"source"}]}`; then `{"type": "segments", "segments": [...]}` as groups of sentences finish;
then `{"type": "summary", "summary", "flags", "sentences"}` when asked for (`sentences` as
`summary_sentences` of /v1/articles: each with the segments it draws on); then
`{"type": "done", "article": {...}}` with the whole article in the shape of `/v1/articles`.
A failure after the first line is an `{"type": "error", "error": {...}}` line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from ...formats import takes_summary
from .. import doors
from ..dependencies import AppServices, Caller
from ..doors import door
from ..errors import DEPECHE, error_response
from ..limits import check_sizes
from .schemas import ArticleRequest

router = doors.router(DEPECHE, prefix="/v1", tags=["depeche"])


def _line(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode()


@router.post(
    "/articles/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
    dependencies=door(DEPECHE, engine=True),
)
async def stream_article(
    body: ArticleRequest, services: AppServices, caller: Caller
) -> StreamingResponse:
    """Like /v1/articles, streamed: segments appear as they are translated (the lines are
    made in the thread pool, as Starlette iterates a plain iterator)."""
    check_sizes([body.text], services.settings)
    summarizer = services.summarizer if body.summarize else None  # None: turned off here
    glossary = await run_in_threadpool(services.glossary, caller, body.glossary_id, body.glossary)

    def events() -> Iterator[bytes]:
        try:
            started = False
            for blocks, segments, result in services.translator.stream_article(
                body.text, body.format, glossary=glossary
            ):
                if not started:
                    started = True
                    shown = [{**b.to_dict(), "source": body.text[b.start : b.end]} for b in blocks]
                    yield _line({"type": "blocks", "blocks": shown})
                if segments:
                    yield _line({"type": "segments", "segments": [s.to_dict() for s in segments]})
                if result is not None:
                    if summarizer is not None and takes_summary(result.format):
                        summarizer.summarize_articles([result], body.max_words, body.min_words)
                        assert result.summary is not None
                        summary = result.summary
                        sentences = [s.to_dict() for s in summary.sentences or []]
                        yield _line(
                            {
                                "type": "summary",
                                "summary": summary.text,
                                "flags": summary.flags,
                                "sentences": sentences,
                            }
                        )
                    yield _line({"type": "done", "article": result.to_dict()})
        except Exception as exc:  # the status line is sent already: report in the stream
            error = json.loads(bytes(error_response(exc).body))
            yield _line({"type": "error", **error})

    return StreamingResponse(events(), media_type="application/x-ndjson")
