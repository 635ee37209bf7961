"""Feeds served as a newsroom's web server serves them, for the feed tests: each with an
ETag, a 304 to a reader that already has it; a path can be made to fail, or to hold its
answer until the test lets it go."""

from __future__ import annotations

import hashlib
import threading
from html import escape

from tests.corpus import french_sentences
from tests.http_server import Answer, Request

SENTENCES = french_sentences()


class FeedSite:
    """`feeds` by path; a path in `failing` answers its status (with `headers`); a path in
    `held` waits for the event before answering."""

    def __init__(self) -> None:
        self.feeds: dict[str, str] = {}
        self.failing: dict[str, tuple[int, dict[str, str]]] = {}
        self.held: dict[str, threading.Event] = {}

    def __call__(self, request: Request) -> Answer:
        hold = self.held.get(request.path)
        if request.path in self.failing:
            status, headers = self.failing[request.path]
            return Answer(status, headers=headers, hold=hold)
        text = self.feeds.get(request.path)
        if text is None:
            return Answer(404, hold=hold)
        etag = f'"{hashlib.sha256(text.encode()).hexdigest()[:16]}"'
        if request.headers.get("if-none-match") == etag:
            return Answer(304, headers={"ETag": etag}, hold=hold)
        headers = {"ETag": etag, "Content-Type": "application/xml; charset=utf-8"}
        return Answer(200, headers=headers, body=text.encode(), hold=hold)


def item(number: int) -> str:
    """An RSS item of two French sentences, its guid `item-<number>`."""
    title, text = SENTENCES[2 * number], SENTENCES[2 * number + 1]
    return (
        f"<item><title>{escape(title)}</title><guid>item-{number}</guid>"
        f"<link>https://example.org/{number}</link>"
        f"<description>&lt;p&gt;{escape(text)}&lt;/p&gt;</description></item>"
    )


def rss(*numbers: int) -> str:
    """An RSS feed of the items `numbers`, in that order (newest first, as feeds have it)."""
    items = "".join(item(number) for number in numbers)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        "<title>Le Quotidien de l'Ouest</title><link>https://example.org/</link>"
        f"<description>Toute l'actualité</description><language>fr</language>{items}"
        "</channel></rss>\n"
    )
