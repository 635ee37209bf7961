from __future__ import annotations

import pytest
from depeche.assemble import reassemble
from depeche.formats import Block, read
from depeche.restore import as_written, restore
from depeche.results import Output
from depeche.segment import segment
from hypothesis import given, settings
from hypothesis import strategies as st


def parse(text: str, format: str = "markdown") -> list[Block]:
    return read(text, format).blocks


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("", []),
        ("Une ligne.", ["Une ligne."]),
        ("Un.\n\nDeux.\n", ["Un.", "Deux."]),
        ("  Indenté.  \r\nSuite.\r\n", ["Indenté.", "Suite."]),
        ("\n \n\t\n", []),
    ],
)
def test_plain_text_lines_are_paragraphs(text: str, prose: list[str]) -> None:
    blocks = parse(text, "text")
    assert [text[a:b] for block in blocks for a, b in block.prose] == prose
    assert all(block.kind == "paragraph" for block in blocks)


ARTICLE = (
    "# *Titre en italique*\r\n\r\n---\r\n\r\nImage not found or type unknown\r\n\r\n"
    "**Légende de la photo**\r\n\r\nParis, 3 juin (AFP) Premier paragraphe.\r\n\r\n"
    "> Une citation\r\n> sur deux lignes.\r\n\r\n- Un\r\n- Deux\r\n\r\n1. Premier\r\n\r\n"
    "Un paragraphe\r\nsur deux lignes.\r\n\r\n```\r\ncode\r\n```\r\n\r\n"
    "<https://example.org/x>\r\n\r\n**Pied de page**"
)


def test_markdown_blocks_and_their_prose() -> None:
    found = [(b.kind, [ARTICLE[a:z] for a, z in b.prose]) for b in parse(ARTICLE)]
    assert found == [
        ("heading1", ["*Titre en italique*"]),
        ("rule", []),
        ("image", []),
        ("caption", ["**Légende de la photo**"]),
        ("paragraph", ["Paris, 3 juin (AFP) Premier paragraphe."]),
        ("quote", ["Une citation", "sur deux lignes."]),
        ("list_item", ["Un"]),
        ("list_item", ["Deux"]),
        ("list_item", ["Premier"]),
        ("paragraph", ["Un paragraphe\r\nsur deux lignes."]),
        ("code", []),
        ("paragraph", ["<https://example.org/x>"]),
        ("caption", ["**Pied de page**"]),
    ]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Titre\n=====\n", ["heading1"]),
        ("## Sous-titre ##\n", ["heading2"]),
        ("| a | b |\n|---|---|\n| c | d |\n", ["table_header"] * 2 + ["table_cell"] * 2),
        ("<div>html</div>\n", ["html"]),
        ("", []),
        ("\ufeff---\n", ["rule"]),
        ("\ufeff# Titre", ["heading1"]),
    ],
)
def test_markdown_block_kinds(text: str, kinds: list[str]) -> None:
    assert [b.kind for b in parse(text, "markdown")] == kinds


def kinds_and_prose(text: str) -> list[tuple[str, list[str]]]:
    return [(b.kind, [text[a:z] for a, z in b.prose]) for b in parse(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # reference definitions are kept as written, not read as prose
            'Le [ministère][mi] parle.\n\n[mi]: https://x.fr "Titre"\n',
            [("paragraph", ["Le [ministère][mi] parle."]), ("definition", [])],
        ),
        (  # a footnote's text is prose
            "Texte[^1] ici.\n\n[^1]: Une note *importante*.\n",
            [("paragraph", ["Texte[^1] ici."]), ("footnote", ["Une note *importante*."])],
        ),
        (  # front matter is kept whole, never read as a setext heading
            "---\ntitre: Le budget\nauteur: Moi\n---\n\nTexte.\n",
            [("front_matter", []), ("paragraph", ["Texte."])],
        ),
        (  # GFM table cells are prose; pipes and the alignment row stay
            "| Nom | Âge |\n|:---|---:|\n| Le maire | 52 ans |\n",
            [
                ("table_header", ["Nom"]),
                ("table_header", ["Âge"]),
                ("table_cell", ["Le maire"]),
                ("table_cell", ["52 ans"]),
            ],
        ),
        (  # rows without outer pipes; an escaped pipe stays in its cell; an empty cell
            "Nom | Âge\n--- | ---\nLe maire \\| adjoint | 52 ans\n | vide\n",
            [
                ("table_header", ["Nom"]),
                ("table_header", ["Âge"]),
                ("table_cell", ["Le maire \\| adjoint"]),
                ("table_cell", ["52 ans"]),
                ("table_cell", ["vide"]),
            ],
        ),
        (  # a NUL character does not hide its paragraph
            "Un paragraphe avec \0 un NUL.\n",
            [("paragraph", ["Un paragraphe avec \0 un NUL."])],
        ),
    ],
)
def test_markdown_documents(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert kinds_and_prose(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "".join("  " * depth + "- Niveau profond.\n" for depth in range(12))
        + "\nAprès la liste.\n",
        "> " * 25 + "Une citation profonde.\n\nAprès la citation.\n",
    ],
)
def test_deep_nesting_leaves_no_prose_unread(text: str) -> None:
    drafts = list(segment(text, "markdown")[1])
    covered = [(d.start, d.end) for d in drafts]
    for index, char in enumerate(text):
        if char.isalpha():
            assert any(start <= index < end for start, end in covered), text[index:]
    unread = [s for s in map(as_written, drafts) if s.reason]
    assert all(s.flags == ["untranslated"] for s in unread)


