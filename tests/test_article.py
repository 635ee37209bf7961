"""Property tests of the article layer: any article survives segmentation byte for byte."""

from __future__ import annotations

from depeche import article, blocks
from depeche.reassembly import reassemble
from hypothesis import given, settings
from hypothesis import strategies as st

WORDS = [
    "le",
    "maire",
    "Élise",
    "a",
    "dit",
    "« non »",
    "25\u00a0000",
    "3,5",
    "M.",
    "etc.",
    "Dr.",
    "l'été",
    "n°\u202f12",
    "(RHC)",
    "x",
    "ça",
    "—",
    "\t",
    "café",
]
ENDS = [".", " !", "\u202f?", "…", ""]
NEWLINES = ["\n", "\r\n"]


@st.composite
def sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
    text = " ".join(words) + draw(st.sampled_from(ENDS))
    decoration = draw(st.sampled_from(["", "em", "strong", "link", "url", "code"]))
    middle = len(words) // 2
    if decoration == "em":
        text = "*" + text + "*"
    elif decoration == "strong":
        text = " ".join(words[:middle]) + " **" + " ".join(words[middle:]) + "**."
    elif decoration == "link":
        text = "[" + text + "](https://example.org/a_(b))"
    elif decoration == "url":
        text = text + " https://example.org/p?q=1"
    elif decoration == "code":
        text = "`code` " + text
    return text


@st.composite
def block(draw: st.DrawFn) -> str:
    body = " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))
    kind = draw(
        st.sampled_from(
            [
                "paragraph",
                "heading",
                "bullet",
                "ordered",
                "quote",
                "rule",
                "image",
                "caption",
                "autolink",
                "fence",
                "wrapped",
            ]
        )
    )
    newline = draw(st.sampled_from(NEWLINES))
    return {
        "paragraph": body,
        "heading": "#" * draw(st.integers(1, 6)) + " " + body,
        "bullet": f"- {body}{newline}- {body}",
        "ordered": f"1. {body}{newline}2. {body}",
        "quote": f"> {body}{newline}> {body}",
        "rule": "---",
        "image": "Image not found or type unknown",
        "caption": "**" + " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1))) + "**",
        "autolink": "<https://example.org/article-123>",
        "fence": f"```{newline}code à garder{newline}```",
        "wrapped": body.replace(" ", newline, 1),
    }[kind]


@st.composite
def articles(draw: st.DrawFn) -> str:
    parts = draw(st.lists(block(), min_size=0, max_size=8))
    separators = [draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n\n\n", "\n \n"])) for _ in parts]
    text = "".join(part + sep for part, sep in zip(parts, separators, strict=True))
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@settings(max_examples=150, deadline=None)
@given(articles(), st.sampled_from(["markdown", "text"]))
def test_untranslated_segments_give_the_input_back(text: str, format: blocks.Format) -> None:
    doc_blocks, drafts = article.segment(text, format)
    segments = [d.segment for d in drafts]
    assert reassemble(text, segments) == text
    previous_end = 0
    for segment in segments:
        assert segment.source == text[segment.start : segment.end]
        assert segment.start >= previous_end  # in order, never overlapping
        owner = doc_blocks[segment.block]
        assert owner.start <= segment.start and segment.end <= owner.end
        previous_end = segment.end


@settings(max_examples=100, deadline=None)
@given(articles())
def test_replacing_every_sentence_keeps_the_block_structure(text: str) -> None:
    doc_blocks, drafts = article.segment(text, "markdown")
    assert [b.kind for b in doc_blocks] == [
        b.kind for b in blocks.parse(text.lstrip("\ufeff"), "markdown")
    ]
    for draft in drafts:
        draft.segment.translation = "Texte" if draft.inline.plain else draft.segment.source
    output = reassemble(text, [d.segment for d in drafts])

    def shape(blocks_: list[blocks.Block]) -> list[str]:
        return [{"caption": "paragraph"}.get(b.kind, b.kind) for b in blocks_]

    assert shape(blocks.parse(output, "markdown")) == shape(doc_blocks)
    for marker in ("https://example.org/article-123", "Image not found or type unknown", "---"):
        assert output.count(marker) == text.count(marker)


def test_sentences_are_never_cut_inside_markup() -> None:
    text = "*Il pleut. Il vente.* Puis le soleil. Fin."
    _, drafts = article.segment(text, "markdown")
    # pysbd cuts after "pleut." (inside the emphasis); the pieces are joined back up.
    assert [d.segment.source for d in drafts] == ["*Il pleut. Il vente.* Puis le soleil.", "Fin."]
    assert drafts[0].inline.plain == "Il pleut. Il vente. Puis le soleil."
