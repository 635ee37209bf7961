"""Batch: group sentences by a token budget over length-sorted input.

Sorting by length keeps padding small; the budget counts padded source tokens
(batch size * longest source), which is what an encoder pays for.
"""

from __future__ import annotations

from collections.abc import Sequence


def token_batches(lengths: Sequence[int], max_tokens: int, max_size: int) -> list[list[int]]:
    """Indices of `lengths`, grouped into batches; each index appears exactly once.

    Batches hold sentences of similar length (sorted, longest first) and never exceed
    `max_tokens` padded tokens nor `max_size` sentences; a single sentence longer than the
    budget still gets a batch of its own.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        length = lengths[index]
        width = max(longest, length)
        if current and (width * (len(current) + 1) > max_tokens or len(current) >= max_size):
            batches.append(current)
            current, width = [], length
        current.append(index)
        longest = width
    if current:
        batches.append(current)
    return batches
