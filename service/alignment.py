"""Alignment: which target word came from which source word, read off the model's attention."""

from __future__ import annotations

from collections.abc import Sequence

# Word-initial markers of SentencePiece (Marian) and byte-level BPE (BART) pieces.
_WORD_STARTS = ("▁", "Ġ")


def token_words(tokens: Sequence[str], word_count: int) -> list[int]:
    """The word index of each token; -1 for special tokens.

    When the pieces do not split into exactly `word_count` words (normalization moved a
    space), tokens are spread over the words in proportion instead.
    """
    words: list[int] = []
    current = -1
    for token in tokens:
        if token.startswith("<") and token.endswith(">"):
            words.append(-1)
            continue
        if token.startswith(_WORD_STARTS) or current < 0:
            current += 1
        words.append(current)
    if current + 1 == word_count:
        return words
    real = [i for i, w in enumerate(words) if w >= 0]
    for rank, index in enumerate(real):
        words[index] = rank * word_count // max(len(real), 1)
    return words


def word_pairs(
    attention: Sequence[Sequence[float]],
    source_tokens: Sequence[str],
    target_tokens: Sequence[str],
    source_words: int,
    target_words: int,
) -> list[tuple[int, int]]:
    """(target word, source word) pairs: each target token to its most attended source token."""
    source_word_of = token_words(source_tokens, source_words)
    target_word_of = token_words(target_tokens, target_words)
    pairs: set[tuple[int, int]] = set()
    for target_index, row in enumerate(attention[: len(target_tokens)]):
        candidates = [
            (weight, i)
            for i, weight in enumerate(row[: len(source_tokens)])
            if source_word_of[i] >= 0
        ]
        if not candidates or target_word_of[target_index] < 0:
            continue
        _, best = max(candidates)
        pairs.add((target_word_of[target_index], source_word_of[best]))
    return sorted(pairs)
