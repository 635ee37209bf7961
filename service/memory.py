"""The translation memory: sentence translations, cached under keys covering the model, and
the translations editors approved, which win over any model.

An article sent again with one sentence edited pays for that sentence only. An approved
translation is a record of the cache backend's store: never evicted, left by `cache clear`,
shared by the replicas on one store.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from .cache import Cache, cache_key, normalize
from .errors import StoreUnavailableError
from .runtime import Output

log = logging.getLogger(__name__)


class TranslationMemory:
    """Sentence -> `Output`, for one model context."""

    def __init__(self, cache: Cache, context: Mapping[str, Any]) -> None:
        self.cache = cache
        self.context = dict(context)

    def _key(self, sentence: str) -> str:
        return cache_key("sentence", self.context, sentence)

    def lookup(self, sentences: Sequence[str]) -> dict[str, Output]:
        """The remembered translations among `sentences`."""
        if not self.cache.enabled or not sentences:
            return {}
        keys = {self._key(s): s for s in sentences}
        found: dict[str, Output] = {}
        for key, value in self.cache.get_many(list(keys)).items():
            try:
                data = json.loads(value)
                ids = (data["ids"][0], data["ids"][1]) if data["ids"] else None
                found[keys[key]] = Output(data["text"], data["capped"], ids, cached=True)
            except (ValueError, KeyError, TypeError, IndexError):
                continue  # an entry we cannot read is a miss
        return found

    def store(self, outputs: Mapping[str, Output]) -> None:
        """Remember new translations."""
        if not self.cache.enabled or not outputs:
            return
        self.cache.set_many(
            {
                self._key(sentence): json.dumps(
                    {"text": o.text, "capped": o.capped, "ids": list(o.ids) if o.ids else None}
                ).encode()
                for sentence, o in outputs.items()
            }
        )


@dataclass(frozen=True)
class Approval:
    """An editor's translation of a source sentence: who approved it (an API key's name,
    "cli"...), and when (ISO 8601, UTC)."""

    source: str
    text: str
    who: str
    when: str


def sentence_key(source: str) -> str:
    """What an approval is found by: the sentence in NFC, its whitespace collapsed."""
    return " ".join(normalize(source).split())


class ApprovedMemory:
    """Approved translations in `cache`'s store. `generation` changes with every change, so
    that whole articles cached before it are not served after it."""

    KIND = "approved"
    META = "approved-meta"

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def lookup(self, sentences: Sequence[str]) -> dict[str, Approval]:
        """The approvals of `sentences`; none while the store is away (the model answers)."""
        if not sentences:
            return {}
        keys = {sentence_key(s): s for s in sentences}
        try:
            found = self.cache.records(self.KIND, list(keys))
        except StoreUnavailableError as exc:
            log.warning("approved translations unavailable: %s", exc)
            return {}
        return {keys[key]: Approval(**json.loads(value)) for key, value in found.items()}

    def generation(self) -> str:
        """A token that changes whenever an approval is added or removed."""
        try:
            found = self.cache.records(self.META, ["generation"]).get("generation", b"")
        except StoreUnavailableError:
            return "unavailable"
        return found.decode()

    def approve(self, pairs: Iterable[tuple[str, str]], who: str) -> list[Approval]:
        """Store `(source, approved English)` pairs; a later approval replaces an earlier."""
        when = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        done = []
        for source, text in pairs:
            approval = Approval(sentence_key(source), " ".join(text.split()), who, when)
            self.cache.put_record(self.KIND, approval.source, json.dumps(asdict(approval)).encode())
            done.append(approval)
        self._changed()
        return done

    def load(self, approvals: Iterable[Approval]) -> int:
        """Store approvals as they are (imported: who and when kept); how many."""
        count = 0
        for approval in approvals:
            kept = Approval(
                sentence_key(approval.source),
                " ".join(approval.text.split()),
                approval.who,
                approval.when,
            )
            self.cache.put_record(self.KIND, kept.source, json.dumps(asdict(kept)).encode())
            count += 1
        self._changed()
        return count

    def approve_text(self, source: str, text: str, who: str) -> list[Approval]:
        """Approve the translation of a whole text: sentence by sentence when both cut into
        as many sentences, else as one."""
        from . import sentences

        ours = [source[a:b] for a, b in sentences.split(source, "fr")]
        theirs = [text[a:b] for a, b in sentences.split(text, "en")]
        if len(ours) == len(theirs) > 1:
            return self.approve(zip(ours, theirs, strict=True), who)
        return self.approve([(source, text)], who)

    def delete(self, sources: Iterable[str]) -> int:
        """Remove the approvals of `sources`; how many there were."""
        removed = sum(self.cache.delete_record(self.KIND, sentence_key(s)) for s in sources)
        self._changed()
        return removed

    def all(self) -> list[Approval]:
        """Every approval, by source."""
        found = [Approval(**json.loads(v)) for v in self.cache.records(self.KIND).values()]
        return sorted(found, key=lambda a: a.source)

    def clear(self) -> int:
        """Remove every approval; how many there were."""
        return self.delete([a.source for a in self.all()])

    def _changed(self) -> None:
        self.cache.put_record(self.META, "generation", secrets.token_hex(8).encode())
