"""Word documents the tests build with python-docx: formatting, a link, a tab, a picture, a
table in a table, a header and a footer."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def png() -> bytes:
    """A 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def add_link(paragraph: docx.text.paragraph.Paragraph, text: str, url: str) -> None:
    """A hyperlink run, as Word writes one."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def article() -> bytes:
    """A short article in Word."""
    document = docx.Document()
    document.add_heading("Le maire de Lyon présente un budget", level=1)
    paragraph = document.add_paragraph("Le maire de ")
    paragraph.add_run("Lyon").bold = True
    paragraph.add_run(" a présenté un budget selon ")
    add_link(paragraph, "le journal", "https://example.org/journal")
    paragraph.add_run(".")
    tabbed = document.add_paragraph("La ministre\trefuse la grève.")
    tabbed.runs[0].italic = True
    document.add_picture(io.BytesIO(png()))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Le syndicat des cheminots examine la réforme."
    inner = table.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Une association locale prépare une fête."
    section = document.sections[0]
    section.header.paragraphs[0].text = "Le journal du soir"
    footer = section.footer.paragraphs[0]
    footer.text = "La rédaction vous remercie, page "
    page = OxmlElement("w:fldSimple")  # a field: Word fills in the page number
    page.set(qn("w:instr"), "PAGE")
    result = OxmlElement("w:r")
    number = OxmlElement("w:t")
    number.text = "1"
    result.append(number)
    page.append(result)
    footer._p.append(page)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def repacked(data: bytes, padding: int = 0, extra_files: int = 0) -> bytes:
    """`data` (a .docx) zipped again, its `word/document.xml` followed by `padding` bytes of
    blank space (a zip bomb: they compress to almost nothing), with `extra_files` more empty
    files."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content += b" " * padding
            target.writestr(item.filename, content)
        for index in range(extra_files):
            target.writestr(f"customXml/extra{index}.xml", b"")
    return out.getvalue()
