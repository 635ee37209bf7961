"""Token batches: sentences grouped by a token budget over length-sorted input.

Sorting by length keeps padding small; the budget counts padded source tokens
(batch size * longest source), which is what an encoder pays for.
"""

from __future__ import annotations

from collections.abc import Sequence


def token_batches(
    lengths: Sequence[int],
    max_tokens: int,
    max_size: int,
    max_spread: float = 0.0,
    min_split: int = 1,
) -> list[list[int]]:
    """Indices of `lengths`, grouped into batches; each index appears exactly once.

    Batches hold sentences of similar length (sorted, longest first) and never exceed
    `max_tokens` padded tokens nor `max_size` sentences; a single sentence longer than the
    budget still gets a batch of its own. With `max_spread` > 1, a batch's longest sentence
    is at most that many times its shortest: a batch decodes until its longest output is
    done, so mixing lengths makes short sentences wait for long ones. A batch is cut for
    spread only once it holds `min_split` sentences: a few padded rows cost less than a batch
    more, which reads all the weights again at each decoding step.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        length = lengths[index]
        width = max(longest, length)
        too_mixed = (
            max_spread > 1 and len(current) >= min_split and longest > max_spread * max(length, 1)
        )
        if current and (
            width * (len(current) + 1) > max_tokens or len(current) >= max_size or too_mixed
        ):
            batches.append(current)
            current, width = [], length
        current.append(index)
        longest = width
    if current:
        batches.append(current)
    return batches
