"""The sentence cache: each sentence's machine translation, kept in the cache under a key that
covers the model, its settings and the sentence, so that an article sent again with one
sentence edited pays the engine for that sentence only. It holds only what may be lost
(`cache clear` empties it); what editors approved lives in the store (`approvals`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .cache import Cache, cache_key
from .results import Output


class SentenceCache:
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
                found[keys[key]] = Output(
                    data["text"], data["capped"], ids, cached=True, score=float(data["score"])
                )
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
                    {
                        "text": o.text,
                        "capped": o.capped,
                        "ids": list(o.ids) if o.ids else None,
                        "score": o.score,
                    }
                ).encode()
                for sentence, o in outputs.items()
            }
        )
