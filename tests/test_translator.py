from __future__ import annotations

import gc
import html
import re
import tracemalloc
from pathlib import Path

import pytest
from depeche import flags, formats, language, segment
from depeche.assemble import reassemble
from depeche.config import Settings
from depeche.errors import ModelNotFoundError
from depeche.sentences import split_long
from depeche.translator import Translator

from tests import factories
from tests.corpus import copy_target_examples, french_sentences


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
    doc = translator.translate_article("Il pleut. Le maire a parlé.\n\nFin du texte.")
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
    outputs, capped, _ = runtime.generate(ids)
    assert [len(o) for o in outputs] == [runtime.options.output_cap(len(i)) for i in ids]
    assert capped == [True, True]


def test_warm_up_runs_each_stage_and_leaves_the_cache_alone(
    settings: Settings, tmp_path: Path
) -> None:
    with language._lock:  # as in a fresh process
        language._loaded.clear()
        language._started.clear()
    translator = Translator(settings, cache_url=f"sqlite:///{tmp_path}/cache.db")
    try:
        translator.warm_up()
        assert language.loaded()  # before any request
        assert translator.stats.sentences == 3  # the title and both sentences
        assert translator.cache.stats()["entries"] == 0
    finally:
        translator.close()


def test_missing_model_is_a_domain_error(tmp_path: Path) -> None:
    translator = Translator(Settings(models_dir=tmp_path, cache_url="none"))
    with pytest.raises(ModelNotFoundError, match="depeche models pull"):
        translator.translate(["Bonjour."])


# -- articles ---------------------------------------------------------------------------------

ARTICLE = """

# *Le conseil municipal vote le budget de la ville*

---

Image not found or type unknown



**Photo d'illustration de la mairie**

Lyon, 3 juin (AFP) Le maire de Lyon a présenté un budget. La ministre refuse la grève.

Le tribunal de Nantes examine *le rapport annuel* et [la vente des terrains](https://example.org/v_(2024))
lundi.

> The minister said the plan would be delayed again.

- Un agriculteur du Gers conteste la vente des terrains.
- Une association locale organise le festival d'été.

1. Le préfet de police a confirmé la fermeture de l'usine.

Écrivez à redaction@example.org ou consultez https://example.org/infos pour le dossier n° 12.

---

<https://example.org/2024/06/03/conseil-municipal-budget>



**Radio Locale**"""

MARKERS = ("**", "*", "[", "](", "<https://", "https://", "@", "> ", "- ", "1. ", "#", "---")


def test_article_structure_comes_out_intact(engine_translator: Translator) -> None:
    doc = engine_translator.translate_article(ARTICLE, "markdown")
    source_blocks = formats.read(ARTICLE, "markdown").blocks
    output_blocks = formats.read(doc.text, "markdown").blocks
    assert [b.kind for b in output_blocks] == [b.kind for b in source_blocks]
    for before, after in zip(source_blocks, output_blocks, strict=True):
        source, output = ARTICLE[before.start : before.end], doc.text[after.start : after.end]
        for marker in MARKERS:
            assert output.count(marker) == source.count(marker), (marker, source, output)

    # The blank-line layout is kept: the same runs of empty lines between blocks.
    def blank_runs(text: str) -> list[str]:
        return re.findall(r"(?:\n[ \t]*){2,}", text)

    assert blank_runs(doc.text) == blank_runs(ARTICLE)
    for kept in (
        "https://example.org/v_(2024)",
        "redaction@example.org",
        "https://example.org/infos",
        "<https://example.org/2024/06/03/conseil-municipal-budget>",
        "Image not found or type unknown",
        "> The minister said the plan would be delayed again.",
    ):
        assert kept in doc.text


def test_article_segments_one_per_sentence_with_flags(translator: Translator) -> None:
    doc = translator.translate_article(ARTICLE, "markdown")
    sources = [s.source for s in doc.segments]
    assert "Lyon, 3 juin (AFP) Le maire de Lyon a présenté un budget." in sources
    assert "La ministre refuse la grève." in sources
    english = next(s for s in doc.segments if s.source.startswith("The minister"))
    assert english.translation == english.source and english.flags == [flags.ENGLISH]
    assert all(s.source == ARTICLE[s.start : s.end] for s in doc.segments)
    assert reassemble(ARTICLE, doc.segments) == doc.text
    # Prose is really translated: the model's answer for the plain sentence.
    plain = next(s for s in doc.segments if s.source == "La ministre refuse la grève.")
    assert plain.translation == translator.translate_sentences([plain.source])[0]


