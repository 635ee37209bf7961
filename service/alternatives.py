"""Alternatives: other translations of a text, from the beam's n-best lists (LibreTranslate's
`alternatives`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from . import flags
from .assemble import reassemble
from .results import ArticleResult
from .runtime import ModelRuntime


def alternatives(
    texts: Sequence[str], results: Sequence[ArticleResult], runtime: ModelRuntime, count: int
) -> list[list[str]]:
    """Up to `count` other translations of each text, translated as `results`: alternative k
    puts each translated sentence's k-th runner-up in its place (sentences kept as they were,
    or an editor's, stay so). Fewer when the beam has no more."""
    translated = [
        s
        for r in results
        for s in r.segments
        if not {flags.ENGLISH, flags.UNTRANSLATED} & set(s.flags) and s.memory is None
    ]
    unique = list(dict.fromkeys(s.source for s in translated))
    found = dict(zip(unique, runtime.alternatives(unique, count + 1), strict=True))
    answers = []
    for text, result in zip(texts, results, strict=True):
        variants: list[str] = []
        for rank in range(1, count + 1):
            segments = [
                replace(s, translation=found[s.source][rank])
                if s.source in found and rank < len(found[s.source])
                else s
                for s in result.segments
            ]
            variant = reassemble(text, segments)
            if variant != result.text and variant not in variants:
                variants.append(variant)
        answers.append(variants)
    return answers
