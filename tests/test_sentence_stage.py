"""The sentence stage: each sentence's English from the first place that has it (an editor's
approval, the sentence itself where it is English, the sentence cache, the engine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from depeche.approvals import ApprovedTranslations
from depeche.cache import Cache, open_backend
from depeche.sentence_cache import SentenceCache
from depeche.sentence_stage import SentenceStage
from depeche.store import connect
from depeche.translator import Translator

FRENCH = "Le maire de Lyon a présenté un budget."
ENGLISH = "The mayor of Lyon presented a budget to the city council this morning."
APPROVED = "Le conseil municipal vote ce soir."


@pytest.fixture
def stage(translator: Translator, tmp_path: Path) -> SentenceStage:
    approvals = ApprovedTranslations(connect(f"sqlite:///{tmp_path}/store.sqlite3"))
    approvals.approve(
        [(APPROVED, "The council votes tonight."), (ENGLISH, "Kept by an editor.")], "test"
    )
    runtime = translator._load()
    cache = Cache(open_backend(f"sqlite:///{tmp_path}/cache.sqlite3"), ttl=60)
    return SentenceStage(runtime, SentenceCache(cache, runtime.context), lambda: approvals)


def test_each_sentence_comes_from_the_first_place_that_has_it(
    stage: SentenceStage, translator: Translator
) -> None:
    english = "The weather was fine in Paris and the trains ran on time yesterday."
    before = stage.runtime.stats.sentences
    first = stage.translate([FRENCH, english, english, APPROVED, ENGLISH], [True] * 5)
    assert stage.runtime.stats.sentences == before + 1  # only the French went to the engine
    # Again: from the sentence cache, the engine not asked.
    [again] = stage.translate([FRENCH])
    assert again.cached and again.text == first[0].text
    assert stage.runtime.stats.sentences == before + 1
    # The engine's English.
    assert first[0].text == translator.translate_sentences([FRENCH])[0]
    assert not first[0].cached and first[0].ids is not None
    # English kept as written, once for both.
    assert first[1] == first[2] and first[1].english and first[1].text == english
    # An editor's approval wins, even over English kept as written.
    assert first[3].approved and first[3].text == "The council votes tonight."
    assert first[4].approved and first[4].text == "Kept by an editor."


def test_english_is_translated_where_it_is_asked_for_by_name(stage: SentenceStage) -> None:
    english = "The weather was fine in Paris and the trains ran on time yesterday."
    [kept] = stage.translate([english], [True])
    [asked] = stage.translate([english])
    assert kept.english and not asked.english and asked.score is not None


def test_without_approvals_the_model_answers(stage: SentenceStage) -> None:
    alone = SentenceStage(stage.runtime, stage.cache, lambda: None)
    [found] = alone.translate([APPROVED])
    assert not found.approved and found.text != "The council votes tonight."
