"""Polling feeds served by a local web server, a step at a time on a clock the test moves:
new entries translated once each (the English feed equal to the whole feed translated by the
model), 304s, a source down (backoff, the others go on), a broken feed, a restart, two
pollers on one store, the digest with its summaries."""

from __future__ import annotations

import logging
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from depeche import digest
from depeche.backoff import Backoff
from depeche.feed_sources import FeedSource
from depeche.feeds import FeedPoller
from depeche.formats import detect, wire
from depeche.formats.feeds import ATOM
from depeche.store import Store, connect
from depeche.summarizer import Summarizer
from depeche.translator import Translator

from tests import wire_items
from tests.feed_server import FeedSite, rss
from tests.http_server import Server
from tests.sync import Clock, wait_for

STEADY = Backoff(first=60.0, factor=2.0, cap=3600.0)  # no jitter: the waits are known
A = f"{{{ATOM}}}"


class Counting:
    """A translator that records the entries of each feed it is given (None: the feed's own
    title and description)."""

    def __init__(self, translator: Translator) -> None:
        self.translator = translator
        self.asked: list[set[str | None]] = []

    def translate_items(self, documents: Sequence[wire.WireDocument]) -> Any:
        self.asked.append({piece.entry for d in documents for piece in d.pieces})
        return self.translator.translate_items(documents)


@pytest.fixture
def site() -> Iterator[tuple[FeedSite, str]]:
    feeds = FeedSite()
    with Server(feeds) as server:
        yield feeds, server.url


@pytest.fixture
def feed_store(tmp_path: Path) -> Iterator[Store]:
    store = connect(f"sqlite:///{tmp_path}/store.sqlite3")
    yield store
    store.close()


def poller(
    store: Store, translator: Counting, url: str, names: Sequence[str], clock: Clock, **kw: Any
) -> FeedPoller:
    sources = [FeedSource(name, f"{url}/{name}", 300.0) for name in names]
    options: dict[str, Any] = {"clock": clock, "backoff": STEADY, **kw}
    return FeedPoller(store, translator, sources, **options)  # type: ignore[arg-type]


def english(translator: Translator, text: str) -> str:
    """The whole feed translated by the model, as `/v1/items` would answer it."""
    return translator.translate_article(text, detect(text)).text


def outcomes(reports: Sequence[Any]) -> list[tuple[str, str, int]]:
    return [(r.feed, r.outcome, r.new) for r in reports]


