"""Word documents (.docx): each paragraph is a block, its runs are spans of the inline model.

A paragraph is written as an HTML fragment for the HTML reader: text in the paragraph's most
common formatting is bare, other runs are `<span data-r=N>` (N: the run whose formatting it
has), hyperlinks `<a data-h=N>`, and everything else (tabs, breaks, images, fields, bookmarks)
`<img data-x=N>` atoms. The translation comes back as the same markup, projected around the
aligned words, and is written back as runs with the formatting of the run each piece came
from; atoms are the original elements, moved. Styles, images, section settings and every part
that holds no paragraph are left as they are. Paragraphs of the body, its tables (nested too),
headers and footers are translated.
"""

from __future__ import annotations

import copy
import html
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from ..errors import InputError
from .base import DocumentType

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The first bytes of an OLE compound file: an encrypted .docx, or a .doc from before 2007.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARTS = ("document.main+xml", "header+xml", "footer+xml")
# Files a .docx may hold: Word writes a few dozen (one per picture among them).
MAX_ENTRIES = 10_000
_CONTAINERS = ("hyperlink", "ins")
_SPACING = ("tab", "br", "cr")  # runs inside are translated; the element is kept around


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _local(element: Any) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


@dataclass
class _Paragraph:
    """One paragraph read: its fragment, and what its markup numbers stand for."""

    element: Any
    fragment: str
    formats: list[Any] = field(default_factory=list)  # rPr elements (None: no formatting)
    base: Any = None  # the rPr of bare text
    containers: list[Any] = field(default_factory=list)
    # (run, element): a run's child (a tab, a drawing) or, with no run, a paragraph's child.
    # The originals are moved at writing time, so that paragraphs inside them (a text box)
    # keep their own translation.
    atoms: list[tuple[Any, Any]] = field(default_factory=list)
    characters: int = 0  # of its text


def _check_archive(data: bytes, max_unzipped: int | None) -> None:
    """Refuse a zip with more than `MAX_ENTRIES` files, or more than `max_unzipped` bytes
    once unzipped, before any of it is read. The sizes are those the archive declares:
    Python's zipfile stops every file at its declared size, and fails on a file that would
    unzip to more."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputError(f"not a readable .docx document ({exc})") from None
    if len(entries) > MAX_ENTRIES:
        raise InputError(f"the document holds {len(entries)} files; at most {MAX_ENTRIES}")
    unzipped = sum(entry.file_size for entry in entries)
    if max_unzipped is not None and unzipped > max_unzipped:
        raise InputError(
            f"the document unzips to {unzipped} bytes; at most {max_unzipped} "
            "(DEPECHE_MAX_DOCUMENT_BYTES)"
        )


class DocxDocument(DocumentType):
    """A .docx file: `fragments` to translate, `write` the translations back, `save`. It has
    no place for a summary."""

    name = "docx"
    suffixes = (".docx",)
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    binary = True
    summarized = False

    def __init__(self, data: bytes, max_unzipped: int | None = None) -> None:
        if data.startswith(_OLE):
            raise InputError(
                "the document is encrypted (password-protected) or an old .doc: save it as a "
                ".docx without a password"
            )
        _check_archive(data, max_unzipped)
        import docx

        try:
            self._document = docx.Document(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise InputError(f"not a readable .docx document ({exc})") from None
        except Exception as exc:  # lxml's XML errors: a damaged document part
            raise InputError(f"not a readable .docx document ({type(exc).__name__})") from None
        self._paragraphs = [_read(p) for element in self._roots() for p in element.iter(_w("p"))]

    @property
    def characters(self) -> int:
        """Characters of text in the paragraphs to translate (their markup not counted)."""
        return sum(p.characters for p in self._paragraphs)

    def _roots(self) -> list[Any]:
        roots = []
        for part in self._document.part.package.iter_parts():
            if part.content_type.endswith(_PARTS) and hasattr(part, "element"):
                roots.append(part.element)
        return roots

    @property
    def fragments(self) -> list[str]:
        """Each paragraph as an HTML fragment ("" for a paragraph without text)."""
        return [p.fragment for p in self._paragraphs]

    def write(self, translations: list[str]) -> None:
        """Replace each paragraph's content by its translated fragment."""
        for paragraph, translated in zip(self._paragraphs, translations, strict=True):
            if paragraph.fragment:
                _write(paragraph, translated)

    def save(self) -> bytes:
        """The document, as a .docx file."""
        out = io.BytesIO()
        self._document.save(out)
        return out.getvalue()


