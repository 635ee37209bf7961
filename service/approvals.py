"""Approved translations: the English editors approved for sentences, which wins over any
model, and the suggestions waiting for an editor.

An approved translation lives in the store (`store.approvals`), apart from the cache: never
evicted, left by `cache clear`, shared by the replicas on one store. (The CLI's `depeche
memory` and the API's `/v1/memory` are these.)
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from .cache import normalize
from .config import Settings
from .errors import InputError, NotFoundError, StoreUnavailableError
from .store import Store, open_store
from .store.records import Approval, Suggestion, now_iso

__all__ = [
    "Approval",
    "ApprovalsStore",
    "ApprovedTranslations",
    "Suggestion",
    "pairs_of",
    "sentence_key",
]

log = logging.getLogger(__name__)

# After the store could not be opened, how long translations go on without approvals before
# it is tried again.
STORE_RETRY_S = 30.0


def sentence_key(source: str) -> str:
    """What an approval is found by: the sentence in NFC, its whitespace collapsed."""
    return " ".join(normalize(source).split())


def utc(when: str) -> str | None:
    """An ISO 8601 moment written as approvals' are (UTC, seconds, `Z`), so that two compare
    as strings; None when it is no date."""
    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class ApprovedTranslations:
    """Approved translations in the store, shared by every replica on it, and suggestions
    waiting for an editor. The generation changes with every change, so that whole articles
    cached before it are not served after it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def lookup(self, sentences: Sequence[str]) -> dict[str, Approval]:
        """The approvals of `sentences`; none while the store is away (the model answers)."""
        if not sentences:
            return {}
        keys = {sentence_key(s): s for s in sentences}
        try:
            found = self.store.approvals.get(list(keys))
        except StoreUnavailableError as exc:
            log.warning("approved translations unavailable: %s", exc)
            return {}
        return {keys[key]: approval for key, approval in found.items()}

    def generation(self) -> str:
        """A token that changes whenever an approval is added or removed (one indexed read)."""
        try:
            return self.store.approvals.generation()
        except StoreUnavailableError:
            return "unavailable"

    def approve(self, pairs: Iterable[tuple[str, str]], who: str) -> list[Approval]:
        """Store `(source, approved English)` pairs; a later approval replaces an earlier."""
        when = now_iso()
        done = [_approval(source, text, who, when) for source, text in pairs]
        self.store.approvals.put(done)
        return done

    def load(self, approvals: Iterable[Approval]) -> int:
        """Store approvals as they are (imported: who and when kept), but for those older
        than the approval already held for their source, which stays; how many were stored."""
        incoming = [_approval(a.source, a.text, a.who, utc(a.when) or a.when) for a in approvals]
        held = self.store.approvals.get([a.source for a in incoming]) if incoming else {}
        kept = []
        for approval in incoming:
            current = held.get(approval.source)
            when = utc(current.when) if current is not None else None
            if when is not None and when > approval.when:
                continue  # a newer approval stands
            kept.append(approval)
        self.store.approvals.put(kept)
        return len(kept)

    def approve_text(self, source: str, text: str, who: str) -> list[Approval]:
        """Approve the translation of a whole text: sentence by sentence when both cut into
        as many sentences, else as one."""
        return self.approve(pairs_of(source, text), who)

    def delete(self, sources: Iterable[str]) -> int:
        """Remove the approvals of `sources`; how many there were."""
        return self.store.approvals.delete([sentence_key(s) for s in sources])

    def all(self) -> list[Approval]:
        """Every approval, by source."""
        return self.store.approvals.all()

    def clear(self) -> int:
        """Remove every approval; how many there were."""
        return self.delete([a.source for a in self.all()])

    # -- suggestions: stored for review, never used until approved ---------------------------

    def suggest(self, source: str, text: str, who: str) -> Suggestion:
        """Keep a suggested translation of `source` for an editor to approve or reject."""
        if not source.strip() or not text.strip():
            raise InputError("a suggestion needs a source and a translation")
        # To the microsecond: the list is oldest first.
        suggestion = Suggestion(secrets.token_hex(16), source, text, who, now_iso("microseconds"))
        self.store.suggestions.put(suggestion)
        return suggestion

    def suggestions(self) -> list[Suggestion]:
        """The suggestions waiting for an editor, oldest first."""
        return self.store.suggestions.all()

    def accept(self, suggestion_id: str, who: str) -> list[Approval]:
        """Approve a pending suggestion in `who`'s name (as `approve_text` does); the
        approvals. `NotFoundError` when it is not pending."""
        suggestion = self.store.suggestions.get(suggestion_id)
        if suggestion is None:
            raise NotFoundError(f"suggestion {suggestion_id!r} not found")
        when = now_iso()
        done = [_approval(s, t, who, when) for s, t in pairs_of(suggestion.source, suggestion.text)]
        if not self.store.suggestions.resolve(suggestion_id, done):
            raise NotFoundError(f"suggestion {suggestion_id!r} not found")
        return done

    def reject(self, suggestion_id: str) -> None:
        """Forget a pending suggestion; `NotFoundError` when it is not pending."""
        if not self.store.suggestions.delete(suggestion_id):
            raise NotFoundError(f"suggestion {suggestion_id!r} not found")


def _approval(source: str, text: str, who: str, when: str) -> Approval:
    """An approval as stored: the source as keyed, the English's whitespace collapsed."""
    approval = Approval(sentence_key(source), " ".join(text.split()), who, when)
    if not approval.source or not approval.text:
        raise InputError("an approved translation needs a source and a translation")
    return approval


def pairs_of(source: str, text: str) -> list[tuple[str, str]]:
    """A text and its translation as (source, English) pairs: sentence by sentence when both
    cut into as many sentences, else whole."""
    from . import sentences

    ours = [source[a:b] for a, b in sentences.split(source, "fr")]
    theirs = [text[a:b] for a, b in sentences.split(text, "en")]
    if len(ours) == len(theirs) > 1:
        return list(zip(ours, theirs, strict=True))
    return [(source, text)]


class ApprovalsStore:
    """The store a translator reads approvals from: `store` when given, else the one of
    `settings` (`DEPECHE_STORE_URL`), opened on first use. Translating goes on without
    approvals while it cannot be opened, and it is tried again `STORE_RETRY_S` later."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self._store = store
        self._owned = store is None
        self._lock = threading.Lock()
        self._down_until = 0.0

    @property
    def store(self) -> Store:
        """The store (opened on first use; `StoreUnavailableError` when it cannot be)."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_store(self.settings)
        return self._store

    def for_translating(self) -> ApprovedTranslations | None:
        """The approvals; None (the model answers alone) while the store cannot be
        opened."""
        if self._store is None and time.monotonic() < self._down_until:
            return None
        try:
            return ApprovedTranslations(self.store)
        except StoreUnavailableError as exc:
            self._down_until = time.monotonic() + STORE_RETRY_S
            log.warning("translating without approved translations: %s", exc)
            return None

    def generation(self) -> str:
        """The approvals' generation (one indexed read): part of every cached article's
        key."""
        approvals = self.for_translating()
        return approvals.generation() if approvals is not None else "unavailable"

    def close(self) -> None:
        """Close the store if it was opened here; the next use opens it again."""
        with self._lock:
            if self._owned and self._store is not None:
                self._store.close()
                self._store = None
