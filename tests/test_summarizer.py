from __future__ import annotations

from pathlib import Path

import pytest
import torch
from depeche.engines import DecodingOptions, EngineConfig, load_engine
from depeche.models import resolve
from depeche.results import PROSE_KINDS
from depeche.sources import attribute
from depeche.summarizer import (
    LONGER_THAN_SOURCE,
    UNSUPPORTED,
    UNSUPPORTED_NAME,
    UNSUPPORTED_NUMBER,
    Summarizer,
    faithfulness,
    whole_sentences,
)
from depeche.tokenization import load_tokenizer
from depeche.translator import Translator
from transformers import AutoTokenizer, BartForConditionalGeneration

from tests.corpus import english_sentences, french_sentences

ARTICLES = [" ".join(english_sentences(60, seed=s)[:40]) for s in (1, 2, 3)]


def generate(model_dir: Path, text: str, beams: int) -> list[int]:
    model = BartForConditionalGeneration.from_pretrained(model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    with torch.inference_mode():
        row = model.generate(**tokenizer(text, return_tensors="pt"), num_beams=beams)[0].tolist()
    out = row[1:]
    return out[: out.index(2)] if 2 in out else [t for t in out if t != 1]


@pytest.mark.parametrize(
    ("engine", "compute_type", "beams"),
    [("transformers", None, 4), ("ctranslate2", "float32", 1)],
)
def test_engine_matches_generate(
    tiny_bart: Path, models_dir: Path, engine: str, compute_type: str | None, beams: int
) -> None:
    source = resolve(str(tiny_bart), models_dir, {})
    tokenizer = load_tokenizer(source.path)
    options = DecodingOptions.from_model(source.path, beam_size=beams, relative_cap=False)
    # The model's own settings, read from its generation config (the converter drops them).
    assert (options.length_penalty, options.min_length, options.max_length) == (2.0, 56, 142)
    assert options.no_repeat_ngram_size == 3 and options.forced_bos == 0
    expected = [generate(tiny_bart, text, beams)[: options.output_cap(0)] for text in ARTICLES]
    config = EngineConfig(compute_type=compute_type, models_dir=models_dir)
    instance = load_engine(engine, source, tokenizer, config)
    outputs = instance.generate(tokenizer.encode(ARTICLES), options)
    assert [o.ids[: options.output_cap(0)] for o in outputs] == expected


def test_short_text_comes_back_as_is(summarizer: Summarizer) -> None:
    text = "The mayor presented the budget. The council will vote on Monday."
    result = summarizer.summarize(text)
    assert result.text == text and result.chunks == 0
    assert summarizer.summarize(ARTICLES[0], max_words=10_000).text == ARTICLES[0]


def test_long_text_is_chunked_without_dropping_anything(summarizer: Summarizer) -> None:
    text = "\n\n".join(" ".join(english_sentences(80, seed=s)) for s in range(6))
    count = summarizer.runtime.tokenizer.count
    assert count(text) > 1024
    chunks = summarizer.chunks(text)
    assert len(chunks) > 1
    assert all(count(chunk) <= 1024 for chunk in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())
    result = summarizer.summarize(text)
    assert result.chunks == len(chunks) and result.text


def test_max_words_shortens_the_summary(summarizer: Summarizer) -> None:
    long = summarizer.summarize(ARTICLES[1])
    short = summarizer.summarize(ARTICLES[1], max_words=12)
    assert len(short.text.split()) < len(long.text.split())


def test_summaries_are_cached(summarizer: Summarizer, tmp_path: Path) -> None:
    cached = Summarizer(summarizer.settings, cache_url=f"sqlite:///{tmp_path}/c.db")
    first = cached.summarize(ARTICLES[2], max_words=30)
    second = cached.summarize(ARTICLES[2], max_words=30)
    assert (first.cache, second.cache) == ("miss", "hit") and first.text == second.text
    assert cached.summarize(ARTICLES[2], max_words=31).cache == "miss"


@pytest.mark.parametrize(
    ("summary", "max_words", "expected", "truncated"),
    [
        ("One. Two three.", None, "One. Two three.", False),
        ("One. Two three", None, "One.", False),  # an unfinished last sentence is dropped
        ("One two three. Four five six. Seven.", 4, "One two three.", False),
        ("Only an unfinished sentence", None, "Only an unfinished sentence", True),
        ("« Quoted. » Next one.", None, "« Quoted. » Next one.", False),
    ],
)
def test_whole_sentences(
    summary: str, max_words: int | None, expected: str, truncated: bool
) -> None:
    assert whole_sentences(summary, max_words) == (expected, truncated)


@pytest.mark.parametrize(
    ("source", "summary", "expected"),
    [
        ("About 25,000 people marched on May 8.", "25,000 people marched.", []),
        ("About 25,000 people marched.", "30,000 people marched.", [UNSUPPORTED_NUMBER]),
        ("The mayor of Lyon spoke to the council.", "In Lyon, the mayor spoke.", []),
        (
            "The mayor of Lyon spoke to the council.",
            "The mayor of Paris spoke.",
            [UNSUPPORTED_NAME],
        ),
        ("Short source.", "A summary that is longer than its source.", [LONGER_THAN_SOURCE]),
    ],
)
def test_faithfulness(source: str, summary: str, expected: list[str]) -> None:
    assert faithfulness(source, summary) == expected


def test_batched_summaries_equal_one_at_a_time(summarizer: Summarizer) -> None:
    long = "\n\n".join(" ".join(english_sentences(80, seed=s)) for s in range(5))
    texts = [ARTICLES[0], "Too short to summarize.", long, ARTICLES[1]]
    fresh = Summarizer(summarizer.settings, cache_url="none")
    together = fresh.summarize_many(texts, max_words=40)
    alone = [fresh.summarize(text, max_words=40) for text in texts]
    assert [s.text for s in together] == [s.text for s in alone]
    assert [s.chunks for s in together] == [1, 0, len(fresh.chunks(long)), 1]


ARTICLE = "# *Titre*\n\n" + "\n\n".join(
    " ".join(french_sentences()[i : i + 4]) for i in range(0, 40, 4)
)


def test_an_article_summary_comes_sentence_by_sentence_with_its_sources(
    translator: Translator, summarizer: Summarizer
) -> None:
    result = translator.translate_article(ARTICLE, "markdown")
    summarizer.summarize_articles([result], max_words=60)
    summary = result.summary
    assert summary is not None and summary.chunks == 1 and summary.sentences
    assert " ".join(s.text for s in summary.sentences) == summary.text
    prose = {i for i, s in enumerate(result.segments) if result.blocks[s.block].kind in PROSE_KINDS}
    assert all(set(s.segments) <= prose for s in summary.sentences)
    assert (UNSUPPORTED in summary.flags) == any(UNSUPPORTED in s.flags for s in summary.sentences)
    # The same sentences as the written check finds on the English the summarizer read.
    expected = attribute(summary.text, result.segment_prose(), result.english_prose())
    assert summary.sentences == expected


def test_a_summary_that_is_the_article_draws_on_every_sentence_of_it(
    translator: Translator, summarizer: Summarizer
) -> None:
    result = translator.translate_article(ARTICLE, "markdown")
    summarizer.summarize_articles([result], max_words=10_000)
    summary = result.summary
    assert summary is not None and summary.chunks == 0 and summary.sentences
    # Each sentence of it has its sources, and no flag.
    assert all(s.segments and not s.flags for s in summary.sentences)
