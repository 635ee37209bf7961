"""The tokenizers read without transformers give exactly transformers' ids and texts."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from depeche.tokenization import (
    ByteLevelTokenizer,
    SentencePieceTokenizer,
    TransformersTokenizer,
    load_tokenizer,
)
from transformers import AutoTokenizer

from tests.corpus import english_sentences, french_sentences

EDGES = [
    "",
    " ",
    "a </s> b <unk> c<pad>",
    ">>fra<< Bonjour",
    "Ça  va ?\u00a0Oui… «très» bien—merci",
    "\u200b\ufeffx",
    "émoji 🎉 ok",
    "tab\there\nnewline",
    "L'État a dit « non » à 25 000 € d'aide.",
]


def pairs(path: Path, texts: list[str]) -> None:
    reference = AutoTokenizer.from_pretrained(path)
    ours = load_tokenizer(path)
    expected = [list(ids) for ids in reference(texts)["input_ids"]]
    assert ours.encode(texts) == expected
    assert (ours.eos_id, ours.pad_id) == (reference.eos_token_id, reference.pad_token_id)
    rng = random.Random(0)
    noise = [
        [rng.randrange(len(reference)) for _ in range(rng.randrange(1, 30))] for _ in range(200)
    ]
    for ids in expected + noise:
        assert ours.decode([ids]) == [reference.decode(ids, skip_special_tokens=True).strip()]
        tokens = reference.convert_ids_to_tokens(ids)
        assert ours.ids_to_tokens(ids) == tokens
        assert ours.tokens_to_ids(tokens) == reference.convert_tokens_to_ids(tokens)


def test_marian_reads_with_sentencepiece(tiny_marian: Path) -> None:
    assert isinstance(load_tokenizer(tiny_marian), SentencePieceTokenizer)
    pairs(tiny_marian, french_sentences() + EDGES)


def test_bart_reads_with_tokenizers(tiny_bart: Path) -> None:
    assert isinstance(load_tokenizer(tiny_bart), ByteLevelTokenizer)
    pairs(tiny_bart, english_sentences() + EDGES)


def test_other_tokenizers_go_through_transformers(tiny_bart: Path, tmp_path: Path) -> None:
    other = shutil.copytree(tiny_bart, tmp_path / "other")
    config = json.loads((other / "tokenizer_config.json").read_text())
    (other / "tokenizer_config.json").write_text(
        json.dumps({**config, "tokenizer_class": "RobertaTokenizerFast"})
    )
    assert isinstance(load_tokenizer(other), TransformersTokenizer)
    pairs(other, english_sentences()[:20] + EDGES)


@pytest.mark.parametrize("text", ["Le maire a parlé.", "a " * 600])
def test_count_is_the_length_of_the_ids(tiny_marian: Path, text: str) -> None:
    tokenizer = load_tokenizer(tiny_marian)
    assert tokenizer.count(text) == len(tokenizer.encode([text])[0])
