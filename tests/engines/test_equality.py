"""The engines give exactly the tokens of the model's own `generate`, sentence for sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from depeche.engines import ENGINES, DecodingOptions, Engine, EngineConfig, load_engine
from depeche.models import resolve
from depeche.tokenization import load_tokenizer
from transformers import MarianMTModel, MarianTokenizer

from tests.corpus import french_sentences

# Some sentences the model was trained on, and some it never saw.
SENTENCES = [
    *french_sentences()[:6],
    "Le conseil municipal a voté la construction d'une piscine.",
    "Bonjour tout le monde, comment allez-vous ?",
    "Une tempête a frappé la côte atlantique dans la nuit de samedi.",
    "La ministre de la Santé refuse de commenter les chiffres.",
    "Les habitants du quartier réclament un nouveau marché couvert depuis des années.",
    "Court.",
]


@pytest.fixture(scope="module")
def hf(tiny_marian: Path) -> tuple[MarianMTModel, MarianTokenizer]:
    return MarianMTModel.from_pretrained(tiny_marian).eval(), MarianTokenizer.from_pretrained(
        tiny_marian
    )


def generate_one(
    hf: tuple[MarianMTModel, MarianTokenizer], sentence: str, beams: int, options: DecodingOptions
) -> list[int]:
    model, tokenizer = hf
    ids = tokenizer(sentence, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        row = model.generate(
            input_ids=ids,
            num_beams=beams,
            do_sample=False,
            max_new_tokens=options.output_cap(ids.shape[1]) + 1,
        )[0].tolist()[1:]
    return row[: row.index(tokenizer.eos_token_id)] if tokenizer.eos_token_id in row else row


@pytest.mark.parametrize(
    ("engine", "compute_type", "beams"),
    [
        ("transformers", None, 4),
        ("transformers", None, 1),
        ("ctranslate2", "float32", 1),
    ],
)
def test_engine_matches_generate(
    hf: tuple[MarianMTModel, MarianTokenizer],
    tiny_marian: Path,
    models_dir: Path,
    engine: str,
    compute_type: str | None,
    beams: int,
) -> None:
    source = resolve(str(tiny_marian), models_dir, {})
    tokenizer = load_tokenizer(source.path)
    options = DecodingOptions.from_model(source.path, beam_size=beams)
    expected = [generate_one(hf, s, beams, options) for s in SENTENCES]
    # The test can fail: the model stops by itself and answers inputs differently.
    assert all(0 < len(ids) < options.output_cap(5) for ids in expected)
    assert len({tuple(ids) for ids in expected}) == len(SENTENCES)

    config = EngineConfig(compute_type=compute_type, models_dir=models_dir)
    instance = load_engine(engine, source, tokenizer, config)
    # One padded batch of sentences of different lengths, as the translator sends them.
    assert [h.ids for h in instance.generate(tokenizer.encode(SENTENCES), options)] == expected


def scored_one(
    hf: tuple[MarianMTModel, MarianTokenizer], sentence: str, options: DecodingOptions
) -> tuple[list[int], float]:
    """Greedy `generate`'s output and the mean log-probability of its tokens (the end of
    sentence included), from transformers' own transition scores."""
    model, tokenizer = hf
    ids = tokenizer(sentence, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        output = model.generate(
            input_ids=ids,
            num_beams=1,
            do_sample=False,
            max_new_tokens=options.output_cap(ids.shape[1]) + 1,
            output_scores=True,
            return_dict_in_generate=True,
        )
        steps = model.compute_transition_scores(
            output.sequences, output.scores, normalize_logits=True
        )[0].tolist()
    row = output.sequences[0].tolist()[1:]
    end = row.index(tokenizer.eos_token_id)
    return row[:end], sum(steps[: end + 1]) / (end + 1)


@pytest.fixture(scope="module")
def loaded(tiny_marian: Path, models_dir: Path) -> dict[str, Engine]:
    source = resolve(str(tiny_marian), models_dir, {})
    tokenizer = load_tokenizer(source.path)
    config = EngineConfig(compute_type="float32", models_dir=models_dir)
    return {name: load_engine(name, source, tokenizer, config) for name in ENGINES}


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_the_score_is_the_mean_log_probability_of_the_output(
    hf: tuple[MarianMTModel, MarianTokenizer],
    loaded: dict[str, Engine],
    tiny_marian: Path,
    engine: str,
    sentence: str,
) -> None:
    options = DecodingOptions.from_model(tiny_marian, beam_size=1)
    ids, expected = scored_one(hf, sentence, options)
    instance = loaded[engine]
    # In a batch with other sentences, as the translator sends it.
    batch = instance.tokenizer.encode([sentence, *SENTENCES[:3]])
    found = instance.generate(batch, options)[0]
    assert found.ids == ids
    assert found.score == pytest.approx(expected, abs=1e-4)
    assert expected < 0


@pytest.mark.parametrize("beams", [1, 4])
def test_both_engines_give_one_score_per_sentence(
    loaded: dict[str, Engine], tiny_marian: Path, beams: int
) -> None:
    options = DecodingOptions.from_model(tiny_marian, beam_size=beams)
    ids = loaded["transformers"].tokenizer.encode(SENTENCES)
    ours, theirs = (loaded[name].generate(ids, options) for name in ENGINES)
    same = [(a.score, b.score) for a, b in zip(ours, theirs, strict=True) if a.ids == b.ids]
    assert len(same) == len(SENTENCES)
    assert [a for a, _ in same] == pytest.approx([b for _, b in same], abs=1e-4)
    # The scores tell sentences apart: they are not one constant.
    assert len({round(a, 3) for a, _ in same}) > len(same) // 2


def test_the_model_is_surer_of_sentences_it_was_trained_on(
    loaded: dict[str, Engine], tiny_marian: Path
) -> None:
    options = DecodingOptions.from_model(tiny_marian)
    engine = loaded["ctranslate2"]
    scores = [h.score for h in engine.generate(engine.tokenizer.encode(SENTENCES), options)]
    seen, unseen = scores[:6], scores[6:]
    assert sum(seen) / len(seen) > sum(unseen) / len(unseen)


def test_beam_search_changes_the_answer(hf: tuple[MarianMTModel, MarianTokenizer]) -> None:
    options = DecodingOptions()
    greedy = [generate_one(hf, s, 1, options) for s in SENTENCES]
    beam = [generate_one(hf, s, 4, options) for s in SENTENCES]
    assert greedy != beam  # so the beam-4 equality above is not greedy's in disguise


def test_model_defaults_are_read_from_generation_config(tiny_marian: Path) -> None:
    options = DecodingOptions.from_model(tiny_marian)
    assert options.beam_size == 4
    assert options.max_length == 512
    assert DecodingOptions.from_model(tiny_marian, beam_size=2, length_penalty=None).beam_size == 2


@pytest.mark.parametrize(
    ("ratio", "extra", "max_length", "length", "cap"),
    [(2.0, 10, 512, 5, 20), (2.0, 10, 512, 400, 510), (1.0, 0, 512, 0, 1), (1.5, 3, 100, 10, 18)],
)
def test_output_cap(ratio: float, extra: int, max_length: int, length: int, cap: int) -> None:
    options = DecodingOptions(max_output_ratio=ratio, max_output_extra=extra, max_length=max_length)
    assert options.output_cap(length) == cap
