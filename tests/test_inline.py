"""The inline model: what the model reads of a sentence, and the markup taken out of it."""

from __future__ import annotations

import pytest
from depeche import formats
from depeche.inline import Inline

DEFINITIONS = (
    '\n\n[ref]: https://example.org/r "Titre"\n[communiqué]: https://example.org/c\n'
    "[^1]: Une note.\n"
)


def inline_of(raw: str, format: str = "markdown") -> Inline:
    """The whole of `raw`'s first prose span, as one sentence."""
    reader = formats.read(raw + (DEFINITIONS if format == "markdown" else ""), format)
    if not reader.blocks or not reader.blocks[0].prose:  # not a paragraph (`~~~` is a fence)
        return Inline("")
    start, end = reader.blocks[0].prose[0]
    [sentence] = reader.run(start, end).sentences(lambda plain: [(0, len(plain))])
    return sentence.inline


@pytest.mark.parametrize(
    ("raw", "plain", "spans", "atoms"),
    [
        ("Il pleut.", "Il pleut.", [], []),
        ("**Légende de la photo**", "Légende de la photo", [(0, 19, "**", "**")], []),
        ("Il a dit *non* hier.", "Il a dit non hier.", [(9, 12, "*", "*")], []),
        (
            'Voir [le site](https://x.fr/a_(b) "titre") ici.',
            "Voir le site ici.",
            [(5, 12, "[", '](https://x.fr/a_(b) "titre")')],
            [],
        ),
        ("Le [ministère][ref] parle.", "Le ministère parle.", [(3, 12, "[", "][ref]")], []),
        ("Un [communiqué][] ici.", "Un communiqué ici.", [(3, 13, "[", "][]")], []),
        ("Un [communiqué] ici.", "Un communiqué ici.", [(3, 13, "[", "]")], []),
        ("Texte[^1] ici.", "Texte ici.", [], [(5, "[^1]")]),
        ("Écrire à a@b.fr vite.", "Écrire à vite.", [], [(9, "a@b.fr")]),
        (
            "Lire https://x.fr/wiki/Élysée_(palais).",
            "Lire .",
            [],
            [(5, "https://x.fr/wiki/Élysée_(palais)")],
        ),
        ("Un `code` ici.", "Un ici.", [], [(3, "`code`")]),
        (
            "Une image ![icône](i.png) au milieu.",
            "Une image au milieu.",
            [],
            [(10, "![icône](i.png)")],
        ),
        ("Une voiture <b>rouge</b> ici.", "Une voiture rouge ici.", [(12, 17, "<b>", "</b>")], []),
        ("Un <br> saut.", "Un saut.", [], [(3, "<br>")]),
        ("ligne\\\nsuite", "ligne suite", [], [(5, "\\\n")]),
        ("&nbsp;&eacute;t&eacute; \\*pas\\* \\# \\[x\\]", "été *pas* # [x]", [], []),
        ("Un\u00a0mot\u202f! \t et\u0007 la\ufefffin", "Un mot ! et la fin", [], []),
        ("Avec \0 un NUL.", "Avec \ufffd un NUL.", [], []),
        ("Un mot anti\u00adconstitu\u200dtionnel.", "Un mot anticonstitutionnel.", [], []),
    ],
)
def test_what_the_model_reads(
    raw: str, plain: str, spans: list[tuple[int, int, str, str]], atoms: list[tuple[int, str]]
) -> None:
    inline = inline_of(raw)
    assert inline.plain == plain
    assert [(s.start, s.end, s.open, s.close) for s in inline.spans] == spans
    assert [(a.at, a.raw) for a in inline.atoms] == atoms
