"""Polling feeds: each RSS or Atom source fetched on its interval with conditional GETs, each
new entry translated once, and an English feed kept per source, in the source's format.

A poll claims the feed in the store (a lease, as jobs are claimed), so that servers and
pollers sharing a store never poll one feed at once. A source that has not changed answers
304 and costs nothing more. A changed one is read; the entries the store does not know (by
their id: RSS's guid, else link, else title; Atom's id) are translated with the feed's own
title and description, and the English feed is the source as it is now with those in
English and the others as they were translated when they were new (an entry's later edits are
not translated again). What a poll found is written in one transaction with the lease, and the
English feed and the digest (`service.digest`) written from the store. A source that fails
(down, 5xx, not a feed) is tried again after a backoff and reported; the others go on.

The clock is the caller's, and `poll_due` one step, so that tests poll a step at a time.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import digest
from .backoff import Backoff
from .errors import DepecheError, ItemError
from .feed_sources import FeedSource
from .fetching import (
    SOURCE_BACKOFF,
    Fetched,
    Fetcher,
    FetchError,
    NotModified,
    Schedule,
    Validators,
)
from .folder import write_atomic
from .formats import plain_text
from .formats.feeds import ATOM, FeedDocument
from .formats.wire import Edit, decode, detect, read, splice
from .formats.xmltext import Element, content
from .leases import Heartbeat, new_lease
from .store import Store
from .store.feeds import FeedEntry, FeedState, Poll

if TYPE_CHECKING:
    from .items import ItemResult
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


@dataclass(frozen=True)
class _Translated:
    english: str
    format: str
    entries: list[FeedEntry]
    current: list[str]


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
            done = self._translate(source, answer)
        except DepecheError as exc:
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
        changed = done.english != state.english or done.format != state.format
        poll = replace(
            self._succeeded(answer.validators, now, source.interval),
            format=done.format,
            english=done.english if changed else None,
            entries=done.entries,
            current=done.current,
        )
        outcome: Outcome = "new" if done.entries else "unchanged"
        return PollReport(source.name, outcome, len(done.entries)), poll, done.english

    @staticmethod
    def _succeeded(validators: Validators, now: float, interval: float) -> Poll:
        return Poll(validators.etag, validators.last_modified, now + interval, 0, None, now)

    # -- translating a changed feed -----------------------------------------------------------

    def _translate(self, source: FeedSource, answer: Fetched) -> _Translated:
        text = decode(answer.body, source.url)
        format = detect(text)
        if format not in ("rss", "atom"):
            raise ItemError("not an RSS or Atom feed")
        document = read(text, format)
        assert isinstance(document, FeedDocument)
        keys = [_key(document, index) for index in range(len(document.entries))]
        known = self.store.feed_entries.known(source.name, keys)
        fresh: list[int] = []  # the first entry of each id the store does not know
        seen = set(known)
        for index, key in enumerate(keys):
            if key not in seen:
                seen.add(key)
                fresh.append(index)
        spans = [(document.entries[i].start, document.entries[i].end) for i in fresh]
        document.select(lambda p: p.entry is None or any(s <= p.start < e for s, e in spans))
        [result] = self.translator.translate_items([document])
        english = read(result.text, format)
        assert isinstance(english, FeedDocument)
        if len(english.entries) != len(document.entries):
            raise ItemError("its English has another number of entries")  # never expected
        fragments = {
            keys[i]: result.text[english.entries[i].start : english.entries[i].end] for i in fresh
        }
        fragments |= {key: entry.english for key, entry in known.items()}
        edits = [
            Edit(entry.start, entry.end, fragments[key])
            for key, entry in zip(keys, english.entries, strict=True)
            if fragments[key] != result.text[entry.start : entry.end]
        ]
        now = self.clock()
        titles, prose = _entry_texts(document, result, fresh)
        summaries = self._summaries([prose[i] for i in fresh])
        links = _links(document)
        entries = [
            FeedEntry(
                source.name,
                keys[i],
                now,
                fragments[keys[i]],
                titles.get(i, ""),
                links.get(document.entries[i].start, ""),
                summary,
            )
            for i, summary in zip(fresh, summaries, strict=True)
        ]
        return _Translated(splice(result.text, edits), format, entries, list(dict.fromkeys(keys)))

    def _summaries(self, prose: list[str]) -> list[str]:
        """What the digest shows of each new entry: its summary, or its English prose when
        summaries are turned off."""
        if self.summarizer is None or not prose:
            return prose
        return [summary.text for summary in self.summarizer.summarize_many(prose)]

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

    def run(self) -> None:
        """Poll until `stop` is set, each feed when it is due."""
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


def _key(document: FeedDocument, index: int) -> str:
    """The id an entry is remembered by: its own, else a hash of it as written."""
    entry = document.entries[index]
    if entry.id.strip():
        return entry.id.strip()
    written = document.text[entry.start : entry.end].encode()
    return f"sha256:{hashlib.sha256(written).hexdigest()}"


def _entry_texts(
    document: FeedDocument, result: ItemResult, fresh: Sequence[int]
) -> tuple[dict[int, str], dict[int, str]]:
    """The English title and prose (body, else description) of each new entry, by index."""
    spans = {i: (document.entries[i].start, document.entries[i].end) for i in fresh}
    titles: dict[int, str] = {}
    bodies: dict[int, str] = {}
    descriptions: dict[int, str] = {}
    for piece, article in result.pieces:
        index = next((i for i, (s, e) in spans.items() if s <= piece.start < e), None)
        if index is None:
            continue
        if piece.role == "headline":
            titles.setdefault(index, plain_text(article.text, piece.format))
        elif piece.role == "body":
            bodies.setdefault(index, article.english_prose())
        elif piece.role == "description":
            descriptions.setdefault(index, article.english_prose())
    prose = {i: bodies.get(i) or descriptions.get(i) or "" for i in fresh}
    return titles, prose


def _links(document: FeedDocument) -> dict[int, str]:
    """The link of each entry (RSS's `<link>`, Atom's alternate `<link href>`), by where
    the entry starts."""
    found: dict[int, str] = {}
    starts = {entry.start for entry in document.entries}
    for element in _walk(document.root):
        if element.start not in starts:
            continue
        for child in element.children:
            if child.name == "link" and not child.children:
                found[element.start] = content(document.text, child).value.strip()
                break
            if (
                child.name == f"{{{ATOM}}}link"
                and child.attributes.get("rel", "alternate") == "alternate"
            ):
                found[element.start] = child.attributes.get("href", "").strip()
                break
    return found


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element.children:
        yield from _walk(child)
