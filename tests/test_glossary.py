from __future__ import annotations

from pathlib import Path

import pytest
from depeche import flags
from depeche.errors import GlossaryError
from depeche.glossary import Glossary, Term, place
from depeche.translator import Translator

TERMS = Glossary.of(
    {
        "Minrex": "Cuban Foreign Ministry",
        "RHC": "Radio Havana Cuba",
        "ministère": "ministry",
        "ministère des Affaires étrangères": "Foreign Office",
    }
)


@pytest.mark.parametrize(
    ("text", "format", "entries"),
    [
        ("Minrex\tCuban Foreign Ministry\n\nRHC\tRadio Havana Cuba\n", "tsv", 2),
        ("Minrex,Cuban Foreign Ministry\nRHC,Radio Havana Cuba,fr,en\n", "csv", 2),
        ('"ministère, le",ministry\n', "csv", 1),
        ("Minrex,Cuban Foreign Ministry\rRHC,Radio Havana Cuba\r\n", "csv", 2),
    ],
)
def test_parse(text: str, format: str, entries: int) -> None:
    assert len(Glossary.parse(text, format).entries) == entries


@pytest.mark.parametrize(
    ("text", "format", "message"),
    [
        ("Minrex\n", "tsv", "line 1"),
        ("a\tb\na\tc\n", "tsv", "twice"),
        ("a\t \n", "tsv", "empty"),
        ("a,b,de,en\n", "csv", "fr to en"),
        ("a\rb,c\n", "csv", "line 1: expected source,target"),
        ('x,y\n"a\nb",c\nd\n', "csv", "line 4: expected"),
        ("x,y\n" + "a" * 200_000 + ",b\n", "csv", "line 2: not CSV"),
        ("", "tsv", "no entries"),
        ("a\tb\n", "xlsx", "entries_format"),
    ],
)
def test_parse_refuses(text: str, format: str, message: str) -> None:
    with pytest.raises(GlossaryError, match=message):
        Glossary.parse(text, format)


def test_load_reads_by_suffix(tmp_path: Path) -> None:
    (tmp_path / "terms.csv").write_text("RHC,Radio Havana Cuba\n", encoding="utf-8")
    (tmp_path / "terms.tsv").write_text("\ufeffRHC\tRadio Havana Cuba\n", encoding="utf-8")
    assert Glossary.load(tmp_path / "terms.csv") == Glossary.load(tmp_path / "terms.tsv")


def test_digest_follows_content_not_name() -> None:
    same = Glossary.of(TERMS.entries, name="other")
    assert same.digest == TERMS.digest
    assert Glossary.of({"RHC": "RHC radio"}).digest != TERMS.digest


@pytest.mark.parametrize(
    ("plain", "found"),
    [
        ("Le Minrex a parlé.", [("Minrex", "Cuban Foreign Ministry")]),
        # whole words only
        ("Les Minrexiens et AMinrex.", []),
        # longest first
        (
            "Le ministère des Affaires étrangères et le ministère.",
            [("ministère des Affaires étrangères", "Foreign Office"), ("ministère", "ministry")],
        ),
        # a sentence-initial capital matches a lower-case term; elsewhere case matters
        ("Ministère et Ministère.", [("Ministère", "ministry")]),
        ("minrex et rhc.", []),
        (
            "Selon RHC, le Minrex.",
            [("RHC", "Radio Havana Cuba"), ("Minrex", "Cuban Foreign Ministry")],
        ),
    ],
)
def test_find(plain: str, found: list[tuple[str, str]]) -> None:
    assert [(plain[t.start : t.end], t.target) for t in TERMS.find(plain)] == found


@pytest.mark.parametrize(
    ("source", "translation", "alignment", "expected", "missed"),
    [
        # copied as written: replaced where it stands, punctuation kept around it
        (
            "Selon RHC, tout va.",
            "According to RHC, all is well.",
            [],
            "According to Radio Havana Cuba, all is well.",
            0,
        ),
        # not copied: the aligned words are replaced
        (
            "Le ministère a parlé.",
            "The department spoke.",
            [(0, 0), (1, 1), (2, 2), (2, 3)],
            "The ministry spoke.",
            0,
        ),
        # sentence-initial: a capital
        ("Ministère fermé.", "Department closed.", [(0, 0), (1, 1)], "Ministry closed.", 0),
        # aligned nowhere and not copied: missed, the translation left as it is
        ("Le ministère a parlé.", "He spoke.", [(0, 0), (1, 3)], "He spoke.", 1),
        # attention spread over the whole sentence is no placement
        (
            "Le ministère a parlé hier soir.",
            "Yesterday evening the department had spoken.",
            [(0, 1), (5, 1)],
            "Yesterday evening the department had spoken.",
            1,
        ),
    ],
)
def test_place(
    source: str, translation: str, alignment: list[tuple[int, int]], expected: str, missed: int
) -> None:
    placed = place(TERMS.find(source), source, translation, alignment)
    assert (placed.text, placed.missed) == (expected, missed)