def _read(element: Any) -> _Paragraph:
    paragraph = _Paragraph(element, "")
    pieces: list[
        tuple[str, Any]
    ] = []  # ("text", (rPr, text)), ("open"/"close", index), ("atom", i)

    def walk(parent: Any) -> None:
        # A stack of child iterators, not recursion: containers nest as deep as the file says.
        stack = [(iter(parent), -1)]
        while stack:
            children, index = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if index >= 0:
                    pieces.append(("close", index))
                continue
            name = _local(child)
            if name == "pPr":
                continue
            if name == "r":
                run(child)
            elif name in _CONTAINERS:
                paragraph.containers.append(child)
                opened = len(paragraph.containers) - 1
                pieces.append(("open", opened))
                stack.append((iter(child), opened))
            else:
                atom(child)

    def run(element: Any) -> None:
        properties = element.find(_w("rPr"))
        for child in element:
            name = _local(child)
            if name == "rPr":
                continue
            if name == "t" and child.text:
                pieces.append(("text", (properties, child.text)))
            elif name != "t":
                atom(child, element)

    def atom(element: Any, run: Any = None) -> None:
        paragraph.atoms.append((run, element))
        pieces.append(("atom", len(paragraph.atoms) - 1))

    walk(element)
    texts = [(props, text) for kind, value in pieces if kind == "text" for props, text in [value]]
    if not any(text.strip() for _, text in texts):
        return _Paragraph(element, "")
    paragraph.characters = sum(len(text) for _, text in texts)
    weight: Counter[bytes] = Counter()
    by_key: dict[bytes, Any] = {}
    for props, text in texts:
        key = _key(props)
        weight[key] += len(text)
        by_key[key] = props
    base_key = weight.most_common(1)[0][0]
    paragraph.base = by_key[base_key]
    paragraph.formats = [by_key[k] for k in by_key]
    numbers = {k: i for i, k in enumerate(by_key)}
    parts: list[str] = []
    open_format: bytes | None = None
    for kind, value in pieces:
        if kind == "text":
            props, text = value
            key = _key(props)
            if key != open_format and open_format is not None:
                parts.append("</span>")
                open_format = None
            if key != base_key and open_format is None:
                parts.append(f'<span data-r="{numbers[key]}">')
                open_format = key
            parts.append(html.escape(text, quote=False))
            continue
        if open_format is not None:
            parts.append("</span>")
            open_format = None
        if kind == "open":
            parts.append(f'<a data-h="{value}">')
        elif kind == "close":
            parts.append("</a>")
        else:
            # A tab or a line break stands between words: a space keeps them apart.
            space = " " if _local(paragraph.atoms[value][1]) in _SPACING else ""
            parts.append(f'{space}<img data-x="{value}">')
    if open_format is not None:
        parts.append("</span>")
    paragraph.fragment = "".join(parts)
    return paragraph


def _key(properties: Any) -> bytes:
    if properties is None:
        return b""
    from lxml import etree

    return bytes(etree.tostring(properties, method="c14n"))


class _Rebuild(HTMLParser):
    """Reads a translated fragment back into runs, containers and atoms."""

    def __init__(self, paragraph: _Paragraph) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraph = paragraph
        self.out: list[Any] = []
        self.containers: list[Any] = []  # open container copies
        self.formats: list[Any] = []
        self.last: tuple[Any, Any] | None = None  # (run, its parent list) to append text to

    def _target(self) -> Any:
        return self.containers[-1] if self.containers else None

    def _place(self, element: Any) -> None:
        target = self._target()
        if target is None:
            self.out.append(element)
        else:
            target.append(element)
        self.last = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "span" and values.get("data-r") is not None:
            self.formats.append(self.paragraph.formats[int(values["data-r"] or 0)])
            self.last = None
        elif tag == "a" and values.get("data-h") is not None:
            original = self.paragraph.containers[int(values["data-h"] or 0)]
            shell = copy.copy(original)
            for inner in list(shell):
                shell.remove(inner)
            self._place(shell)
            self.containers.append(shell)
        elif tag == "img" and values.get("data-x") is not None:
            run, element = self.paragraph.atoms[int(values["data-x"] or 0)]
            if run is not None:  # alone in a run of its own, with the run's formatting
                wrapper = copy.copy(run)
                for inner in list(wrapper):
                    wrapper.remove(inner)
                properties = run.find(_w("rPr"))
                if properties is not None:
                    wrapper.append(copy.deepcopy(properties))
                wrapper.append(element)
                if _local(element) in _SPACING and self.last is not None:
                    self.last[1].text = self.last[1].text.rstrip(" ")  # the space put before it
                element = wrapper
            self._place(element)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.formats:
            self.formats.pop()
            self.last = None
        elif tag == "a" and self.containers:
            self.containers.pop()
            self.last = None

    def handle_data(self, data: str) -> None:
        if self.last is not None:
            text = self.last[1]
            text.text += data
            return
        from lxml import etree

        run = etree.Element(_w("r"))
        properties = self.formats[-1] if self.formats else self.paragraph.base
        if properties is not None:
            run.append(copy.deepcopy(properties))
        text = etree.SubElement(run, _w("t"))
        text.text = data
        text.set(XML_SPACE, "preserve")
        self._place(run)
        self.last = (run, text)


def _write(paragraph: _Paragraph, translated: str) -> None:
    rebuild = _Rebuild(paragraph)
    rebuild.feed(translated)
    rebuild.close()
    element = paragraph.element
    for child in list(element):
        if _local(child) != "pPr":
            element.remove(child)
    for child in rebuild.out:
        element.append(child)
