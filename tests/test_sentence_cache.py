"""Caching through the translator: response cache, sentence cache, shared Redis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from depeche.cache import Cache, open_backend
from depeche.config import Settings
from depeche.translator import Translator

from tests.redis_server import RedisServer

PARAGRAPHS = [
    "Le maire de Lyon a présenté un budget. La ministre refuse la grève.",
    "Un agriculteur du Gers conteste la vente des terrains.",
    "Le tribunal de Nantes examine le rapport annuel. Une association locale organise le festival.",
]
ARTICLE = "\n\n".join(PARAGRAPHS)


@pytest.fixture
def cached_translator(settings: Settings, tmp_path: Path) -> Translator:
    return Translator(settings, cache_url=f"sqlite:///{tmp_path}/cache.db")


def test_repeat_is_a_hit_and_an_edit_pays_for_one_sentence(cached_translator: Translator) -> None:
    cold = cached_translator.translate_article(ARTICLE, "markdown")
    assert cold.cache == "miss"
    sentences_done = cached_translator.stats.sentences

    again = cached_translator.translate_article(ARTICLE, "markdown")
    assert again.cache == "hit" and again.text == cold.text
    assert [s.to_dict() for s in again.segments] == [s.to_dict() for s in cold.segments]
    assert cached_translator.stats.sentences == sentences_done  # the engine did nothing

    edited = ARTICLE.replace("La ministre refuse la grève.", "La ministre soutient la grève.")
    result = cached_translator.translate_article(edited, "markdown")
    assert result.cache == "partial"
    assert cached_translator.stats.sentences == sentences_done + 1
    uncached = Translator(cached_translator.settings, cache_url="none")
    assert result.text == uncached.translate_article(edited, "markdown").text


@pytest.mark.parametrize(
    ("override", "value"), [("beam_size", 1), ("max_output_ratio", 1.0), ("engine", "transformers")]
)
def test_changed_settings_never_serve_a_stale_entry(
    cached_translator: Translator, override: str, value: object
) -> None:
    cached_translator.translate_article(ARTICLE)
    changed = Translator(cached_translator.settings, **{override: value})
    assert changed.translate_article(ARTICLE).cache == "miss"


def test_cached_sentences_equal_fresh_ones(cached_translator: Translator) -> None:
    fresh = cached_translator.translate_sentences(PARAGRAPHS)
    assert cached_translator.translate_sentences(PARAGRAPHS) == fresh
    assert cached_translator.cache.hits >= len(PARAGRAPHS)


def test_scores_travel_with_sentences_through_both_caches(cached_translator: Translator) -> None:
    fresh = Translator(cached_translator.settings, cache_url="none").translate_article(ARTICLE)
    cached_translator.translate_article(ARTICLE)
    # One sentence edited: the others come from the sentence cache, scores and all.
    edited = ARTICLE.replace("Le maire de Lyon", "Le maire de Nantes")
    partial = cached_translator.translate_article(edited)
    hit = cached_translator.translate_article(edited)
    assert (partial.cache, hit.cache) == ("partial", "hit")
    expected = [s.score for s in fresh.segments]
    assert all(score is not None and score < 0 for score in expected)
    assert [s.score for s in partial.segments][1:] == expected[1:]
    assert [s.score for s in hit.segments] == [s.score for s in partial.segments]


def test_a_sentence_entry_without_a_score_is_translated_again(
    cached_translator: Translator,
) -> None:
    from depeche.sentence_cache import SentenceCache

    sentence = "La ministre refuse la grève."
    runtime = cached_translator.runtime
    memory = SentenceCache(cached_translator.cache, runtime.context)
    # An entry in the shape of the output version before scores, under today's key.
    old = {"text": "Stale.", "capped": False, "ids": None}
    cached_translator.cache.set_many({memory._key(sentence): json.dumps(old).encode()})
    assert memory.lookup([sentence]) == {}
    (segment,) = cached_translator.translate_article(sentence).segments
    assert segment.translation != "Stale." and segment.score is not None


WORKER = """
import json, sys
from depeche.config import Settings
from depeche.translator import Translator
settings = Settings(**json.loads(sys.argv[1]))
doc = Translator(settings).translate_article(sys.argv[2], "markdown")
print(json.dumps({"cache": doc.cache, "text": doc.text}))
"""


def run_worker(settings: Settings, text: str) -> dict[str, str]:
    fields = {
        "translation_model": settings.translation_model,
        "models_dir": str(settings.models_dir),
        "compute_type": "float32",
        "cache_url": settings.cache_url,
    }
    done = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(fields), text],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_two_processes_share_one_redis(settings: Settings, redis_server: RedisServer) -> None:
    shared = settings.model_copy(update={"cache_url": redis_server.url})
    first = run_worker(shared, ARTICLE)
    assert first["cache"] == "miss"
    second = run_worker(shared, ARTICLE)  # another process: served from what the first stored
    assert second == {"cache": "hit", "text": first["text"]}
    here = Translator(shared).translate_article(ARTICLE, "markdown")
    assert here.cache == "hit" and here.text == first["text"]


def test_redis_killed_mid_run_leaves_every_translation_succeeding(
    settings: Settings, redis_server: RedisServer
) -> None:
    cache = Cache(open_backend(redis_server.url), ttl=60, retry_after=0.05)
    translator = Translator(settings, cache=cache)
    reference = Translator(settings, cache_url="none")
    texts = [f"{p} Numéro {i}." for i, p in enumerate(PARAGRAPHS * 4)]
    results = []
    for index, text in enumerate(texts):
        if index == 4:
            redis_server.stop()
        if index == 8:
            redis_server.start()
        results.append(translator.translate_article(text).text)
    assert results == [reference.translate_article(t).text for t in texts]
    assert cache.errors >= 1