def test_new_entries_are_translated_once_and_the_english_feed_follows_the_source(
    translator: Translator, feed_store: Store, site: tuple[FeedSite, str], tmp_path: Path
) -> None:
    feeds, url = site
    feeds.feeds = {"/ouest": rss(1, 0), "/sud": wire_items.ATOM}
    clock, out, counting = Clock(), tmp_path / "out", Counting(translator)
    first = poller(feed_store, counting, url, ["ouest", "sud"], clock, out=out)
    assert outcomes(first.poll_due()) == [("ouest", "new", 2), ("sud", "new", 2)]
    assert (out / "ouest.rss").read_text() == english(translator, rss(1, 0))
    assert (out / "sud.atom").read_text() == english(translator, wire_items.ATOM)
    # Nothing is due before its interval.
    clock.now += 299
    assert first.poll_due() == []
    clock.now += 1
    feeds.feeds["/ouest"] = rss(2, 1, 0)
    assert outcomes(first.poll_due()) == [("ouest", "new", 1), ("sud", "not_modified", 0)]
    assert counting.asked[-1] == {None, "item-2"}  # the channel's own title, and the new item
    assert (out / "ouest.rss").read_text() == english(translator, rss(2, 1, 0))
    # Entries already translated keep their English: an edit of one is not translated again.
    edited = rss(2, 1, 0).replace("<guid>item-0</guid>", "<guid>item-0</guid><!-- edited -->")
    feeds.feeds["/ouest"] = edited
    clock.now += 300
    assert outcomes(first.poll_due()) == [("ouest", "unchanged", 0), ("sud", "not_modified", 0)]
    assert counting.asked[-1] == {None}
    assert (out / "ouest.rss").read_text() == english(translator, rss(2, 1, 0))

    # Another poller on the same store (a restart) remembers what was translated.
    again, recounting = connect(f"sqlite:///{tmp_path}/store.sqlite3"), Counting(translator)
    second = poller(again, recounting, url, ["ouest", "sud"], clock, out=out)
    feeds.feeds["/ouest"] = rss(3, 2, 1, 0)
    clock.now += 300
    assert outcomes(second.poll_due()) == [("ouest", "new", 1), ("sud", "not_modified", 0)]
    assert recounting.asked == [{None, "item-3"}]
    assert (out / "ouest.rss").read_text() == english(translator, rss(3, 2, 1, 0))
    again.close()

    document = ET.parse(out / "digest.atom").getroot()
    entries = document.findall(f"{A}entry")
    ids = [e.findtext(f"{A}id") for e in entries]
    assert ids[0] == digest.entry_id("ouest", "item-3")  # the newest first
    assert sorted(ids) == sorted(
        [digest.entry_id("ouest", f"item-{n}") for n in range(4)]
        + [digest.entry_id("sud", f"urn:depeche:test:atom:{n}") for n in (1, 2)]
    )
    newest = entries[0]
    assert newest.find(f"{A}link").get("href") == "https://example.org/3"  # type: ignore[union-attr]
    assert newest.find(f"{A}category").get("term") == "ouest"  # type: ignore[union-attr]
    whole = translator.translate_article(rss(3), "rss")
    title = next(r for p, r in whole.pieces if p.role == "headline" and p.entry == "item-3")
    assert newest.findtext(f"{A}title") == title.text
    prose = next(r for p, r in whole.pieces if p.role == "description" and p.entry == "item-3")
    assert newest.findtext(f"{A}summary") == prose.english_prose()  # no summarizer here


