"""Approved translations: an editor's English wins over the model, until deleted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from depeche import flags
from depeche.approvals import sentence_key
from depeche.config import Settings
from depeche.errors import StoreUnavailableError
from depeche.translator import Translator

from tests.redis_server import RedisServer

SENTENCE = "Le maire de Lyon a présenté un budget."
FIXED = "The mayor of Lyon presented a budget."


@pytest.fixture
def editor(settings: Settings, tmp_path: Path) -> Iterator[Translator]:
    translator = Translator(
        settings,
        cache_url=f"sqlite:///{tmp_path}/cache.db",
        store_url=f"sqlite:///{tmp_path}/store.sqlite3",
    )
    yield translator
    translator.close()


def test_an_approval_wins_over_the_model_and_the_cache(editor: Translator) -> None:
    article = f"{SENTENCE} La ministre refuse la grève."
    before = editor.translate_article(article)
    editor.translate_article(article)  # cached whole
    editor.approved.approve([(SENTENCE, FIXED)], who="cli")
    after = editor.translate_article(article)
    assert after.cache != "hit"
    assert after.segments[0].translation == FIXED and after.segments[0].memory == "approved"
    assert after.segments[1].translation == before.segments[1].translation
    assert after.segments[1].memory is None
    assert after.to_dict()["segments"][0]["memory"] == "approved"


def test_a_later_approval_replaces_and_deleting_returns_to_the_model(editor: Translator) -> None:
    model = editor.translate([SENTENCE])[0]
    editor.approved.approve([(SENTENCE, "First try.")], who="a")
    editor.approved.approve([(SENTENCE, FIXED)], who="b")
    assert editor.translate([SENTENCE])[0] == FIXED
    assert [(a.text, a.who) for a in editor.approved.all()] == [(FIXED, "b")]
    assert editor.approved.delete([SENTENCE]) == 1
    assert editor.translate([SENTENCE])[0] == model


def test_source_and_target_alike_are_not_flagged_untranslated(editor: Translator) -> None:
    name = "Radio Habana Cuba Internacional"
    editor.approved.approve([(name, name)], who="cli")
    segment = editor.translate_article(name).segments[0]
    assert segment.translation == name and flags.UNTRANSLATED not in segment.flags


def test_markup_is_projected_onto_the_approved_text(editor: Translator) -> None:
    editor.approved.approve([(SENTENCE, FIXED)], who="cli")
    text = editor.translate_article("Le maire de *Lyon* a présenté un budget.", "markdown").text
    assert text.replace("*", "") == FIXED and text.count("*") == 2


@pytest.mark.parametrize(
    ("written", "key"),
    [("Le  maire\u00a0a parlé. ", "Le maire a parlé."), ("Cafe\u0301", "Café")],
)
def test_sentences_are_matched_in_nfc_with_whitespace_collapsed(written: str, key: str) -> None:
    assert sentence_key(written) == key


def test_cache_clear_leaves_approvals(editor: Translator) -> None:
    editor.approved.approve([(SENTENCE, FIXED)], who="cli")
    editor.cache.clear()
    assert editor.translate([SENTENCE])[0] == FIXED


def test_whole_texts_are_approved_sentence_by_sentence(editor: Translator) -> None:
    editor.approved.approve_text(
        f"{SENTENCE} La ministre refuse la grève.", f"{FIXED} The minister refuses.", who="x"
    )
    assert editor.translate(["La ministre refuse la grève."])[0] == "The minister refuses."


def test_an_approval_on_one_replica_is_used_by_the_other(
    settings: Settings, redis_server: RedisServer, postgres_url: str
) -> None:
    # Replicas share a Redis cache and a PostgreSQL store: a whole answer cached by one
    # before the correction is not served by the other after it.
    one = Translator(settings, cache_url=redis_server.url, store_url=postgres_url)
    other = Translator(settings, cache_url=redis_server.url, store_url=postgres_url)
    model = other.translate([SENTENCE])[0]
    assert one.translate([SENTENCE])[0] == model  # from the shared cache
    one.approved.approve([(SENTENCE, FIXED)], who="cli")
    assert other.translate([SENTENCE])[0] == FIXED
    other.approved.delete([SENTENCE])
    assert one.translate([SENTENCE])[0] == model
    one.close()
    other.close()


def test_one_read_of_the_generation_per_call(
    editor: Translator, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = []
    generation = editor.store.approvals.generation
    monkeypatch.setattr(
        editor.store.approvals, "generation", lambda: reads.append(1) or generation()
    )
    editor.translate_articles([SENTENCE, "Il pleut.", "La ministre refuse la grève."] * 3)
    assert len(reads) == 1


def test_the_memory_survives_without_a_cache(settings: Settings, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path}/store.sqlite3"
    first = Translator(settings, cache_url="none", store_url=store)
    first.approved.approve([(SENTENCE, FIXED)], who="cli")
    first.close()
    again = Translator(settings, cache_url="none", store_url=store)
    assert again.translate([SENTENCE])[0] == FIXED
    again.close()


def test_a_store_that_cannot_be_opened_leaves_the_model_translating(
    settings: Settings, tmp_path: Path, translator: Translator
) -> None:
    (tmp_path / "file").write_text("")  # a file where the store's folder should be
    blocked = Translator(settings, store_url=f"sqlite:///{tmp_path}/file/store.sqlite3")
    assert blocked.translate([SENTENCE]) == translator.translate([SENTENCE])
    with pytest.raises(StoreUnavailableError):
        blocked.approved.all()  # where the memory itself is asked for, it is said
    blocked.close()
