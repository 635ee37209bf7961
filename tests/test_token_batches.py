from __future__ import annotations

import pytest
from depeche.token_batches import token_batches
from hypothesis import given
from hypothesis import strategies as st


@given(st.lists(st.integers(1, 600), max_size=300), st.integers(64, 4096), st.integers(1, 64))
def test_every_sentence_once_within_budget(lengths: list[int], budget: int, size: int) -> None:
    batches = token_batches(lengths, budget, size)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= size
        if len(batch) > 1:  # a single over-budget sentence still gets its own batch
            assert max(lengths[i] for i in batch) * len(batch) <= budget


@given(st.lists(st.integers(1, 600), max_size=200), st.floats(1.1, 3.0))
def test_spread_bounds_the_length_ratio_in_a_batch(lengths: list[int], spread: float) -> None:
    batches = token_batches(lengths, 1 << 20, 1 << 10, spread)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        assert max(lengths[i] for i in batch) <= spread * min(lengths[i] for i in batch)


@pytest.mark.parametrize(
    ("lengths", "budget", "size", "expected"),
    [
        ([], 100, 8, []),
        ([5, 50, 6, 48], 100, 8, [[1, 3], [2, 0]]),
        ([10, 10, 10], 1000, 2, [[0, 1], [2]]),
        ([500, 3], 100, 8, [[0], [1]]),
    ],
)
def test_length_sorted_batches(
    lengths: list[int], budget: int, size: int, expected: list[list[int]]
) -> None:
    assert token_batches(lengths, budget, size) == expected


@pytest.mark.parametrize(
    ("lengths", "min_split", "expected"),
    [
        ([40, 10, 10], 1, [[0], [1, 2]]),
        ([40, 10, 10], 4, [[0, 1, 2]]),  # a few padded rows rather than a batch more
        ([40, 38, 36, 35, 10, 10], 4, [[0, 1, 2, 3], [4, 5]]),
        ([40, 38, 36, 35, 10, 10], 8, [[0, 1, 2, 3, 4, 5]]),
        ([40, 38, 10, 10], 2, [[0, 1], [2, 3]]),
    ],
)
def test_a_batch_is_cut_for_spread_once_it_holds_min_split(
    lengths: list[int], min_split: int, expected: list[list[int]]
) -> None:
    assert token_batches(lengths, 1000, 64, 1.5, min_split) == expected
