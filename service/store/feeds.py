"""Polled feeds in the store: each feed's state between polls (its validators, when it is due,
how it has been failing, its latest English version) and the entries already translated.

A poller claims a feed with a lease before polling it, as a worker claims a job
(`store.jobs`): replicas polling the same feeds never poll one at once, so no entry is
translated twice; what a poll found is written with its lease, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .sql import chunks, marks
from .tables import Table, findable


@dataclass(frozen=True)
class FeedState:
    """A feed as the last poll left it. `english` is its English version (None until a
    poll made one), in `format` (rss, atom), written at `updated`; times are seconds since
    the epoch."""

    name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    next_at: float = 0.0
    failures: int = 0
    last_error: str | None = None
    polled: float | None = None
    lease: str | None = None
    lease_until: float | None = None
    format: str | None = None
    english: str | None = None
    updated: float | None = None


@dataclass(frozen=True)
class FeedEntry:
    """An entry of a feed, translated once: its id in the feed, when it was first seen, its
    English as written in the English feed, and what the digest shows of it."""

    feed: str
    id: str
    seen: float
    english: str
    title: str
    link: str
    summary: str


@dataclass(frozen=True)
class Poll:
    """What a poll found, to write: the feed's new state and the entries it translated."""

    etag: str | None
    last_modified: str | None
    next_at: float
    failures: int
    last_error: str | None
    polled: float
    format: str | None = None
    english: str | None = None  # None: the English feed is left as it was
    entries: Sequence[FeedEntry] = ()
    current: Sequence[str] = ()  # the ids the feed holds now (with `english`)


_STATE = (
    "name, url, etag, last_modified, next_at, failures, last_error, polled, lease, "
    "lease_until, format, english, updated"
)
_ENTRY = "feed, id, seen, english, title, link, summary"


class Feeds(Table):
    """The `feeds` table."""

    def configure(self, name: str, url: str) -> None:
        """Add the feed `name`, or give it a new `url` (a new source: what the old one's
        answers said about their version is forgotten, and it is due at once)."""
        same = "feeds.url = excluded.url"
        with self.store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO feeds (name, url) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                f"etag = CASE WHEN {same} THEN feeds.etag ELSE NULL END, "
                f"last_modified = CASE WHEN {same} THEN feeds.last_modified ELSE NULL END, "
                f"next_at = CASE WHEN {same} THEN feeds.next_at ELSE 0 END, "
                "url = excluded.url",
                (name, url),
            )

    def get(self, name: str) -> FeedState | None:
        """The feed `name`, if the store has it."""
        if not findable(name):
            return None
        with self.store.read() as cursor:
            row = cursor.execute(f"SELECT {_STATE} FROM feeds WHERE name = ?", (name,)).fetchone()
        return None if row is None else FeedState(*row)

    def all(self) -> list[FeedState]:
        """Every feed, by name (without their English, which `get` gives)."""
        columns = _STATE.replace("english", "NULL")
        with self.store.read() as cursor:
            rows = cursor.execute(f"SELECT {columns} FROM feeds ORDER BY name").fetchall()
        return [FeedState(*row) for row in rows]

    def claim(
        self, name: str, lease: str, until: float, now: float, due_only: bool = True
    ) -> FeedState | None:
        """The feed `name`, now held under `lease` until `until`, unless another holds it
        (or, with `due_only`, it is not due yet)."""
        due = " AND next_at <= ?" if due_only else ""
        with self.store.transaction() as cursor:
            row = cursor.execute(
                "UPDATE feeds SET lease = ?, lease_until = ? WHERE name = ? "
                f"AND (lease IS NULL OR lease_until < ?){due} RETURNING {_STATE}",
                [lease, until, name, now, *([now] if due_only else [])],
            ).fetchone()
        return None if row is None else FeedState(*row)

    def renew(self, name: str, lease: str, until: float) -> bool:
        """Hold the feed until `until`; False when its lease was lost."""
        with self.store.transaction() as cursor:
            done = cursor.execute(
                "UPDATE feeds SET lease_until = ? WHERE name = ? AND lease = ?",
                (until, name, lease),
            )
            return bool(done.rowcount)

    def release(self, name: str, lease: str) -> None:
        """Let the feed go, unchanged."""
        with self.store.transaction() as cursor:
            cursor.execute(
                "UPDATE feeds SET lease = NULL, lease_until = NULL WHERE name = ? AND lease = ?",
                (name, lease),
            )

    def polled(self, name: str, lease: str, poll: Poll, forget_before: float) -> bool:
        """Write what a poll found and let the feed go, in one transaction: its state, its
        new entries, and (with a new English feed) the forgetting of entries it no longer
        holds that were first seen before `forget_before`. False (nothing written) when the
        lease was lost."""
        with self.store.transaction() as cursor:
            english = ", format = ?, english = ?, updated = ?" if poll.english is not None else ""
            params: list[Any] = [poll.etag, poll.last_modified, poll.next_at, poll.failures]
            params += [poll.last_error, poll.polled]
            if poll.english is not None:
                params += [poll.format, poll.english, poll.polled]
            done = cursor.execute(
                "UPDATE feeds SET etag = ?, last_modified = ?, next_at = ?, failures = ?, "
                f"last_error = ?, polled = ?{english}, lease = NULL, lease_until = NULL "
                "WHERE name = ? AND lease = ?",
                [*params, name, lease],
            )
            if not done.rowcount:
                return False
            for entry in poll.entries:
                cursor.execute(
                    f"INSERT INTO feed_entries ({_ENTRY}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (feed, id) DO NOTHING",
                    [getattr(entry, field) for field in _ENTRY.split(", ")],
                )
            if poll.english is not None:
                old = cursor.execute(
                    "SELECT id FROM feed_entries WHERE feed = ? AND seen < ?",
                    (name, forget_before),
                ).fetchall()
                current = set(poll.current)
                gone = [str(row[0]) for row in old if str(row[0]) not in current]
                for chunk in chunks(gone):
                    cursor.execute(
                        f"DELETE FROM feed_entries WHERE feed = ? AND id IN ({marks(len(chunk))})",
                        [name, *chunk],
                    )
        return True


class FeedEntries(Table):
    """The `feed_entries` table."""

    def known(self, feed: str, ids: Sequence[str]) -> dict[str, FeedEntry]:
        """The entries of `feed` among `ids` already translated, by id."""
        found: dict[str, FeedEntry] = {}
        with self.store.read() as cursor:
            for chunk in chunks([i for i in dict.fromkeys(ids) if findable(i)]):
                rows = cursor.execute(
                    f"SELECT {_ENTRY} FROM feed_entries WHERE feed = ? "
                    f"AND id IN ({marks(len(chunk))})",
                    [feed, *chunk],
                ).fetchall()
                found.update((str(row[1]), FeedEntry(*row)) for row in rows)
        return found

    def recent(self, limit: int) -> list[FeedEntry]:
        """The `limit` entries first seen last, over every feed, newest first."""
        with self.store.read() as cursor:
            rows = cursor.execute(
                f"SELECT {_ENTRY} FROM feed_entries ORDER BY seen DESC, feed, id LIMIT ?",
                (limit,),
            ).fetchall()
        return [FeedEntry(*row) for row in rows]

    def count(self, feed: str) -> int:
        """How many entries of `feed` the store keeps."""
        with self.store.read() as cursor:
            row = cursor.execute(
                "SELECT count(*) FROM feed_entries WHERE feed = ?", (feed,)
            ).fetchone()
        return int(row[0])
