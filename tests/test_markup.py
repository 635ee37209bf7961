from __future__ import annotations

import pytest
from depeche.markup import Mark, is_clean, restore, strip


@pytest.mark.parametrize(
    ("raw", "plain", "marks"),
    [
        ("Il pleut.", "Il pleut.", []),
        ("**Légende de la photo**", "Légende de la photo", [(0, 19, "**", "**")]),
        ("Il a dit *non* hier.", "Il a dit non hier.", [(9, 12, "*", "*")]),
        (
            'Voir [le site](https://x.fr/a_(b) "titre") ici.',
            "Voir le site ici.",
            [(5, 12, "[", '](https://x.fr/a_(b) "titre")')],
        ),
        ("Écrire à a@b.fr vite.", "Écrire à vite.", [(9, 9, "a@b.fr", "")]),
        ("Lire https://x.fr/p?q=1.", "Lire .", [(5, 5, "https://x.fr/p?q=1", "")]),
        ("<https://x.fr/long>", "", [(0, 0, "<https://x.fr/long>", "")]),
        ("Un `code` ici.", "Un ici.", [(3, 3, "`code`", "")]),
        ("Une ![image](a.png) ici.", "Une ici.", [(4, 4, "![image](a.png)", "")]),
        ("**gras _penché_**", "gras penché", [(5, 11, "_", "_"), (0, 11, "**", "**")]),
        ("Un\u00a0mot\u202f! \t et\u0007 la\ufefffin", "Un mot ! et la fin", []),
    ],
)
def test_strip(raw: str, plain: str, marks: list[tuple[int, int, str, str]]) -> None:
    inline = strip(raw)
    assert inline.plain == plain
    assert [(m.start, m.end, m.open, m.close) for m in inline.marks] == marks


@pytest.mark.parametrize(
    "raw",
    [
        "Il a dit *non* à [la réforme](https://x.fr) hier.",
        "**gras _penché_ et [lien](u)**",
        "Écrire à a@b.fr ou lire https://x.fr/p maintenant.",
        "Un `code` et ![img](a.png) ici.",
        "Ligne  \nsuite du texte.",
    ],
)
def test_identity_translation_restores_the_source(raw: str) -> None:
    inline = strip(raw)
    words = len(inline.plain.split())
    restored = restore(inline.plain, inline, [(i, i) for i in range(words)])
    assert " ".join(restored.split()) == " ".join(raw.split())


@pytest.mark.parametrize(
    ("alignment", "expected"),
    [
        ([(0, 1), (1, 0), (2, 2)], "the *mayor* spoke"),  # follows the alignment
        ([], "*the* mayor spoke"),  # no alignment: the same share of the sentence
        ([(2, 0)], "the mayor *spoke*"),
    ],
)
def test_restore_follows_alignment(alignment: list[tuple[int, int]], expected: str) -> None:
    inline = strip("*maire* le parle")
    assert inline.marks == (Mark(0, 5, "*", "*"),)
    assert restore("the mayor spoke", inline, alignment) == expected


def test_crossing_alignments_still_give_balanced_markers() -> None:
    inline = strip("*un deux* [trois quatre](u)")
    # Target words aligned so that the two ranges would cross.
    restored = restore("a b c d", inline, [(0, 0), (2, 1), (1, 2), (3, 3)])
    assert restored.count("*") == 2 and restored.count("[") == 1 and restored.count("](u)") == 1
    assert is_clean(restored)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("*Il pleut.", False), ("*Il pleut.*", True), ("Il pleut.", True), ("[lien", False)],
)
def test_is_clean(raw: str, clean: bool) -> None:
    assert is_clean(raw) is clean
