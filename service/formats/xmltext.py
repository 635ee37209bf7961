"""XML read safely with the place of every element, so that an element's content or an
attribute's value can be replaced in the source and everything else kept as written.

Expat checks that the document is well-formed and reports where each element starts and
ends (`CurrentByteIndex`). Entity declarations, external entities and a DTD's parameter
entities are refused, never expanded: an XML bomb or an external entity is an `ItemError`.
Only the five predefined entities and character references are decoded.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from ..errors import ItemError
from .offsets import Offsets

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
LANG = f"{{{XML_NAMESPACE}}}lang"

# A start tag, its attributes quoted as well-formed XML has them.
_START_TAG = re.compile(r"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")
_ATTRIBUTE = re.compile(r"""\s([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(r"&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_DECLARATION = re.compile(
    r"""^(\ufeff?<\?xml\s[^>]*?\bencoding\s*=\s*["'])([A-Za-z][\w.-]*)["']""", re.ASCII
)


@dataclass(eq=False)
class Element:
    """An element: `{namespace}local` name, attributes (names the same way), and where it is:
    `text[start:inner]` its start tag, `text[inner:close]` its content, `text[close:end]` its
    end tag (empty for `<name/>`)."""

    name: str
    attributes: dict[str, str]
    start: int
    inner: int
    close: int = -1
    end: int = -1
    parent: Element | None = field(default=None, repr=False)
    children: list[Element] = field(default_factory=list, repr=False)

    def child(self, name: str) -> Element | None:
        """The first child element named `name`."""
        return next((c for c in self.children if c.name == name), None)

    def ancestors(self) -> Iterator[Element]:
        """This element and the elements around it, innermost first."""
        node: Element | None = self
        while node is not None:
            yield node
            node = node.parent


@dataclass(frozen=True)
class Content:
    """An element's text content decoded: its `value`, where each character of it is in the
    document, and how it is written: `text` (character data and references), `cdata` (one
    CDATA section; whitespace around it is not part of the value then), or `mixed`.
    `text[start:end]` is what the value is written as."""

    value: str
    offsets: Offsets
    kind: str
    start: int
    end: int


def parse(text: str) -> Element:
    """The root element of the XML document `text`; `ItemError` when it is not well-formed
    or declares entities."""
    return _Reader(text).read()


def sniff(text: str) -> tuple[str | None, str | None]:
    """The `{namespace}local` name of the root element, reading no further than its start
    tag (None when the text does not start as XML, or declares entities before it), and the
    name its doctype declaration gives, if it has one."""
    found: list[str] = []
    doctype: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        found.append(_name(name))
        raise _Stop

    parser = _parser()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = lambda name, *rest: doctype.append(name)
    with contextlib.suppress(_Stop, expat.ExpatError, ItemError):
        parser.Parse(text.encode("utf-8", "surrogatepass"), True)
    return (found[0] if found else None), (doctype[0] if doctype else None)


def walk(root: Element) -> Iterator[Element]:
    """Every element in document order."""
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(reversed(element.children))


def content(text: str, element: Element) -> Content:
    """The decoded text of an element that has no child elements (comments and processing
    instructions inside are skipped)."""
    position, close = element.inner, element.close
    parts: list[str] = []
    breaks: list[tuple[int, int]] = []
    runs: list[tuple[str, int, int]] = []
    length = 0
    while position < close:
        if text.startswith("<![CDATA[", position):
            inner = position + len("<![CDATA[")
            stop = text.index("]]>", inner)
            runs.append(("cdata", inner, stop))
            breaks.append((length, inner))
            parts.append(text[inner:stop])
            length += stop - inner
            position = stop + len("]]>")
            breaks.append((length, position))
        elif text.startswith("<!--", position):
            runs.append(("markup", position, position))
            position = text.index("-->", position) + len("-->")
            breaks.append((length, position))
        elif text.startswith("<?", position):
            runs.append(("markup", position, position))
            position = text.index("?>", position) + len("?>")
            breaks.append((length, position))
        else:
            stop = text.find("<", position, close)
            stop = close if stop < 0 else stop
            runs.append(("text", position, stop))
            index = position
            for match in _REFERENCE.finditer(text, position, stop):
                parts.append(text[index : match.start()])
                length += match.start() - index
                parts.append(_reference(match))
                length += 1
                index = match.end()
                breaks.append((length, index))
            parts.append(text[index:stop])
            length += stop - index
            position = stop
    written = [r for r in runs if r[0] != "text" or text[r[1] : r[2]].strip()]
    if len(written) == 1 and written[0][0] == "cdata":
        _, start, stop = written[0]
        return Content(text[start:stop], Offsets(start), "cdata", start, stop)
    kind = "text" if all(r[0] == "text" for r in runs) else "mixed"
    return Content("".join(parts), Offsets(element.inner, breaks), kind, element.inner, close)


def _reference(match: re.Match[str]) -> str:
    number, hexadecimal, name = match.groups()
    if name:
        return _PREDEFINED[name]
    return chr(int(hexadecimal, 16) if hexadecimal else int(number))


def escape(text: str) -> str:
    """`text` written as XML character data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cdata(text: str) -> str:
    """`text` written inside a CDATA section (a `]]>` in it splits the section)."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def attribute_span(text: str, element: Element, raw_name: str) -> tuple[int, int] | None:
    """Where the value of the attribute written `raw_name` (`xml:lang`, `tag`) is in the
    element's start tag."""
    for match in _ATTRIBUTE.finditer(text, element.start, element.inner):
        if match.group(1) == raw_name:
            group = 2 if match.group(2) is not None else 3
            return match.span(group)
    return None


def prefix(text: str, element: Element) -> str:
    """The prefix the element's name is written with (`nar:` of `<nar:newsItem>`), or ''."""
    written = re.match(r"<([^\s/>]+)", text[element.start : element.inner])
    assert written is not None
    name = written.group(1)
    return name[: name.index(":") + 1] if ":" in name else ""


def declared_encoding(text: str) -> tuple[int, int] | None:
    """Where the XML declaration names an encoding other than UTF-8 (the text is UTF-8 once
    read: a declaration saying otherwise is rewritten)."""
    match = _DECLARATION.match(text)
    if match is None or match.group(2).lower().replace("-", "").replace("_", "") == "utf8":
        return None
    return match.span(2)


class _Stop(Exception):
    """The root element is found: reading further is not needed."""


def _name(expat_name: str) -> str:
    namespace, _, local = expat_name.rpartition(" ")
    return f"{{{namespace}}}{local}" if namespace else local


def _refuse(*args: object) -> None:
    raise ItemError("XML entity declarations and external entities are refused, never expanded")


def _refuse_external(*args: object) -> int:
    _refuse()
    return 0


def _refuse_skipped(name: str, is_parameter: bool) -> None:
    raise ItemError(f"the entity &{name}; is declared outside the document; depeche reads none")


def _parser() -> expat.XMLParserType:
    # The text is already decoded: whatever its declaration says, it arrives as UTF-8 bytes.
    parser = expat.ParserCreate(encoding="UTF-8", namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse_external
    parser.SkippedEntityHandler = _refuse_skipped
    return parser


class _Reader:
    """Builds the element tree, turning expat's byte offsets into character offsets (events
    come in document order, so one pass over the text does it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        self.ascii = len(self.data) == len(text)
        self.parser = _parser()
        self._byte, self._char = 0, 0
        self.root: Element | None = None
        self.open: list[Element] = []

    def at(self, byte: int) -> int:
        """The character offset of byte offset `byte`."""
        if self.ascii:
            return byte
        if byte < self._byte:
            self._byte, self._char = 0, 0
        self._char += len(self.data[self._byte : byte].decode("utf-8", "surrogatepass"))
        self._byte = byte
        return self._char

    def read(self) -> Element:
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        try:
            self.parser.Parse(self.data, True)
        except expat.ExpatError as exc:
            reason = expat.ErrorString(exc.code) if exc.code is not None else str(exc)
            raise ItemError(
                f"not well-formed XML: {reason} (line {exc.lineno}, column {exc.offset + 1})"
            ) from None
        assert self.root is not None
        return self.root

    def start(self, name: str, attributes: dict[str, str]) -> None:
        begin = self.at(self.parser.CurrentByteIndex)
        tag = _START_TAG.match(self.text, begin)
        assert tag is not None
        parent = self.open[-1] if self.open else None
        names = {_name(k): v for k, v in attributes.items()}
        element = Element(_name(name), names, begin, tag.end(), parent=parent)
        if parent is None:
            self.root = element
        else:
            parent.children.append(element)
        self.open.append(element)

    def end(self, name: str) -> None:
        element = self.open.pop()
        if self.text.endswith("/>", element.start, element.inner):
            element.close = element.end = element.inner
            return
        element.close = self.at(self.parser.CurrentByteIndex)
        element.end = self.text.index(">", element.close) + 1