def test_place_moves_the_alignment_with_the_words() -> None:
    source = "Le ministère a parlé."
    placed = place(
        TERMS.find(source), source, "The department has spoken.", [(0, 0), (1, 1), (2, 2), (3, 3)]
    )
    assert placed.text == "The ministry has spoken."
    assert placed.alignment == [(0, 0), (1, 1), (2, 2), (3, 3)]
    longer = place(
        [Term(3, 12, "foreign ministry")],
        source,
        "The department has spoken.",
        [(0, 0), (1, 1), (3, 3)],
    )
    assert longer.text == "The foreign ministry has spoken."
    assert longer.alignment == [(0, 0), (1, 1), (2, 1), (4, 3)]


# -- with the trained tiny model: it copies the first four words of its input ----------------


def test_terms_come_out_as_the_glossary_says(engine_translator: Translator) -> None:
    glossary = Glossary.of({"Lyon": "LYON-CITY", "Mme Lefèvre": "Madam Lefèvre"})
    texts = ["Le maire de Lyon a présenté un budget.", "Mme Lefèvre refuse la grève."]
    plain = engine_translator.translate(texts)
    runtime = engine_translator._load()
    outputs = engine_translator._path.stage.translate(texts)
    alignments = runtime.align(texts, outputs)
    expected = [
        place(glossary.find(t), t, o.text, a).text
        for t, o, a in zip(texts, outputs, alignments, strict=True)
    ]
    assert engine_translator.translate(texts, glossary=glossary) == expected
    assert expected[0].count("LYON-CITY") == 1 and "Lyon" in plain[0]
    assert expected[1].startswith("Madam Lefèvre")


def test_a_term_the_translation_lacks_is_flagged(engine_translator: Translator) -> None:
    glossary = Glossary.of({"budget": "spending plan"})
    article = engine_translator.translate_article(
        "Le maire de Lyon a présenté un budget.", glossary=glossary
    )
    assert flags.GLOSSARY in article.segments[0].flags
    assert "spending plan" not in article.text
    untouched = engine_translator.translate_article("Le maire de Lyon a présenté un budget.")
    assert flags.GLOSSARY not in untouched.segments[0].flags


def test_terms_inside_emphasis_keep_the_emphasis(engine_translator: Translator) -> None:
    glossary = Glossary.of({"Lyon": "LYON-CITY"})
    article = engine_translator.translate_article(
        "Le maire de *Lyon* a présenté un budget.", "markdown", glossary=glossary
    )
    assert "*LYON-CITY*" in article.text


def test_glossaries_key_the_response_cache(translator: Translator, tmp_path: Path) -> None:
    cached = Translator(translator.settings, cache_url=f"sqlite:///{tmp_path}/c.db")
    text = "Le maire de Lyon a présenté un budget."
    first = cached.translate_article(text, glossary=Glossary.of({"Lyon": "ONE"}))
    second = cached.translate_article(text, glossary=Glossary.of({"Lyon": "TWO"}))
    again = cached.translate_article(text, glossary=Glossary.of({"Lyon": "ONE"}))
    assert "ONE" in first.text and "TWO" in second.text and second.cache != "hit"
    assert again.cache == "hit" and again.text == first.text
    cached.close()


def test_the_default_glossary_setting(translator: Translator, tmp_path: Path) -> None:
    path = tmp_path / "house.tsv"
    path.write_text("Lyon\tLYON-CITY\n", encoding="utf-8")
    house = Translator(translator.settings, glossary=path)
    text = "Le maire de Lyon a présenté un budget."
    assert "LYON-CITY" in house.translate([text])[0]
    # A glossary given with the request wins over the default.
    assert "OTHER" in house.translate([text], glossary=Glossary.of({"Lyon": "OTHER"}))[0]
    house.close()
