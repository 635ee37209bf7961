"""The feeds' tables, on SQLite and on PostgreSQL alike: one poller at a time per feed, what a
poll found written with its lease, entries remembered and forgotten."""

from __future__ import annotations

from depeche.store import Store
from depeche.store.feeds import FeedEntry, Poll


def entry(id: str, seen: float = 100.0, feed: str = "ouest") -> FeedEntry:
    return FeedEntry(feed, id, seen, f"<item>{id}</item>", f"Title {id}", f"https://x/{id}", "S.")


def test_one_poller_at_a_time_holds_a_feed_until_its_lease_runs_out(store: Store) -> None:
    store.feeds.configure("ouest", "http://127.0.0.1/ouest.rss")
    held = store.feeds.claim("ouest", "a", 160.0, 100.0)
    assert held is not None and held.url == "http://127.0.0.1/ouest.rss"
    assert store.feeds.claim("ouest", "b", 170.0, 110.0) is None
    assert store.feeds.renew("ouest", "a", 200.0)
    assert store.feeds.claim("ouest", "b", 260.0, 201.0) is not None  # "a" stopped renewing
    assert not store.feeds.renew("ouest", "a", 300.0)
    poll = Poll("e1", None, 500.0, 0, None, 202.0)
    assert not store.feeds.polled("ouest", "a", poll, 0.0)  # "a" writes nothing any more
    assert store.feeds.polled("ouest", "b", poll, 0.0)
    found = store.feeds.get("ouest")
    assert found is not None and (found.etag, found.next_at, found.lease) == ("e1", 500.0, None)
    assert store.feeds.claim("ouest", "c", 600.0, 400.0) is None  # not due
    assert store.feeds.claim("ouest", "c", 600.0, 400.0, due_only=False) is not None
    store.feeds.release("ouest", "c")
    assert store.feeds.claim("ouest", "d", 600.0, 500.0) is not None


def test_a_poll_writes_its_entries_and_forgets_old_ones_the_feed_no_longer_holds(
    store: Store,
) -> None:
    store.feeds.configure("ouest", "http://127.0.0.1/ouest.rss")
    store.feeds.configure("sud", "http://127.0.0.1/sud.atom")
    first = Poll(
        None, None, 200.0, 0, None, 100.0, "rss", "<rss/>", [entry("a"), entry("b")], ["a", "b"]
    )
    store.feeds.claim("ouest", "l1", 160.0, 100.0)
    assert store.feeds.polled("ouest", "l1", first, 0.0)
    store.feeds.claim("sud", "l2", 160.0, 100.0)
    store.feeds.polled(
        "sud",
        "l2",
        Poll(
            None, None, 200.0, 0, None, 100.0, "atom", "<feed/>", [entry("a", 150.0, "sud")], ["a"]
        ),
        0.0,
    )
    assert set(store.feed_entries.known("ouest", ["a", "b", "c"])) == {"a", "b"}
    assert store.feed_entries.known("ouest", ["b"])["b"] == entry("b")
    later = Poll(
        None, None, 900.0, 0, None, 300.0, "rss", "<rss>2</rss>", [entry("c", 300.0)], ["b", "c"]
    )
    store.feeds.claim("ouest", "l3", 360.0, 300.0)
    assert store.feeds.polled("ouest", "l3", later, forget_before=150.0)
    assert set(store.feed_entries.known("ouest", ["a", "b", "c"])) == {"b", "c"}
    assert [(e.feed, e.id) for e in store.feed_entries.recent(2)] == [("ouest", "c"), ("sud", "a")]
    state = store.feeds.get("ouest")
    assert state is not None and (state.english, state.updated) == ("<rss>2</rss>", 300.0)
    assert store.feed_entries.count("ouest") == 2


def test_a_failed_poll_keeps_the_english_feed_and_a_new_url_starts_afresh(store: Store) -> None:
    store.feeds.configure("ouest", "http://127.0.0.1/ouest.rss")
    store.feeds.claim("ouest", "l1", 160.0, 100.0)
    store.feeds.polled("ouest", "l1", Poll("e1", "d1", 200.0, 0, None, 100.0, "rss", "<rss/>"), 0.0)
    store.feeds.claim("ouest", "l2", 260.0, 200.0)
    store.feeds.polled("ouest", "l2", Poll("e1", "d1", 400.0, 1, "down", 200.0), 0.0)
    state = store.feeds.get("ouest")
    assert state is not None
    assert (state.english, state.updated, state.failures, state.last_error) == (
        "<rss/>",
        100.0,
        1,
        "down",
    )
    store.feeds.configure("ouest", "http://127.0.0.1/ouest.rss")
    assert store.feeds.get("ouest") == state  # the same source: nothing forgotten
    store.feeds.configure("ouest", "http://127.0.0.1/other.rss")
    moved = store.feeds.get("ouest")
    assert moved is not None and (moved.etag, moved.last_modified, moved.next_at) == (
        None,
        None,
        0.0,
    )
    assert [f.name for f in store.feeds.all()] == ["ouest"] and store.feeds.all()[0].english is None