# -- the English keeps the source's block structure, whatever the model writes ----------------


def structure(text: str) -> list[tuple[str, str, int, int]]:
    """The block tokens of `text` as markdown-it reads them (inline content left out)."""
    from depeche.formats.markdown import parser

    return [(t.type, t.tag, t.nesting, t.level) for t in parser().parse(text) if t.type != "inline"]


def translated(text: str, english: list[str]) -> str:
    """`text` with its sentences replaced by `english`, through the writer's path."""
    drafts = list(segment(text, "markdown")[1])
    outputs = [Output(english[i % len(english)], score=-0.1) for i in range(len(drafts))]
    return reassemble(text, [restore(d, o) for d, o in zip(drafts, outputs, strict=True)])


@pytest.mark.parametrize(
    ("source", "english", "expected"),
    [
        (
            "— C'est fini, répondit la ministre.",
            "- It's over, the minister replied.",
            "\\- It's over, the minister replied.",
        ),
        ("1984 est un roman.", "1984. A novel.", "1984\\. A novel."),
        ("Il a dit : non.", "# no, he said", "\\# no, he said"),
        ("- Un point.", "- A point.", "- \\- A point."),
        ("> Une citation.", "> A quote.", "> \\> A quote."),
        ("Le titre\n\nLa suite.", "===", "\\===\n\n\\==="),
        ("Il pleut. Il vente.", "- a", "\\- a - a"),  # only the line's start is escaped
        ("# Un titre", "- Title", "# - Title"),  # a heading's text opens no block
        ("Un.\n\n- Deux.", "1) x", "1\\) x\n\n- 1\\) x"),
        ("Un.\n\nDeux.", "--- x", "-\\-- x\n\n-\\-- x"),  # a rule, or front matter first
        ("- Un.\n\nDeux.", "a--b", "- a\\--b\n\na\\--b"),  # mdit's front matter on `- a--`
        ("Un\nDeux", "~~~ tildes", "\\~~~ tildes"),
        ("Un.", "Line\nbreak", "Line break"),  # the model's line break is a space
    ],
)
def test_english_that_would_open_a_block_is_escaped(
    source: str, english: str, expected: str
) -> None:
    assert translated(source, [english]) == expected
    assert structure(translated(source, [english])) == structure(source)


FRENCH = [
    "Le maire a parlé.",
    "— C'est fini, répondit la ministre.",
    "La ministre refuse *la grève* du jour.",
    "Un agriculteur du Gers conteste la vente.",
]
# Every kind of block, and the places inside blocks where a line starts.
TEMPLATES = [
    "{}",
    "{} {}",
    "{}\n{}",
    "{}  \n{}",
    "# {}",
    "- {}",
    "+ {}\n+ {}",
    "1. {}",
    "3) {}",
    "> {}",
    "> {}\n> {}",
    "> - {}",
    "- > {}",
    "1. - {}",
    "| {} | {} |\n| --- | --- |\n| {} | {} |",
    "Un paragraphe.\n{}",
    "- Un point.\n  {}",
]
MARKERS = [
    "- ",
    "+ ",
    "* ",
    "1. ",
    "1) ",
    "12. ",
    "# ",
    "### ",
    "> ",
    "| ",
    "|",
    "---",
    "- - -",
    "===",
    "```",
    "~~~",
    "    ",
    "\t",
    "\n",
    "\r\n",
    "<div>",
    "_",
    "__",
    "[x]: /u",
    "[^1]: ",
    "2019. ",
    "-",
    "=",
    "#",
    ">",
    "+",
    "\\",
]
WORDS = ["It's over", "the minister replied", "farmers", "a strike", "Lyon"]
english = st.lists(st.sampled_from(MARKERS + WORDS + [" ", ". "]), min_size=0, max_size=6).flatmap(
    lambda parts: st.sampled_from(WORDS).map(lambda word: "".join([*parts, word]))
)


@settings(max_examples=300, deadline=None)
@given(
    blocks=st.lists(
        st.tuples(st.sampled_from(TEMPLATES), st.lists(st.sampled_from(FRENCH), min_size=4)),
        min_size=1,
        max_size=4,
    ),
    outputs=st.lists(english, min_size=1, max_size=8),
)
def test_the_english_keeps_the_block_structure_whatever_the_model_writes(
    blocks: list[tuple[str, list[str]]], outputs: list[str]
) -> None:
    source = "\n\n".join(template.format(*french) for template, french in blocks) + "\n"
    assert structure(translated(source, outputs)) == structure(source)
