"""`POST /v1/items`: a news item or feed in, the same in English out, in the same format and
with the same content type, for an editorial system or an ingest to call with nothing written
in between."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ...errors import ItemError, UnsupportedMediaTypeError
from ...formats import Wire, decode, detect, read_wire, takes_summary, xmltext
from ...output import render
from ...tenants import Tenant
from .. import doors
from ..dependencies import AppServices, Caller
from ..doors import door
from ..errors import DEPECHE
from ..limits import check_sizes
from ..services import Services
from .schemas import GLOSSARY_ID_HELP
from .texts import cache_state

router = doors.router(DEPECHE, prefix="/v1", tags=["depeche"])

# The content types taken, and the formats each may hold.
CONTENT_TYPES: dict[str, tuple[Wire, ...]] = {
    "application/json": ("ninjs",),
    "application/vnd.iptc.g2.newsitem+xml": ("newsml",),
    "application/vnd.iptc.g2.newsmessage+xml": ("newsml",),
    "application/rss+xml": ("rss",),
    "application/atom+xml": ("atom",),
    "application/xml": ("newsml", "rss", "atom"),
    "text/xml": ("newsml", "rss", "atom"),
}
NAMES = {
    "ninjs": "a ninjs item",
    "newsml": "NewsML-G2",
    "rss": "an RSS feed",
    "atom": "an Atom feed",
}
ITEM_BODY = {
    "requestBody": {
        "required": True,
        "content": {kind: {"schema": {"type": "string"}} for kind in CONTENT_TYPES},
    }
}


@router.post(
    "/items",
    response_class=Response,
    dependencies=door(DEPECHE, engine=True),
    openapi_extra=ITEM_BODY,
    responses={200: {"content": {kind: {} for kind in CONTENT_TYPES}}},
)
async def translate_item(
    request: Request,
    services: AppServices,
    caller: Caller,
    summarize: Annotated[
        bool, Query(description="Add a summary where the format has a place for one.")
    ] = False,
    glossary_id: Annotated[str | None, Query(description=GLOSSARY_ID_HELP)] = None,
) -> Response:
    """A ninjs item (`application/json`), NewsML-G2 (`application/vnd.iptc.g2.newsitem+xml`,
    `application/xml`) or an RSS or Atom feed (`application/rss+xml`,
    `application/atom+xml`) in; the same in English, with the same content type."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    accepted = CONTENT_TYPES.get(media_type)
    if accepted is None:
        raise UnsupportedMediaTypeError(
            f"a body of {media_type or 'no content type'}; send one of {', '.join(CONTENT_TYPES)}"
        )
    text = decode(await request.body(), "the body")
    check_sizes([text], services.settings)
    english, cache = await run_in_threadpool(
        english_item, services, caller, text, accepted, summarize, glossary_id
    )
    return Response(english.encode(), media_type=media_type, headers={"X-Cache": cache})


def english_item(
    services: Services,
    caller: Tenant,
    text: str,
    accepted: tuple[Wire, ...],
    summarize: bool,
    glossary_id: str | None,
) -> tuple[str, str]:
    """The English document and where it came from (`X-Cache`)."""
    found = detect(text)
    if found not in accepted:
        # Reading it says what is wrong with it, when it is broken JSON or XML.
        if len(accepted) == 1:
            read_wire(text, accepted[0])
        else:
            xmltext.parse(text)
        raise ItemError(f"the body is not {' or '.join(NAMES[f] for f in accepted)}")
    glossary = services.glossary(caller, glossary_id)
    result = services.translator.translate_article(text, found, glossary=glossary)
    states = [result.cache]
    if summarize and services.summarizer is not None and takes_summary(found):
        services.summarizer.summarize_articles([result])
        if result.summary is not None and result.summary.chunks:
            states.append(result.summary.cache)
    return render(result, found), cache_state(states)
