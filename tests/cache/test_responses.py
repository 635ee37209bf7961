"""Whole answers kept as JSON: read back as they were stored; an entry that cannot be read is
a miss."""

from __future__ import annotations

from pathlib import Path

import pytest
from depeche.cache import Cache, open_backend
from depeche.cache.responses import ResponseCache
from depeche.formats import Block
from depeche.results import ArticleResult, Segment

ARTICLE = ArticleResult(
    "Le *maire* parle. « Il pleut » — 1,5 °C\n",
    [Block("paragraph", 0, 39, ((0, 39),))],
    [
        Segment("Le *maire* parle.", "The *mayor* speaks.", 0, 0, 17, score=-0.25),
        Segment("« Il pleut »", "« Il pleut »", 0, 18, 30, ["english"], {"english": "kept"}),
    ],
    None,
    "miss",
    "markdown",
)


@pytest.fixture
def responses(tmp_path: Path) -> ResponseCache[ArticleResult]:
    cache = Cache(open_backend(f"sqlite:///{tmp_path}/cache.sqlite3", 10**7), ttl=60)
    return ResponseCache(cache, "document", ArticleResult.to_dict, ArticleResult.from_dict)


def test_a_stored_answer_reads_back_as_it_was(responses: ResponseCache[ArticleResult]) -> None:
    key = responses.key({"model": "m"}, ARTICLE.text)
    responses.set_many({key: ARTICLE})
    found = responses.get_many([key])[key]
    assert found.to_dict() == ARTICLE.to_dict() and found.cache == "hit"
    assert found.segments == ARTICLE.segments and found.blocks == ARTICLE.blocks


@pytest.mark.parametrize(
    "stored",
    [b"{", b"", b"\xff\xfe", b"[1, 2]", b'{"text": "x"}', b'{"text": 1, "blocks": 2}', b"null"],
)
def test_an_entry_that_cannot_be_read_is_a_miss(
    responses: ResponseCache[ArticleResult], stored: bytes
) -> None:
    key = responses.key({"model": "m"}, "texte")
    responses.cache.set_many({key: stored})
    assert responses.get_many([key]) == {}
