from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from depeche.errors import InputError
from depeche.formats.docx import DocxDocument

from tests.docx_files import article

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def runs(data: bytes) -> list[list[tuple[str, bool, bool]]]:
    """(text, bold, italic) of each stretch of like formatting (tabs as "\t"), by paragraph
    of the body, tables included."""
    document = docx.Document(io.BytesIO(data))
    found = []
    for paragraph in document.element.body.iter(f"{W}p"):
        stretches: list[tuple[str, bool, bool]] = []
        for run in paragraph.iter(f"{W}r"):
            text = "".join(
                "\t" if child.tag == f"{W}tab" else child.text or ""
                for child in run
                if child.tag in (f"{W}t", f"{W}tab")
            )
            bold = run.find(f"{W}rPr/{W}b") is not None
            italic = run.find(f"{W}rPr/{W}i") is not None
            if stretches and stretches[-1][1:] == (bold, italic):
                text = stretches.pop()[0] + text
            stretches.append((text, bold, italic))
        found.append(stretches)
    return found


def test_paragraphs_become_fragments_with_their_markup() -> None:
    fragments = DocxDocument(article()).fragments
    assert fragments[0] == "Le maire de Lyon présente un budget"
    assert fragments[1] == (
        'Le maire de <span data-r="1">Lyon</span> a présenté un budget selon '
        '<a data-h="0"><span data-r="2">le journal</span></a>.'
    )
    assert fragments[2] == 'La ministre <img data-x="0">refuse la grève.'
    texts = [f for f in fragments if f]
    assert "Une association locale prépare une fête." in texts  # a table in a table
    # header, footer (its page number a field, kept whole)
    assert texts[-2:] == ["Le journal du soir", 'La rédaction vous remercie, page <img data-x="0">']


def test_written_back_unchanged_the_document_reads_the_same() -> None:
    original = article()
    document = DocxDocument(original)
    document.write(document.fragments)
    again = document.save()
    assert runs(again) == runs(original)
    assert DocxDocument(again).fragments == DocxDocument(original).fragments


def test_translations_take_the_formatting_of_their_runs() -> None:
    document = DocxDocument(article())
    translated = [
        f.replace("Le maire de ", "The mayor of ")
        .replace("Lyon", "LYON")
        .replace("La ministre", "The minister")
        .replace("le journal", "the paper")
        for f in document.fragments
    ]
    document.write(translated)
    data = document.save()
    body = runs(data)
    assert ("LYON", True, False) in body[1]
    assert "".join(text for text, _, _ in body[1]).startswith("The mayor of LYON a présenté")
    assert body[2] == [("The minister\trefuse la grève.", False, True)]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert re.search(r"<w:hyperlink [^>]*r:id=\"rId\d+\"[^>]*>.*?the paper.*?</w:hyperlink>", xml)
    assert xml.count("<w:drawing>") == 1 and xml.count("<w:tab/>") == 1
    header = zipfile.ZipFile(io.BytesIO(data)).read("word/header1.xml").decode()
    assert "Le journal du soir" in header
    footer = zipfile.ZipFile(io.BytesIO(data)).read("word/footer1.xml").decode()
    assert '<w:fldSimple w:instr="PAGE">' in footer


def test_images_and_styles_are_left_as_they_were() -> None:
    original = article()
    document = DocxDocument(original)
    document.write([f.upper() for f in document.fragments])
    before, after = (
        zipfile.ZipFile(io.BytesIO(original)),
        zipfile.ZipFile(io.BytesIO(document.save())),
    )
    for name in before.namelist():
        if name.startswith("word/media/") or name == "word/styles.xml":
            assert after.read(name) == before.read(name), name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "encrypted"),
        (b"not a zip at all", "not a readable .docx"),
        (b"PK\x05\x06" + b"\0" * 18, "not a readable .docx"),
    ],
)
def test_unreadable_documents_say_why(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        DocxDocument(data)
