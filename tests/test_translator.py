from __future__ import annotations

from pathlib import Path

import pytest

from service.config import Settings
from service.errors import ModelNotFoundError
from service.sentences import split_long
from service.translator import Translator
from tests import factories
from tests.corpus import copy_target_examples


def test_translates_each_text_one_for_one(translator: Translator) -> None:
    texts = ["Le maire de Lyon a présenté un budget.", "", "La ministre refuse la grève."]
    out = translator.translate(texts)
    assert len(out) == 3 and out[1] == ""
    assert out[0] != out[2]


def test_line_layout_and_paragraph_breaks_are_kept(translator: Translator) -> None:
    text = "Le maire a parlé. La ministre aussi.\r\n\r\n  Un agriculteur conteste.\n"
    out = translator.translate([text])[0]
    assert out.count("\r\n") == 2 and out.startswith(out.lstrip()) and out.endswith("\n")
    assert out.split("\r\n")[1] == "" and out.split("\r\n")[2].startswith("  ")


def test_document_segments_map_one_to_one(translator: Translator) -> None:
    doc = translator.translate_document("Il pleut. Le maire a parlé.\n\nFin du texte.")
    assert [s.source for s in doc.segments] == ["Il pleut.", "Le maire a parlé.", "Fin du texte."]
    assert [s.block for s in doc.segments] == [0, 0, 1]
    assert doc.segments[1].translation == translator.translate_sentences(["Le maire a parlé."])[0]


def test_documents_batched_together_equal_documents_alone(translator: Translator) -> None:
    texts = copy_target_examples()
    together = translator.translate(texts)
    assert together == [translator.translate([t])[0] for t in texts]


def test_engines_agree_on_text(translator: Translator, reference_translator: Translator) -> None:
    texts = copy_target_examples()
    greedy_ct2 = Translator(translator.settings, beam_size=1)
    greedy_hf = Translator(reference_translator.settings, beam_size=1)
    assert greedy_ct2.translate(texts) == greedy_hf.translate(texts)


def test_sentence_over_the_input_limit_is_cut_and_fully_translated(translator: Translator) -> None:
    sentence = ", ".join(["le maire de Lyon a présenté un budget"] * 120)
    runtime = translator._load()
    assert runtime.tokenizer.count(sentence) > runtime.input_limit
    pieces = split_long(sentence, runtime.tokenizer.count, runtime.input_limit)
    assert len(pieces) > 1
    expected = " ".join(translator.translate_sentences([sentence[a:b] for a, b in pieces]))
    assert translator.translate_sentences([sentence]) == [expected]


def test_output_is_capped_relative_to_input(settings: Settings) -> None:
    # An untrained model never stops: only the cap ends its output.
    model = factories.random_tiny_marian()
    translator = Translator(settings, model=str(model), beam_size=1)
    runtime = translator._load()
    ids = runtime.tokenizer.encode(
        ["Le maire a parlé.", "Un agriculteur du Gers conteste la vente."]
    )
    outputs = translator._generate(runtime, ids)
    assert [len(o) for o in outputs] == [runtime.options.output_cap(len(i)) for i in ids]


def test_missing_model_is_a_domain_error(tmp_path: Path) -> None:
    translator = Translator(Settings(models_dir=tmp_path, cache_url="none"))
    with pytest.raises(ModelNotFoundError, match="depeche models pull"):
        translator.translate(["Bonjour."])
