"""The sentence stage: the English of each sentence, from the first place that has it.

In order: an editor's approved translation (`approvals`); the sentence itself, where it is
English already and may be kept so (`language`); the sentence cache (`sentence_cache`); else
the engine, through the runtime's batch queue (`runtime`), a sentence past the model's input
limit cut at clause boundaries first (`sentences.split_long`) and its pieces' English
joined. Alignments, which target word the model made of which source word, come through the
same queue (`align`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from . import language, sentences
from .approvals import ApprovedTranslations
from .results import Output
from .runtime import Alignment, ModelRuntime
from .sentence_cache import SentenceCache

log = logging.getLogger(__name__)


class SentenceStage:
    """Sentences to their English, with `runtime`'s engine, `cache` and the approvals
    `approvals()` gives (None while the store is away: the model answers alone)."""

    def __init__(
        self,
        runtime: ModelRuntime,
        cache: SentenceCache,
        approvals: Callable[[], ApprovedTranslations | None],
    ) -> None:
        self.runtime = runtime
        self.cache = cache
        self.approvals = approvals

    def translate(self, texts: Sequence[str], english: Sequence[bool] = ()) -> list[Output]:
        """The English of each text, one for one (the same text once). `english[i]`: text i
        is an article's sentence, kept as written where it is English already (what is
        asked for by name, a sentence or an image's alt text, is always translated)."""
        if not texts:
            return []
        keep = dict.fromkeys(texts, False)
        for text, may_keep in zip(texts, english, strict=False):
            keep[text] = keep[text] or may_keep
        found = self._approved(list(keep))
        found.update(
            (text, Output(text, english=True))
            for text, may_keep in keep.items()
            if may_keep and text not in found and language.is_english(text)
        )
        found.update(self.cache.lookup([t for t in keep if t not in found]))
        fresh = self._engine([t for t in keep if t not in found])
        self.cache.store(fresh)
        found.update(fresh)
        return [found[text] for text in texts]

    def align(self, texts: Sequence[str], outputs: Sequence[Output]) -> list[Alignment]:
        """Which target word came from which source word, for each text and its output (none
        where the English is not the model's, or was made of pieces)."""
        return self.runtime.align(texts, outputs) if texts else []

    def _approved(self, texts: list[str]) -> dict[str, Output]:
        approvals = self.approvals()
        approved = approvals.lookup(texts) if approvals is not None else {}
        return {
            text: Output(approval.text, cached=True, approved=True)
            for text, approval in approved.items()
        }

    def _engine(self, texts: Sequence[str]) -> dict[str, Output]:
        """The model's English of each text: a text past the input limit is cut into pieces,
        translated with the others, and joined."""
        if not texts:
            return {}
        runtime = self.runtime
        tokenizer = runtime.tokenizer
        pieces: list[list[int]] = []
        owners: list[int] = []
        for owner, (text, encoded) in enumerate(zip(texts, tokenizer.encode(texts), strict=True)):
            if len(encoded) <= runtime.input_limit:
                pieces.append(encoded)
                owners.append(owner)
                continue
            cuts = sentences.split_long(text, tokenizer.count, runtime.input_limit)
            pieces.extend(tokenizer.encode([text[a:b] for a, b in cuts]))
            owners.extend([owner] * len(cuts))
        generated, capped, scores = runtime.generate(pieces)
        english = tokenizer.decode(generated)
        grouped: list[list[int]] = [[] for _ in texts]
        for index, owner in enumerate(owners):
            grouped[owner].append(index)
        return {
            text: Output(
                " ".join(english[i] for i in indices),
                any(capped[i] for i in indices),
                (pieces[indices[0]], generated[indices[0]]) if len(indices) == 1 else None,
                score=joined_score([scores[i] for i in indices], [generated[i] for i in indices]),
            )
            for text, indices in zip(texts, grouped, strict=True)
        }


def joined_score(scores: Sequence[float], outputs: Sequence[list[int]]) -> float:
    """The mean log-probability per token of pieces translated apart and joined: each
    piece's mean weighted by its tokens (its end of sentence included)."""
    weights = [len(ids) + 1 for ids in outputs]
    return sum(s * w for s, w in zip(scores, weights, strict=True)) / sum(weights)