def test_a_source_that_fails_is_tried_again_later_and_the_others_go_on(
    translator: Translator,
    feed_store: Store,
    site: tuple[FeedSite, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    feeds, url = site
    feeds.feeds = {
        "/ok": rss(0),
        "/broken": "<rss><channel><item><title>Oups</title></channel></rss>",
        "/page": "<html><body><p>Pas un flux.</p></body></html>",
    }
    feeds.failing = {"/down": (500, {}), "/busy": (503, {"Retry-After": "900"})}
    clock = Clock()
    names = ["ok", "down", "busy", "broken", "page"]
    polling = poller(feed_store, Counting(translator), url, names, clock)
    with caplog.at_level(logging.WARNING, logger="depeche.feeds"):
        reports = polling.poll_due()
    assert outcomes(reports) == [
        ("ok", "new", 1),
        ("down", "failed", 0),
        ("busy", "failed", 0),
        ("broken", "failed", 0),
        ("page", "failed", 0),
    ]
    errors = {r.feed: (r.error, r.again_at) for r in reports}
    start = clock.now
    assert errors["down"] == (f"{url}/down: 500 Internal Server Error", start + 60)
    assert errors["busy"][1] == start + 900  # the server's Retry-After, over the backoff
    assert "not well-formed XML" in str(errors["broken"][0])
    assert "not an RSS or Atom feed" in str(errors["page"][0])
    logged = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("feed down: ") and "500" in m and "again in 60 s" in m for m in logged)

    clock.now += 60  # only the failed feeds whose backoff is over are due
    assert outcomes(polling.poll_due()) == [
        ("down", "failed", 0),
        ("broken", "failed", 0),
        ("page", "failed", 0),
    ]
    state = feed_store.feeds.get("down")
    assert state is not None and (state.failures, state.next_at) == (2, clock.now + 120)
    del feeds.failing["/down"]
    feeds.feeds["/down"] = rss(1)
    clock.now += 120
    assert outcomes(polling.poll_due())[0] == ("down", "new", 1)
    state = feed_store.feeds.get("down")
    assert state is not None and (state.failures, state.last_error) == (0, None)
    assert feed_store.feeds.get("ok").english is not None  # type: ignore[union-attr]


def test_two_pollers_on_one_store_never_poll_a_feed_at_once(
    translator: Translator, feed_store: Store, site: tuple[FeedSite, str], tmp_path: Path
) -> None:
    feeds, url = site
    feeds.feeds = {"/ouest": rss(1, 0)}
    hold = feeds.held["/ouest"] = threading.Event()
    clock = Clock()
    one, two = Counting(translator), Counting(translator)
    other = connect(f"sqlite:///{tmp_path}/store.sqlite3")
    first = poller(feed_store, one, url, ["ouest"], clock)
    second = poller(other, two, url, ["ouest"], clock)
    done: list[Any] = []
    polling = threading.Thread(target=lambda: done.extend(first.poll_due()))
    polling.start()
    wait_for(lambda: feed_store.feeds.get("ouest").lease is not None)  # type: ignore[union-attr]
    assert second.poll_due(every=True) == []  # held by the first
    hold.set()
    polling.join()
    assert outcomes(done) == [("ouest", "new", 2)]
    assert outcomes(second.poll_due(every=True)) == [("ouest", "not_modified", 0)]
    feeds.feeds["/ouest"] = rss(2, 1, 0)
    clock.now += 300
    assert outcomes(second.poll_due()) == [("ouest", "new", 1)]
    assert one.asked == [{None, "item-0", "item-1"}] and two.asked == [{None, "item-2"}]
    other.close()


def test_the_digest_shows_each_new_entry_summarized(
    translator: Translator,
    summarizer: Summarizer,
    feed_store: Store,
    site: tuple[FeedSite, str],
    tmp_path: Path,
) -> None:
    feeds, url = site
    feeds.feeds = {"/sud": wire_items.ATOM}
    out = tmp_path / "out"
    polling = poller(
        feed_store, Counting(translator), url, ["sud"], Clock(), out=out, summarizer=summarizer
    )
    polling.poll_due()
    whole = translator.translate_article(wire_items.ATOM, "atom")
    bodies = {p.entry: r.english_prose() for p, r in whole.pieces if p.role == "body"}
    summaries = {
        e.findtext(f"{A}id"): e.findtext(f"{A}summary")
        for e in ET.parse(out / "digest.atom").getroot().findall(f"{A}entry")
    }
    for entry in ("urn:depeche:test:atom:1", "urn:depeche:test:atom:2"):
        expected = summarizer.summarize(bodies[entry]).text
        assert summaries[digest.entry_id("sud", entry)] == expected


class Faulty(Counting):
    """A translator with a fault of its own on Atom feeds."""

    def translate_items(self, documents: Sequence[wire.WireDocument]) -> Any:
        if any(document.name == "atom" for document in documents):
            raise RuntimeError("a bug")
        return super().translate_items(documents)


def test_a_fault_of_depeches_own_fails_that_feed_only(
    translator: Translator,
    feed_store: Store,
    site: tuple[FeedSite, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    feeds, url = site
    feeds.feeds = {"/sud": wire_items.ATOM, "/ouest": rss(0)}
    polling = poller(feed_store, Faulty(translator), url, ["sud", "ouest"], Clock())
    with caplog.at_level(logging.ERROR, logger="depeche.feeds"):
        reports = polling.poll_due()
    assert outcomes(reports) == [("sud", "failed", 0), ("ouest", "new", 1)]
    assert reports[0].error == f"{url}/sud: a bug"
    assert any(
        r.exc_info and "feed sud: unexpected error" in r.getMessage() for r in caplog.records
    )
    state = feed_store.feeds.get("sud")
    assert state is not None and (state.failures, state.lease) == (1, None)
