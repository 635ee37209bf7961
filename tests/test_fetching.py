"""Conditional fetching from a real local server; slow answers and backoffs are stepped
through on a clock the test moves."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import pytest
from depeche.backoff import Backoff
from depeche.fetching import Fetched, Fetcher, FetchError, NotModified, Schedule, Validators

from tests.http_server import Answer, Request, Server, script
from tests.sync import Clock

FEED = b"<rss><channel><item><guid>1</guid></item></channel></rss>"


def test_etag_then_not_modified_then_changed() -> None:
    version: dict[str, Any] = {"etag": '"v1"', "body": FEED}

    def answer(request: Request) -> Answer:
        if request.headers.get("if-none-match") == version["etag"]:
            return Answer(304, headers={"ETag": version["etag"]})
        return Answer(
            200,
            headers={"ETag": version["etag"], "Content-Type": "application/rss+xml"},
            body=version["body"],
        )

    with Server(answer) as server, Fetcher() as fetcher:
        first = fetcher.get(server.url + "/feed")
        assert isinstance(first, Fetched)
        assert first.body == FEED and first.content_type == "application/rss+xml"
        assert first.validators == Validators(etag='"v1"')
        # The state goes out as plain values and comes back (from a store).
        stored = Validators.from_dict(first.validators.to_dict())
        second = fetcher.get(server.url + "/feed", stored)
        assert second == NotModified(Validators(etag='"v1"'))
        version.update(etag='"v2"', body=FEED + b"<!-- more -->")
        third = fetcher.get(server.url + "/feed", stored)
        assert isinstance(third, Fetched) and third.body.endswith(b"more -->")
        assert third.validators.etag == '"v2"'
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == '"v1"'


def test_last_modified() -> None:
    stamp = "Wed, 01 May 2024 12:00:00 GMT"

    def answer(request: Request) -> Answer:
        if request.headers.get("if-modified-since") == stamp:
            return Answer(304)
        return Answer(200, headers={"Last-Modified": stamp}, body=FEED)

    with Server(answer) as server, Fetcher() as fetcher:
        first = fetcher.get(server.url)
        assert isinstance(first, Fetched) and first.validators == Validators(last_modified=stamp)
        assert fetcher.get(server.url, first.validators) == NotModified(first.validators)


def test_redirects_are_followed() -> None:
    def answer(request: Request) -> Answer:
        if request.path == "/old":
            return Answer(301, headers={"Location": "/new"})
        return Answer(200, body=FEED)

    with Server(answer) as server, Fetcher() as fetcher:
        fetched = fetcher.get(server.url + "/old")
        assert isinstance(fetched, Fetched) and fetched.url == server.url + "/new"


WALL = datetime(2024, 5, 1, 12, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("answer", "status", "retry_after", "message"),
    [
        (Answer(500), 500, None, "500 Internal Server Error"),
        (Answer(502), 502, None, "502"),
        (Answer(404), 404, None, "404 Not Found"),
        (Answer(503, headers={"Retry-After": "120"}), 503, 120.0, "503"),
        (
            Answer(
                429,
                headers={
                    "Retry-After": format_datetime(
                        datetime.fromtimestamp(WALL + 300, UTC), usegmt=True
                    )
                },
            ),
            429,
            300.0,
            "429",
        ),
        (Answer(304), 304, None, "304"),  # not modified, when nothing was asked: broken
        (
            Answer(200, headers={"Content-Length": "20000"}, body=b"x" * 20_000),
            None,
            None,
            "20000 bytes, over the limit of 10000",
        ),
        (Answer(200, chunks=[b"x" * 4000] * 3), None, None, "over the limit of 10000 bytes"),
        (
            Answer(200, headers={"Content-Encoding": "gzip"}, body=gzip.compress(bytes(1_000_000))),
            None,
            None,
            "over the limit of 10000 bytes",  # what it unpacks to counts
        ),
    ],
)
def test_failures(
    answer: Answer, status: int | None, retry_after: float | None, message: str
) -> None:
    fetcher = Fetcher(max_bytes=10_000, wall=lambda: WALL)
    with (
        Server(script(answer)) as server,
        fetcher,
        pytest.raises(FetchError, match=message) as raised,
    ):
        fetcher.get(server.url)
    assert raised.value.status == status and raised.value.retry_after == retry_after


def test_an_unreachable_host() -> None:
    with Server(script(Answer(200))) as server:
        url = server.url
    with Fetcher() as fetcher, pytest.raises(FetchError, match=url):
        fetcher.get(url)


@pytest.mark.parametrize(("pause", "ok"), [(10.0, True), (50.0, False)])
def test_a_slow_answer(pause: float, ok: bool) -> None:
    """The server sends a part, then the clock moves on by `pause`, then the next: three
    parts take 2 × pause seconds by the fetcher's clock, against a bound of 60."""
    clock = Clock()

    def between(index: int) -> None:
        clock.now += pause

    answer = Answer(200, chunks=[b"<rss>", b"<channel/>", b"</rss>"], between=between)
    with Server(script(answer)) as server, Fetcher(max_seconds=60, clock=clock) as fetcher:
        if ok:
            fetched = fetcher.get(server.url)
            assert isinstance(fetched, Fetched) and fetched.body == b"<rss><channel/></rss>"
        else:
            with pytest.raises(FetchError, match="took over 60 s"):
                fetcher.get(server.url)


def test_schedule_backs_off_then_resets() -> None:
    backoff = Backoff(first=60.0, factor=2.0, cap=600.0)
    error = FetchError("down", status=500)
    schedule = Schedule().succeeded(now=1000.0, interval=300.0)
    assert (
        schedule == Schedule(next_at=1300.0) and not schedule.due(1299.0) and schedule.due(1300.0)
    )
    waits = []
    now = 1300.0
    for _ in range(6):
        schedule = schedule.failed(now, error, backoff)
        waits.append(schedule.next_at - now)
        now = schedule.next_at
    assert waits == [60.0, 120.0, 240.0, 480.0, 600.0, 600.0]
    assert schedule.failures == 6 and schedule.last_error == "down"
    assert Schedule.from_dict(schedule.to_dict()) == schedule  # plain values, for a store
    asked = schedule.failed(now, FetchError("busy", status=503, retry_after=3600.0), backoff)
    assert asked.next_at == now + 3600.0  # the server asked for longer than the backoff
    assert schedule.succeeded(now, 300.0) == Schedule(next_at=now + 300.0)


def test_schedule_jitter() -> None:
    backoff = Backoff(first=60.0, factor=2.0, cap=600.0, jitter=0.5)
    error = FetchError("down")
    assert Schedule().failed(0.0, error, backoff, random=lambda: 1.0).next_at == 30.0
    assert Schedule().failed(0.0, error, backoff, random=lambda: 0.0).next_at == 60.0


@pytest.mark.parametrize("url", ["http://", "ftp://example.com/feed", "not a url"])
def test_urls_that_cannot_be_fetched(url: str) -> None:
    with Fetcher() as fetcher, pytest.raises(FetchError):
        fetcher.get(url)
