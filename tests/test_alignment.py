from __future__ import annotations

import pytest
from depeche.alignment import token_words, word_pairs


@pytest.mark.parametrize(
    ("tokens", "words", "expected"),
    [
        (["▁Le", "▁mai", "re", "</s>"], 2, [0, 1, 1, -1]),
        (["ĠThe", "Ġmay", "or"], 2, [0, 1, 1]),
        (["a", "b", "▁c"], 2, [0, 0, 1]),
        # Pieces that disagree with the text's word count are spread in proportion.
        (["▁a", "▁b", "▁c", "▁d"], 2, [0, 0, 1, 1]),
    ],
)
def test_token_words(tokens: list[str], words: int, expected: list[int]) -> None:
    assert token_words(tokens, words) == expected


def test_word_pairs_follow_the_strongest_attention() -> None:
    source = ["▁le", "▁maire", "</s>"]
    target = ["▁the", "▁may", "or"]
    attention = [[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.1, 0.3, 0.6]]  # the </s> column is ignored
    assert word_pairs(attention, source, target, 2, 2) == [(0, 0), (1, 1)]