def test_each_segment_carries_the_models_score_and_low_ones_are_flagged(
    translator: Translator,
) -> None:
    doc = translator.translate_article(ARTICLE, "markdown")
    runtime = translator._load()
    drafts = segment.segment(ARTICLE, "markdown")[1]
    pairs = [
        (s, d.inline.plain)
        for s, d in zip(doc.segments, drafts, strict=True)
        if d.has_prose and flags.ENGLISH not in s.flags
    ]
    modelled, plain = [s for s, _ in pairs], [p for _, p in pairs]
    # The score of what the model read: the plain text, markup removed.
    _, _, scores = runtime.generate(runtime.tokenizer.encode(plain))
    assert [s.score for s in modelled] == pytest.approx(scores, abs=1e-5)
    assert all(s.score is None for s in doc.segments if flags.ENGLISH in s.flags)

    middle = sorted(scores)[len(scores) // 2]
    strict = Translator(translator.settings, low_confidence=middle).translate_article(
        ARTICLE, "markdown"
    )
    low = [s for s in strict.segments if flags.LOW_CONFIDENCE in s.flags]
    assert [s.source for s in low] == [
        s.source for s in modelled if s.score is not None and s.score < middle
    ]
    assert low and all("unsure" in s.reasons[flags.LOW_CONFIDENCE] for s in low)
    assert not any(flags.LOW_CONFIDENCE in s.flags for s in doc.segments)


def test_a_sentence_cut_in_pieces_scores_their_tokens_together(translator: Translator) -> None:
    sentence = ", ".join(["le maire de Lyon a présenté un budget"] * 120)
    runtime = translator._load()
    pieces = split_long(sentence, runtime.tokenizer.count, runtime.input_limit)
    outputs, _, scores = runtime.generate(
        runtime.tokenizer.encode([sentence[a:b] for a, b in pieces])
    )
    weights = [len(ids) + 1 for ids in outputs]
    expected = sum(s * w for s, w in zip(scores, weights, strict=True)) / sum(weights)
    (segment,) = translator.translate_article(sentence).segments
    assert segment.score == pytest.approx(expected)


ROBUSTNESS = [
    ("empty", ""),
    ("whitespace", " \n\t\n\u00a0\n"),
    ("markup only", "---\n\n<https://example.org/x>\n\n---\n"),
    ("no full stop", " ".join(["le maire de Lyon a présenté un budget"] * 55)),
    ("mixed line endings", "Le maire a parlé.\r\nLa ministre aussi.\nFin.\rSuite.\r\n"),
    ("byte-order mark", "\ufeffLe maire a parlé. La ministre aussi."),
    ("control characters", "Le maire\u0007 a parlé.\u0000 La\u200b ministre aussi."),
    ("tabs", "\tLe maire a parlé.\tLa ministre aussi.\t"),
    ("French spacing", "Le maire\u00a0: « Non\u202f! » Pourquoi\u202f? Parce que\u00a0; voilà."),
]


@pytest.mark.parametrize("format", ["text", "markdown"])
@pytest.mark.parametrize(("name", "text"), ROBUSTNESS, ids=[n for n, _ in ROBUSTNESS])
def test_robust_to_odd_input(translator: Translator, name: str, text: str, format: str) -> None:
    doc = translator.translate_article(text, format)  # type: ignore[arg-type]
    if not text.strip() or name == "markup only":
        assert doc.text == text
    assert doc.text.startswith("\ufeff") == text.startswith("\ufeff")
    assert len(re.findall(r"\r\n|\r|\n", doc.text)) == len(re.findall(r"\r\n|\r|\n", text))
    assert all(s.translation for s in doc.segments if s.source.strip())


def test_a_hundred_kilobyte_article(translator: Translator) -> None:
    paragraph = " ".join(french_sentences()[:8])
    text = "\n\n".join([paragraph] * (100_000 // len(paragraph) + 1))
    assert len(text) >= 100_000
    doc = translator.translate_article(text, "markdown")
    assert doc.text.count("\n\n") == text.count("\n\n")
    assert len(doc.segments) >= 8 * (text.count("\n\n") + 1)


def test_html_alt_and_title_are_translated_unless_turned_off(engine_translator: Translator) -> None:
    page = (
        '<figure><img src="a.png" alt="Le maire de Lyon"></figure>\n'
        '<p>Le budget est <a href="/b" title="Le conseil vote">voté</a> hier.</p>'
    )
    result = engine_translator.translate_article(page, "html")
    alt, title = (
        html.escape(english, quote=True)
        for english in engine_translator.translate(["Le maire de Lyon", "Le conseil vote"])
    )
    assert f'alt="{alt}"' in result.text and f'title="{title}"' in result.text
    kept = Translator(engine_translator.settings, translate_html_attributes=False)
    text = kept.translate_article(page, "html").text
    assert 'alt="Le maire de Lyon"' in text and 'title="Le conseil vote"' in text


@pytest.mark.parametrize(
    ("page", "english"),
    [
        ('<img src="a.png" alt="{}">', "Photo d'illustration of the town hall"),
        ("<img src='a.png' alt='{}'>", "Photo d&#x27;illustration of the town hall"),
        (
            '<p>Le maire <a href="/b" title="{}">parle</a>.</p>',
            "Photo d'illustration of the town hall",
        ),
        (
            "<p>Le maire <a href='/b' title='{}'>parle</a>.</p>",
            "Photo d&#x27;illustration of the town hall",
        ),
        ('<img alt="{}">', "A &quot;quoted&quot; photo"),
    ],
)
def test_html_attribute_values_keep_apostrophes_as_written(
    translator: Translator, tmp_path: Path, page: str, english: str
) -> None:
    # An editor's English (from the memory) with an apostrophe, or a double quote.
    approved = html.unescape(english)
    source = "Photo d'illustration de la mairie"
    quote = "'" if "='" in page else '"'
    written = source.replace(quote, "&#x27;" if quote == "'" else "&quot;")
    own = Translator(translator.settings, cache_url=f"sqlite:///{tmp_path}/c.db")
    own.approved.approve_text(source, approved, "test")
    result = own.translate_article(page.format(written), "html").text
    assert f"{quote}{english}{quote}" in result, result
    own.close()


def test_memory_stays_flat_as_a_document_grows(translator: Translator) -> None:
    """Source sentences, engine outputs and alignments are freed as sentences are done: what a long
    document holds at its peak, beyond its result, is what a short one does. Each sentence
    is marked (a URL in its middle, placed by the alignment); plain text, whose reader holds
    nothing but the blocks of the result."""

    def working_memory(sentences: int) -> int:
        text = "\n".join(f"Le maire https://x.fr/{i} parle." for i in range(sentences)) + "\n"
        gc.collect()
        gc.freeze()  # the test session's objects: out of the collections the run triggers
        tracemalloc.start()
        try:
            result = translator.translate_article(text, "text")
            held, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert len(result.segments) == sentences
        assert all("https://x.fr/" in s.translation for s in result.segments)
        return peak - held

    working_memory(10)  # the model loads, and what loads on first use
    assert working_memory(10_000) < 2 * working_memory(1_000)


def test_nesting_deeper_than_read_comes_back_as_written(translator: Translator) -> None:
    text = "<p>Le maire parle. " + "<span>" * 1000 + "Il pleut." + "</span>" * 1000 + "</p>"
    result = translator.translate_article(text, "html")
    deep = result.segments[-1]
    assert deep.flags == [flags.UNTRANSLATED] and deep.reason == segment.UNPARSED
    assert result.text.endswith(text[text.index("<span>") :])


@pytest.mark.parametrize(
    "page",
    [
        "<p>Voir https://www.radiohc.cu/ pour plus.</p>",
        "<p>Écrire à redaction@journal.fr demain.</p>",
        '<p>Voir <a href=/maire?id=3&lang=fr class="x">la page</a> du maire.</p>',
    ],
)
def test_html_addresses_and_tags_come_back_as_written(translator: Translator, page: str) -> None:
    kept = re.findall(r"https?://\S+/|\S+@\S+\.fr|<a [^>]*>", page)
    output = translator.translate_article(page, "html").text
    assert kept and all(piece in output for piece in kept), output
