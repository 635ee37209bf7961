"""`POST /v1/render`: an article as the editor's page shows it, French and English side by side,
block by block, as sanitized HTML with each sentence marked (`service.render`). It runs no
model: the page sends the French and the article `/v1/articles` (or its stream) answered."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ...formats import Block
from ...render import render
from ...results import Segment
from .. import doors
from ..dependencies import AppServices
from ..errors import DEPECHE
from ..limits import check_sizes

router = doors.router(DEPECHE, prefix="/v1", tags=["depeche"])


class RenderBlockIn(BaseModel):
    kind: str
    start: int
    end: int


class RenderSegmentIn(BaseModel):
    source: str
    translation: str
    block: int
    start: int
    end: int


class RenderArticleIn(BaseModel):
    """The parts of an article (as /v1/articles answers it) that rendering reads."""

    format: Literal["text", "markdown", "html", "ninjs", "newsml", "rss", "atom"]
    blocks: list[RenderBlockIn]
    segments: list[RenderSegmentIn]


class RenderRequest(BaseModel):
    text: str = Field(description="The French, as it was sent for translation.")
    article: RenderArticleIn = Field(description="Its translation, as /v1/articles answered.")


class RenderedBlockOut(BaseModel):
    kind: str
    french: str = Field(
        description="The block's French as sanitized HTML; each sentence's text is in <span "
        'class="segment" data-segment="N">, N its index in `segments`.'
    )
    english: str = Field(description="The block's English, as `french` is written.")


class RenderResponse(BaseModel):
    blocks: list[RenderedBlockOut]


@router.post("/render", response_model=RenderResponse)
async def render_article(body: RenderRequest, services: AppServices) -> RenderResponse:
    """The French and English of an article, rendered as a reader sees them, block by block;
    nothing in them can run (raw HTML in markdown is text, HTML is sanitized)."""
    check_sizes([body.text], services.settings)
    article = body.article
    rendered = await run_in_threadpool(
        render,
        body.text,
        article.format,
        [Block(b.kind, b.start, b.end) for b in article.blocks],
        [Segment(s.source, s.translation, s.block, s.start, s.end) for s in article.segments],
    )
    return RenderResponse(blocks=[RenderedBlockOut(**b.to_dict()) for b in rendered])
