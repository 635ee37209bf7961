"""Conversions are stored per compute type: loading never quantizes again, and the tokens are
those the float32 conversion quantized at load gave."""

from __future__ import annotations

from pathlib import Path

import pytest
from depeche.engines import DecodingOptions, EngineConfig, load_engine
from depeche.engines.ctranslate2 import convert, converted_path
from depeche.models import resolve
from depeche.tokenization import load_tokenizer

from tests.corpus import french_sentences

SENTENCES = [*french_sentences()[:12], "Une tempête a frappé la côte atlantique samedi."]


@pytest.mark.parametrize("compute_type", ["int8", "int8_float32"])
def test_stored_quantized_gives_the_tokens_of_quantizing_at_load(
    tiny_marian: Path, tmp_path: Path, compute_type: str
) -> None:
    source = resolve(str(tiny_marian), tmp_path, {})
    tokenizer = load_tokenizer(source.path)
    options = DecodingOptions.from_model(source.path, beam_size=4)
    stored = convert(source, tmp_path, compute_type)
    assert stored == converted_path(source, tmp_path, compute_type)
    assert stored.name.endswith(f"-{compute_type}")
    float32 = convert(source, tmp_path, "float32")
    assert (stored / "model.bin").stat().st_size < (float32 / "model.bin").stat().st_size
    engine = load_engine(
        "ctranslate2",
        source,
        tokenizer,
        EngineConfig(compute_type=compute_type, models_dir=tmp_path),
    )
    import ctranslate2

    at_load = ctranslate2.Translator(str(float32), compute_type=compute_type)
    ids = tokenizer.encode(SENTENCES)
    expected = [
        tokenizer.tokens_to_ids(r.hypotheses[0])
        for r in at_load.translate_batch(
            [tokenizer.ids_to_tokens(i) for i in ids],
            beam_size=4,
            max_decoding_length=options.output_cap(max(map(len, ids))) + 1,
            max_input_length=0,
        )
    ]
    assert [h.ids for h in engine.generate(ids, options)] == expected
    assert len({tuple(e) for e in expected}) == len(SENTENCES)  # the test can fail
