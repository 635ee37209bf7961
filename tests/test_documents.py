from __future__ import annotations

import io
import zipfile

import docx
import pytest
from depeche.documents import (
    kind_of,
    read_document,
    translate_document,
)
from depeche.errors import InputError, PayloadTooLargeError
from depeche.formats.docx import DocxDocument
from depeche.glossary import Glossary
from depeche.translator import Translator

from tests.docx_files import article, repacked

HTML = "<h1>Le maire de Lyon</h1>\n<p>La ministre <b>refuse</b> la grève.</p>\n"
MARKDOWN = "# *Le maire de Lyon*\n\n---\n\nLa ministre refuse la grève.\n"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "auto"),
        ("a.MD", "markdown"),
        ("a.htm", "html"),
        ("a.html", "html"),
        ("r.docx", "docx"),
    ],
)
def test_kind_of(name: str, kind: str) -> None:
    assert kind_of(name) == kind


@pytest.mark.parametrize("name", ["a.pdf", "a.doc", "noext"])
def test_other_files_are_refused(name: str) -> None:
    with pytest.raises(InputError, match="depeche translates"):
        kind_of(name)


@pytest.mark.parametrize(
    ("name", "text", "format"),
    [("a.html", HTML, "html"), ("a.md", MARKDOWN, "markdown"), ("a.txt", MARKDOWN, "auto")],
)
def test_text_documents_as_their_format(
    engine_translator: Translator, name: str, text: str, format: str
) -> None:
    done = translate_document(engine_translator, text.encode(), name)
    assert done.data.decode() == engine_translator.translate_article(text, format).text  # type: ignore[arg-type]
    assert done.name == name and done.billed > 0


def test_docx_paragraphs_are_translated_like_html(engine_translator: Translator) -> None:
    glossary = Glossary.of({"Lyon": "LYON-CITY"})
    done = translate_document(engine_translator, article(), "report.docx", glossary)
    fragments = [f for f in DocxDocument(article()).fragments if f]
    expected = engine_translator.translate_articles(fragments, "html", glossary=glossary)
    assert [f for f in DocxDocument(done.data).fragments if f] == [r.text for r in expected]
    assert docx.Document(io.BytesIO(done.data)).paragraphs[1].runs[1].bold
    assert any("LYON-CITY" in r.text for r in expected)


def test_size_limit(translator: Translator) -> None:
    small = Translator(translator.settings, max_document_bytes=1024)
    with pytest.raises(PayloadTooLargeError, match="at most 1024"):
        translate_document(small, article(), "report.docx")
    with pytest.raises(InputError, match="not UTF-8"):
        translate_document(translator, b"caf\xe9", "a.txt")


# The text of `article()`, as Word shows it: what its translation bills.
ARTICLE_TEXT = [
    "Le maire de Lyon présente un budget",
    "Le maire de Lyon a présenté un budget selon le journal.",
    "La ministre",
    "refuse la grève.",
    "Le syndicat des cheminots examine la réforme.",
    "Une association locale prépare une fête.",
    "Le journal du soir",
    "La rédaction vous remercie, page ",
]


@pytest.mark.parametrize(
    ("name", "data", "billed"),
    [
        ("report.docx", article(), sum(map(len, ARTICLE_TEXT))),
        ("a.html", HTML.encode(), len("Le maire de Lyon") + len("La ministre refuse la grève.")),
        ("a.md", MARKDOWN.encode(), len("Le maire de Lyon") + len("La ministre refuse la grève.")),
    ],
)
def test_documents_bill_the_characters_of_their_text(
    translator: Translator, name: str, data: bytes, billed: int
) -> None:
    assert read_document(translator.settings, data, name).billed == billed
    assert translate_document(translator, data, name).billed == billed


def test_documents_obey_a_character_limit(translator: Translator) -> None:
    small = translator.settings.model_copy(update={"max_document_chars": 44})
    assert read_document(small, HTML.encode(), "a.html").billed == 44  # its markup is free
    longer = HTML.replace("grève", "grève générale").encode()
    with pytest.raises(PayloadTooLargeError, match="DEPECHE_MAX_DOCUMENT_CHARS"):
        read_document(small, longer, "a.html")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (repacked(article(), padding=3_000_000), "unzips to .* at most 2000000"),
        (repacked(article(), extra_files=10_001), "holds 10.* files; at most 10000"),
    ],
)
def test_a_docx_is_measured_unzipped_before_it_is_read(
    translator: Translator, data: bytes, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = translator.settings.model_copy(update={"max_document_bytes": 2_000_000})
    assert len(data) < 2_000_000
    opened: list[str] = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(name))
    with pytest.raises(InputError, match=message):
        read_document(settings, data, "bomb.docx")
    assert opened == []  # not one file of it was unzipped


def test_a_name_that_cannot_be_stored_is_refused_before_translating() -> None:
    with pytest.raises(InputError, match="lone surrogate"):
        translate_document(None, b"Bonjour.", "\ud800.txt")  # type: ignore[arg-type]
