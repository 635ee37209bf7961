"""depeche's own API, `/v1`: texts, articles and their stream, news items, jobs, feeds, the
glossaries and approved translations editors keep, the models, and the editor's page's
layout. Errors are `{"error": {"type", "message"}}`."""

from . import (
    articles,
    feeds,
    glossaries,
    items,
    jobs,
    memory,
    models,
    render,
    stream,
    texts,
)

ROUTERS = (
    texts.router,
    articles.router,
    stream.router,
    items.router,
    jobs.router,
    feeds.router,
    glossaries.router,
    memory.router,
    models.router,
    render.router,
)
