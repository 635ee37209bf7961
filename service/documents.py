"""Whole documents: a file's bytes in, the translated file's bytes out, its kind kept.

`.docx` keeps its formatting (`formats.docx`); `.html`/`.htm`, `.md` and `.txt` are read as
their format and written back as they were, only the prose translated; `.json`, `.xml`,
`.rss` and `.atom` are news items or feeds (`formats.wire`), written back in their format.
A translated file is kept for its download by `store.downloads`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from .config import Settings
from .errors import InputError, PayloadTooLargeError
from .formats import (
    NOT_AN_ITEM,
    DocumentFormat,
    characters,
    decode,
    detect,
    document_type,
    format_of_file,
    is_wire,
    media_type,
    suffixes,
)
from .glossary import Glossary
from .store.downloads import TranslatedDocument
from .store.records import check_text

if TYPE_CHECKING:
    from .formats.docx import DocxDocument
    from .translator import Translator

# How a file is read: as the format its suffix names, by its content (`auto`), as a Word
# document, or as a news item or feed (`item`: which one, its content says).
Kind = Literal["auto", "markdown", "html", "docx", "item"]


def kind_of(name: str) -> Kind:
    """The kind of document a file name says (`formats.format_of_file`); `InputError` for one
    depeche does not read."""
    format = format_of_file(name)
    if format is None:
        raise InputError(
            f"{name or 'the file'}: depeche translates {', '.join(sorted(suffixes()))} documents"
        )
    if format == "docx":
        return "docx"
    if is_wire(format):
        return "item"
    return cast(Kind, format) if document_type(format).named_by_suffix else "auto"


@dataclass(frozen=True)
class ReadDocument:
    """A file read and within bounds, not translated yet: what translating it will bill
    (the characters of its text, not of its markup) is known before any translation."""

    name: str
    kind: Kind
    billed: int
    text: str = ""  # a text document's content, and the format it is read in
    format: DocumentFormat = "text"
    docx: DocxDocument | None = None

    def translate(
        self, translator: Translator, glossary: Glossary | None = None
    ) -> TranslatedDocument:
        """The translated file."""
        if self.docx is not None:
            fragments = self.docx.fragments
            todo = [i for i, f in enumerate(fragments) if f]
            results = translator.translate_articles(
                [fragments[i] for i in todo], "html", glossary=glossary
            )
            translations = list(fragments)
            for index, result in zip(todo, results, strict=True):
                translations[index] = result.text
            self.docx.write(translations)
            return TranslatedDocument(self.name, self.docx.save(), media_type("docx"), self.billed)
        result = translator.translate_article(self.text, self.format, glossary=glossary)
        # A news item as what it is; other text as its file's suffix says (a .txt stays text).
        written = self.format if is_wire(self.format) else format_of_file(self.name) or "text"
        return TranslatedDocument(self.name, result.text.encode(), media_type(written), self.billed)


def read_document(settings: Settings, data: bytes, name: str) -> ReadDocument:
    """The file `name` whose bytes are `data`, read and measured: `PayloadTooLargeError` past
    `DEPECHE_MAX_DOCUMENT_BYTES` or `DEPECHE_MAX_DOCUMENT_CHARS` characters of text,
    `InputError` for what cannot be read (a .docx past its bounds unzipped included)."""
    check_text(name, "the file's name")
    kind = kind_of(name)
    limit = settings.max_document_bytes
    if len(data) > limit:
        raise PayloadTooLargeError(f"a document of {len(data)} bytes; at most {limit}")
    if kind == "docx":
        from .formats.docx import DocxDocument

        document = DocxDocument(data, max_unzipped=limit)
        read = ReadDocument(name, kind, document.characters, docx=document)
    else:
        text = decode(data, name)
        format: DocumentFormat
        if kind == "item":
            format = detect(text)
            if not is_wire(format):
                raise InputError(f"{name}: {NOT_AN_ITEM}")
        else:
            format = detect(text, name) if kind == "auto" else kind
        read = ReadDocument(name, kind, characters(text, format), text, format)
    chars = settings.max_document_chars
    if read.billed > chars:
        raise PayloadTooLargeError(
            f"a document of {read.billed} characters of text; at most {chars} "
            "(DEPECHE_MAX_DOCUMENT_CHARS)"
        )
    return read


def translate_document(
    translator: Translator, data: bytes, name: str, glossary: Glossary | None = None
) -> TranslatedDocument:
    """Translate the file `name` whose bytes are `data`."""
    check_text(name, "the file's name")  # before the translator is even looked at
    return read_document(translator.settings, data, name).translate(translator, glossary)
