"""What the XML wire formats (NewsML-G2, RSS, Atom) share: pieces made of elements, and the
language switched on the elements around them.

An element with only text is a piece of its decoded text, written back as it came: XML
character data escaped, a CDATA section as a CDATA section, whitespace around it kept. An
element holding markup (an `inlineXML` body, Atom's XHTML content) is a piece of that markup
as it is written, read as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .base import Format, HtmlOptions
from .offsets import Offsets
from .wire import OPENING, Edit, Piece, Role, WireDocument, is_english
from .xmltext import (
    Element,
    attribute_span,
    cdata,
    content,
    declared_encoding,
    escape,
    parse,
    sniff,
)

# The namespaces of NewsML-G2 and Atom.
NAR = "http://iptc.org/std/nar/2006-10-01/"
ATOM = "http://www.w3.org/2005/Atom"

_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_LANG = re.compile(r"""(\s(?:xml:)?lang\s*=\s*)(?:"([^"]*)"|'([^']*)')""")


class XmlDocument(WireDocument):
    """A wire document in XML: `root` is its root element once read. A format is recognized
    by the name of the root element (`roots`: `{namespace}local` names, or a test)."""

    root: Element
    # The elements pieces were made of: their language is switched.
    translated: list[Element]

    @classmethod
    def recognizes(cls, text: str) -> bool:
        return cls.is_root(root_name(text))

    @classmethod
    def is_root(cls, name: str) -> bool:
        """Whether an XML document whose root element is `name` is of this format."""
        return False

    def parse(self) -> Element:
        """Read the document; its declaration's encoding, if not UTF-8, becomes UTF-8 (the
        English is written as UTF-8)."""
        self.root = parse(self.text)
        self.translated = []
        if (declared := declared_encoding(self.text)) is not None:
            self.edits.append(Edit(*declared, "UTF-8"))
        return self.root

    def text_piece(
        self, element: Element, role: Role, format: Format, main: bool = False
    ) -> Piece | None:
        """The piece of an element's text (markup inside it: the markup, read as HTML)."""
        if element.children:
            return self.markup_piece(element, role, main)
        found = content(self.text, element)
        if not found.value.strip():
            return None
        write = cdata if found.kind == "cdata" else escape
        # Text with a comment or a second CDATA section inside comes back whole, escaped.
        whole = found.kind == "mixed"
        piece = Piece(
            found.value,
            format,
            role,
            found.start,
            found.end,
            found.offsets,
            write,
            main=main,
            by_sentence=not whole,
        )
        self.pieces.append(piece)
        self.translated.append(element)
        return piece

    def markup_piece(
        self, element: Element, role: Role, main: bool = False, options: HtmlOptions | None = None
    ) -> Piece | None:
        """The piece of the markup inside an element, read as HTML; its `lang` and
        `xml:lang` attributes are switched to English."""
        if not element.children:
            return None
        start, end = element.inner, element.close
        piece = Piece(
            self.text[start:end],
            "html",
            role,
            start,
            end,
            Offsets(start),
            switch_languages,
            raw=True,
            main=main,
            options=options,
        )
        self.pieces.append(piece)
        self.translated.append(element)
        return piece

    def switch_language(self, elements: Iterable[Element]) -> None:
        """`xml:lang` set to English on `elements`, the root, and every element around them."""
        seen: set[int] = set()
        for element in [self.root, *elements]:
            for around in element.ancestors():
                if id(around) in seen:
                    break
                seen.add(id(around))
                self.language_attribute(around, "xml:lang")

    def language_element(self, element: Element) -> None:
        """An element whose text is a language tag (RSS's `<language>`) set to English."""
        found = content(self.text, element)
        raw = self.text[found.start : found.end]
        if found.kind == "text" and raw.strip() and not is_english(found.value):
            start = found.start + len(raw) - len(raw.lstrip())
            self.edits.append(Edit(start, found.start + len(raw.rstrip()), "en"))

    def language_attribute(self, element: Element, raw_name: str) -> None:
        """An attribute that is a language tag (NewsML-G2's `<language tag>`) set to English."""
        span = attribute_span(self.text, element, raw_name)
        if span is not None and not is_english(self.text[span[0] : span[1]]):
            self.edits.append(Edit(*span, "en"))


def root_name(text: str) -> str:
    """The `{namespace}local` name of the root element of `text` ("" when it does not start
    as XML), reading no further than its start tag. Where entity declarations stop the
    reading before the root, the doctype names it, so that reading the document says what is
    refused."""
    opening = OPENING.match(text)
    if opening is None or opening.group(1) != "<":
        return ""
    root, doctype = sniff(text)
    if root is None and doctype is not None:
        local = doctype.rpartition(":")[2]
        atom = local in ("feed", "entry")
        root = local if local == "rss" else f"{{{ATOM if atom else NAR}}}{local}"
    return root or ""


def switch_languages(markup: str) -> str:
    """`markup` with every `lang` and `xml:lang` attribute that is not English set to `en`."""

    def tag(match: re.Match[str]) -> str:
        return _LANG.sub(attribute, match.group())

    def attribute(match: re.Match[str]) -> str:
        value = match.group(2) if match.group(2) is not None else match.group(3)
        quote = '"' if match.group(2) is not None else "'"
        return match.group() if is_english(value) else f"{match.group(1)}{quote}en{quote}"

    return _TAG.sub(tag, markup)
