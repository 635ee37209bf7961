from __future__ import annotations

import pytest
from depeche import sentences
from depeche.sentences import split, split_long


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in split(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il pleut. Il vente.", ["Il pleut.", "Il vente."]),
        ("M. Dupont est arrivé. Mme Durand aussi.", ["M. Dupont est arrivé.", "Mme Durand aussi."]),
        ("Le Dr. Martin a parlé. Il est parti.", ["Le Dr. Martin a parlé.", "Il est parti."]),
        (
            "Maksim S. Oreshkin est venu. Puis il est reparti.",
            ["Maksim S. Oreshkin est venu.", "Puis il est reparti."],
        ),
        (
            "Des pommes, des poires, etc. sont vendues.",
            ["Des pommes, des poires, etc. sont vendues."],
        ),
        ("On cite p. ex. le cas de Rome. Fin.", ["On cite p. ex. le cas de Rome.", "Fin."]),
        (
            "Il est mort en 44 av. J.-C. à Rome. Fin.",
            ["Il est mort en 44 av. J.-C. à Rome.", "Fin."],
        ),
        ("Le dossier n° 12 est clos. Oui.", ["Le dossier n° 12 est clos.", "Oui."]),
        ("Un budget de 3,5 M€ est prévu. Bien.", ["Un budget de 3,5 M€ est prévu.", "Bien."]),
        ("Il y a 25 000 personnes. Ok.", ["Il y a 25 000 personnes.", "Ok."]),
        (
            "« Nous partons. Demain matin », a-t-il dit. Fin.",
            ["« Nous partons. Demain matin », a-t-il dit.", "Fin."],
        ),
        ("Quoi\u202f? Il est parti\u00a0!", ["Quoi\u202f?", "Il est parti\u00a0!"]),
        ("Sans point final", ["Sans point final"]),
        ("   ", []),
        ("", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mme. X. " * 5_000,  # one sentence: every period follows a title or an initial
        "a" * 20_000,
        "Le Dr. Martin parle à Mme. Dupont. " * 1_000,
    ],
)
def test_pysbd_reads_long_texts_in_pieces(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """pysbd's time grows with the square of its input: it never gets a long one whole."""
    segmenter = sentences._segmenter("fr")
    segment = segmenter.segment  # type: ignore[attr-defined]
    lengths: list[int] = []

    def measured(piece: str) -> list[str]:
        lengths.append(len(piece))
        return segment(piece)  # type: ignore[no-any-return]

    monkeypatch.setattr(segmenter, "segment", measured)
    spans = split(text)
    assert max(lengths) <= 2_000 and sum(lengths) == len(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text.rstrip())


def test_long_texts_split_as_their_sentences_do() -> None:
    """Where the pieces meet changes nothing: a title or an initial still never ends one."""
    sentence = "Le Dr. Martin a vu Maksim S. Oreshkin et Mme. Durand, etc. à Rome."
    text = " ".join([sentence] * 500)
    assert sentences_of(text) == [sentence] * 500


@pytest.mark.parametrize(
    "text",
    ["  Il pleut.  Il vente.\u00a0 ", "Un. Deux.\tTrois.", "Phrase sans fin  ", "« A. » B."],
)
def test_split_keeps_everything_between_sentences(text: str) -> None:
    spans = split(text)
    edges = [0, *[edge for span in spans for edge in span], len(text)]
    gaps = [text[edges[i] : edges[i + 1]] for i in range(0, len(edges), 2)]
    assert all(not gap.strip() for gap in gaps)
    assert all(text[a:b] == text[a:b].strip() for a, b in spans)


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("un deux trois", 5, ["un deux trois"]),
        ("un deux; trois quatre", 2, ["un deux;", "trois quatre"]),
        ("un deux, trois quatre", 2, ["un deux,", "trois quatre"]),
        ("un deux, trois; quatre cinq", 3, ["un deux, trois;", "quatre cinq"]),
        ("a b c d", 2, ["a b", "c d"]),
    ],
)
def test_split_long_cuts_at_clause_boundaries(text: str, limit: int, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_long(text, words, limit)] == expected


def test_split_long_drops_nothing() -> None:
    text = " ".join(f"mot{i}" + ("," if i % 7 == 0 else "") for i in range(2000))
    pieces = split_long(text, words, 100)
    assert all(words(text[a:b]) <= 100 for a, b in pieces)
    assert " ".join(text[a:b] for a, b in pieces) == text


def test_split_long_cuts_a_run_without_spaces() -> None:
    text = "x" * 1000
    pieces = split_long(text, len, 300)
    assert all(b - a <= 300 for a, b in pieces)
    assert "".join(text[a:b] for a, b in pieces) == text
