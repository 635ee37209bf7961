"""Polling feeds: each RSS or Atom source fetched on its interval with conditional GETs, each
new entry translated once, and an English feed kept per source, in the source's format.

A poll claims the feed in the store (a lease, as jobs are claimed), so that servers and
pollers sharing a store never poll one feed at once. A source that has not changed answers
304 and costs nothing more. A changed one is made English (`service.feed_english`: the
entries the store does not know, by their id, are translated; the others keep the English
they were given when new). What a poll found is written in one transaction with the lease,
then the English feed and the digest (`service.digest`) as files when asked for. A source
that fails (down, 5xx, not a feed) is tried again after a backoff and reported; the others
go on, whatever the fault.

The clock is the caller's, and `poll_due` one step, so that tests poll a step at a time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import digest
from .backoff import Backoff
from .errors import DepecheError
from .feed_english import english_feed
from .feed_sources import FeedSource
from .fetching import (
    SOURCE_BACKOFF,
    Fetcher,
    FetchError,
    NotModified,
    Schedule,
    Validators,
)
from .formats import decode
from .leases import Heartbeat, new_lease
from .output import write_atomic
from .store import Store
from .store.feeds import FeedState, Poll

if TYPE_CHECKING:
    from .summarizer import Summarizer
    from .translator import Translator

log = logging.getLogger(__name__)

Outcome = Literal["new", "unchanged", "not_modified", "failed"]
# Entries a feed no longer holds are forgotten this long after they were first seen.
KEEP_S = 30 * 86400.0
# Seconds a polling loop waits at most between looks at the store (a feed whose schedule
# another poller changed is found within this).
MAX_WAIT_S = 30.0
SUFFIXES = {"rss": ".rss", "atom": ".atom"}


@dataclass(frozen=True)
class PollReport:
    """What one poll of a feed did: its outcome, the entries it translated, and, when it
    failed, why and when it is tried again."""

    feed: str
    outcome: Outcome
    new: int = 0
    error: str | None = None
    again_at: float | None = None


class FeedPoller:
    """Polls `sources` into `store`, translating with `translator` (and summarizing the
    digest's entries with `summarizer`, else showing their English description). With
    `out`, the English feeds (`NAME.rss`, `NAME.atom`) and the digest (`digest.atom`) are
    written there, each atomically. `on_poll` hears of each poll (metrics, logs)."""

    def __init__(
        self,
        store: Store,
        translator: Translator,
        sources: Sequence[FeedSource],
        *,
        summarizer: Summarizer | None = None,
        fetcher: Fetcher | None = None,
        out: Path | None = None,
        lease_s: float = 60.0,
        clock: Callable[[], float] = time.time,
        backoff: Backoff = SOURCE_BACKOFF,
        random: Callable[[], float] | None = None,
        on_poll: Callable[[PollReport], None] | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.store = store
        self.translator = translator
        self.sources = list(sources)
        self.summarizer = summarizer
        self.fetcher = fetcher or Fetcher()
        self.out = out
        self.lease_s = lease_s
        self.clock = clock
        self.backoff = backoff
        self.random = random
        self.on_poll = on_poll
        self.stop = stop or threading.Event()
        self.heartbeat = Heartbeat(lease_s / 3, self.stop)
        self._configured = False

    def configure(self) -> None:
        """Make the store know each source (a feed whose URL changed starts afresh)."""
        for source in self.sources:
            self.store.feeds.configure(source.name, source.url)
        self._configured = True

    def poll_due(self, every: bool = False) -> list[PollReport]:
        """Poll each feed that is due (`every`: each feed), unless another poller holds it."""
        if not self._configured:
            self.configure()
        reports = []
        for source in self.sources:
            if self.stop.is_set():
                break
            report = self.poll(source, due_only=not every)
            if report is not None:
                reports.append(report)
        changed = any(r.outcome in ("new", "unchanged") for r in reports)
        if self.out is not None and (changed or not (self.out / digest.FILE).exists()):
            self.write_digest()
        return reports

    def poll(self, source: FeedSource, due_only: bool = True) -> PollReport | None:
        """Poll `source` once, if it can be claimed (and, with `due_only`, it is due)."""
        now = self.clock()
        lease = new_lease()
        state = self.store.feeds.claim(source.name, lease, now + self.lease_s, now, due_only)
        if state is None:
            return None

        def renew() -> bool:
            return self.store.feeds.renew(source.name, lease, self.clock() + self.lease_s)

        self.heartbeat.hold(lease, renew, lambda: None)
        try:
            report, poll, english = self._poll(source, state, now)
            if not self.store.feeds.polled(source.name, lease, poll, now - KEEP_S):
                log.warning("feed %s: another poller took it over", source.name)
                return None
        except BaseException:
            self.store.feeds.release(source.name, lease)
            raise
        finally:
            self.heartbeat.drop(lease)
        if self.out is not None:
            format = poll.format or state.format
            path = self._path(source.name, format)
            english = english or (state.english if path and not path.exists() else None)
            if path is not None and english is not None:
                write_atomic(path, english)
        if self.on_poll is not None:
            self.on_poll(report)
        return report

    def _poll(
        self, source: FeedSource, state: FeedState, now: float
    ) -> tuple[PollReport, Poll, str | None]:
        """What polling `source` found: the report, what to store, and the English feed."""
        validators = Validators(state.etag, state.last_modified)
        schedule = Schedule(state.next_at, state.failures, state.last_error)
        try:
            answer = self.fetcher.get(source.url, validators)
            if isinstance(answer, NotModified):
                kept = self._succeeded(answer.validators, now, source.interval)
                return PollReport(source.name, "not_modified"), kept, None
            text = decode(answer.body, source.url)
            done = english_feed(
                source.name, text, self.store, self.translator, self.summarizer, self.clock()
            )
        except Exception as exc:
            if not isinstance(exc, DepecheError):  # a fault of depeche's: the others go on
                log.exception("feed %s: unexpected error", source.name)
            error = exc if isinstance(exc, FetchError) else FetchError(f"{source.url}: {exc}")
            failed = schedule.failed(now, error, self.backoff, self.random)
            log.warning("feed %s: %s (again in %.0f s)", source.name, error, failed.next_at - now)
            poll = Poll(
                state.etag,
                state.last_modified,
                failed.next_at,
                failed.failures,
                failed.last_error,
                now,
            )
            report = PollReport(source.name, "failed", error=str(error), again_at=failed.next_at)
            return report, poll, None
        log.info("feed %s: %d new", source.name, len(done.entries))
        changed = done.text != state.english or done.format != state.format
        poll = replace(
            self._succeeded(answer.validators, now, source.interval),
            format=done.format,
            english=done.text if changed else None,
            entries=done.entries,
            current=done.ids,
        )
        outcome: Outcome = "new" if done.entries else "unchanged"
        return PollReport(source.name, outcome, len(done.entries)), poll, done.text

    @staticmethod
    def _succeeded(validators: Validators, now: float, interval: float) -> Poll:
        return Poll(validators.etag, validators.last_modified, now + interval, 0, None, now)

    # -- files ------------------------------------------------------------------------------

    def _path(self, name: str, format: str | None) -> Path | None:
        """Where the English feed `name` is written (None: not yet known)."""
        if self.out is None or format not in SUFFIXES:
            return None
        return self.out / f"{name}{SUFFIXES[format]}"

    def write_digest(self) -> None:
        """Write the digest of the store's latest entries under `out`."""
        assert self.out is not None
        entries = self.store.feed_entries.recent(digest.ENTRIES)
        write_atomic(self.out / digest.FILE, digest.render(entries))

    # -- running ----------------------------------------------------------------------------

    def once(self) -> list[PollReport]:
        """Poll each feed once, now (cron), its lease renewed while it is polled."""
        self.heartbeat.start()
        return self.poll_due(every=True)

    def run(self) -> None:
        """Poll until `stop` is set, each feed when it is due, its lease renewed while it is
        polled."""
        self.heartbeat.start()
        while not self.stop.is_set():
            try:
                self.poll_due()
                wait = self._next_due() - self.clock()
            except DepecheError as exc:  # the store is away: try again later
                log.warning("feeds: %s", exc)
                wait = MAX_WAIT_S
            self.stop.wait(min(max(wait, 0.5), MAX_WAIT_S))

    def _next_due(self) -> float:
        names = {source.name for source in self.sources}
        due = [f.next_at for f in self.store.feeds.all() if f.name in names]
        return min(due, default=self.clock() + MAX_WAIT_S)

    def close(self) -> None:
        self.stop.set()
        self.fetcher.close()
