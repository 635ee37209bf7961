from __future__ import annotations

from pathlib import Path

import pytest
from depeche.errors import InputError
from depeche.shards import Shard


@pytest.mark.parametrize(
    ("text", "shard"),
    [("0/1", Shard(0, 1)), ("3/4", Shard(3, 4)), (" 1/2", Shard(1, 2))],
)
def test_shard_parse(text: str, shard: Shard) -> None:
    assert Shard.parse(text) == shard


@pytest.mark.parametrize("text", ["4/4", "-1/3", "1", "a/b", "1/0", "1/2/3"])
def test_shard_parse_refuses(text: str) -> None:
    with pytest.raises(InputError, match="shard"):
        Shard.parse(text)


def test_shards_split_every_article_once_and_stably() -> None:
    paths = [Path(f"desk-{d}/article-{n:03}.md") for d in range(3) for n in range(200)]
    shards = [Shard(k, 4) for k in range(4)]
    owners = [[s for s in shards if s.owns(p)] for p in paths]
    assert all(len(found) == 1 for found in owners)
    sizes = [sum(1 for found in owners if found[0] == s) for s in shards]
    assert min(sizes) > 100  # spread, not all in one
    # The hash is of the path alone: the same answer every run, and for the output's name.
    assert Shard(0, 4).owns(Path("desk-0/article-000.md")) == Shard(0, 4).owns(
        Path("desk-0/article-000.json")
    )
    assert [s.owns(Path("a/b.md")) for s in shards].index(True) == 1  # pinned: never reshuffled
