"""Request and response bodies of the /v1 API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field


class SegmentOut(BaseModel):
    """One source sentence and its translation."""

    source: str
    translation: str
    block: int = Field(description="Index of the block (paragraph, heading...) it belongs to.")
    start: int = Field(description="Offset of the source sentence in the input.")
    end: int
    flags: list[str] = Field(
        description="repetition, length_ratio, untranslated, missing_digits, names, "
        "low_confidence, kept_english, glossary (the README says what each means)"
    )
    reason: str | None = Field(None, description="Every reason of `reasons`, in one line.")
    reasons: dict[str, str] = Field(
        default_factory=dict, description="Why each flag was raised, in words, by flag."
    )
    memory: Literal["approved"] | None = Field(
        None, description='"approved": the translation is an editor\'s, from the memory.'
    )
    score: float | None = Field(
        None,
        description="The model's confidence: the mean log-probability of its output tokens "
        "(0 is certainty; lower is less sure). null where the English is not the model's.",
    )


InputFormat = Literal["auto", "text", "markdown", "html", "ninjs", "newsml", "rss", "atom"]
FORMAT_HELP = (
    "How the text is written: auto (a ninjs item, NewsML-G2, an RSS or Atom feed by their "
    "content; HTML for a tag-soup body, markdown for markdown's headings, rules, bold lines and "
    "links, else plain text), text, markdown, html, ninjs, newsml, rss or atom."
)


GLOSSARY_ID_HELP = "A stored glossary (see /v2/glossaries) whose terms come out as given."
GLOSSARY_HELP = "Glossary entries for this request only: French term -> English term."


# Summary lengths, as /v1/summarize and /v1/articles take them.
MaxWords = Annotated[
    int | None, Field(ge=5, le=2000, description="The longest summary wanted, in words.")
]
MinWords = Annotated[
    int | None, Field(ge=1, le=2000, description="The shortest summary wanted, in words.")
]


class TranslateRequest(BaseModel):
    text: str | list[str]
    format: InputFormat = Field("auto", description=FORMAT_HELP)
    glossary_id: str | None = Field(None, description=GLOSSARY_ID_HELP)
    glossary: dict[str, str] | None = Field(None, description=GLOSSARY_HELP)


class TranslationOut(BaseModel):
    text: str
    segments: list[SegmentOut]


class TranslateResponse(BaseModel):
    translations: list[TranslationOut]
    model: str


class SummarizeRequest(BaseModel):
    text: str
    source_lang: Literal["en", "fr"] = "en"
    max_words: MaxWords = None
    min_words: MinWords = None


class SummarizeResponse(BaseModel):
    summary: str
    flags: list[str]
    model: str


class ArticleRequest(BaseModel):
    text: str
    format: InputFormat = Field("auto", description=FORMAT_HELP)
    summarize: bool = True
    max_words: MaxWords = None
    min_words: MinWords = None
    glossary_id: str | None = Field(None, description=GLOSSARY_ID_HELP)
    glossary: dict[str, str] | None = Field(None, description=GLOSSARY_HELP)


class FlagOut(BaseModel):
    """A flag on a segment (by index) or on the summary."""

    where: Literal["segment", "summary"]
    segment: int | None = None
    flag: str


class SummarySentenceOut(BaseModel):
    """A sentence of the summary and the segments of the article it draws on."""

    text: str
    segments: list[int] = Field(
        description="Indices in `segments` of the sentences this one draws on (overlap of "
        "their English); empty when none does."
    )
    flags: list[str] = Field(description="unsupported, unsupported_number, unsupported_name")
    reasons: dict[str, str] = Field(description="Why each flag was raised, in words, by flag.")


class BlockOut(BaseModel):
    kind: str = Field(
        description="heading1-6, paragraph, list_item, quote, caption, image, "
        "rule, code, html, table"
    )
    start: int = Field(description="Offset of the block in the input.")
    end: int
    prose: list[tuple[int, int]] = Field(
        description="The spans of the input inside the block that are translated."
    )


class ArticleResponse(BaseModel):
    """An article translated (`ArticleResult.to_dict`: also the CLI's json records)."""

    format: Literal["text", "markdown", "html", "ninjs", "newsml", "rss", "atom"] = Field(
        description="How `text` is written."
    )
    title: str | None
    text: str
    blocks: list[BlockOut]
    summary: str | None = Field(
        description="null when not asked for, or when this server has summaries turned off"
    )
    summary_sentences: list[SummarySentenceOut] | None = Field(
        None, description="The summary sentence by sentence, each with its sources."
    )
    segments: list[SegmentOut]
    flags: list[FlagOut]


class ModelOut(BaseModel):
    role: Literal["translation", "summarization"]
    name: str
    revision: str
    engine: str
    compute_type: str
    device: str


class ModelsResponse(BaseModel):
    models: list[ModelOut]
