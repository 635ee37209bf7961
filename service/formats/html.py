"""HTML (and XML): block elements are blocks, inline elements are spans or atoms.

The page is tokenized once with exact source positions, so every byte outside translated text
is kept as written: tags with their attribute order and quoting, comments, the doctype,
whitespace between elements, and the whole content of elements that are not prose (`script`,
`style`, `pre`, `code`, `textarea`, `template`, `iframe`, `noscript`, and any element with
`translate="no"` or the class `notranslate`). Between two block boundaries, the text and the
inline elements around it form a prose run; paired inline elements (`<a>`, `<em>`, `<b>`...)
are spans, void ones (`<br>`, `<img>`) and comments are atoms.

DeepL's options map onto it: `ignore_tags` adds elements kept whole, `splitting_tags` adds
block boundaries, `non_splitting_tags` makes elements inline. For XML (`tag_handling=xml`)
only the splitting tags are boundaries.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterable, Mapping

from ..inline import Builder, Inline, Run
from .base import Block, Reader
from .html_tags import Attribute, single_tag, translate_no
from .html_tokens import Token, tokenize
from .text import address_spans

_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
# A no-break space written as a reference ends a URL, as the character itself would.
_NBSP = re.compile(r"&(?:nbsp|#160|#[xX]0*[aA]0);?")

BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend "
    "li main menu nav ol option p section summary table tbody td tfoot th thead title tr ul".split()
)
# Attributes whose values readers see: translated with the page.
TEXT_ATTRIBUTES = ("alt", "title")
BREAKS = frozenset({"br", "hr"})
# Kept whole: their content is not prose.
KEPT = frozenset("script style pre code textarea template iframe noscript svg math".split())
KINDS = {
    "p": "paragraph",
    "li": "list_item",
    "dd": "list_item",
    "dt": "list_item",
    "blockquote": "quote",
    "td": "table_cell",
    "th": "table_header",
    "caption": "caption",
    "figcaption": "caption",
    "title": "title",
} | {f"h{n}": f"heading{n}" for n in range(1, 7)}

# How much of a text detection reads.
SAMPLE = 20_000
# An HTML page or body: a doctype, an <html> element, or several block elements.
_HTML_DOCUMENT = re.compile(r"^\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)
# (A tag's attributes stop at the next `<`: no `<` is tried against the rest of the text.)
_HTML_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|li|table|tr|td|blockquote|article|section|figure|br|body)\b[^<>]*>",
    re.IGNORECASE,
)


class HtmlReader(Reader):
    """HTML, or XML with `xml`. `ignore`, `splitting` and `non_splitting` are element names."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml")
    media_type = "text/html"

    @classmethod
    def recognizes(cls, text: str) -> bool:
        """An HTML page or body: a doctype, an `<html>` element, or two block elements."""
        sample = text[:SAMPLE]
        return bool(_HTML_DOCUMENT.search(sample)) or len(_HTML_BLOCK.findall(sample)) >= 2

    @classmethod
    def with_summary(cls, text: str, summary: str) -> str:
        """The page with the summary after it, set apart by a rule, escaped."""
        escaped = html.escape(summary)
        return text.rstrip("\n") + f"\n<hr>\n<p><strong>Summary:</strong> {escaped}</p>\n"

    def __init__(
        self,
        text: str,
        *,
        xml: bool = False,
        ignore: Iterable[str] = (),
        splitting: Iterable[str] = (),
        non_splitting: Iterable[str] = (),
        attributes: bool = True,
    ) -> None:
        self.xml = xml
        self.attributes = attributes
        self.kept = {n.lower() for n in ignore} | (set() if xml else set(KEPT))
        boundaries = set() if xml else set(BLOCKS)
        self.boundaries = (boundaries | {n.lower() for n in splitting}) - {
            n.lower() for n in non_splitting
        }
        self.tokens = tokenize(text, self.xml, self.kept)
        self._starts = [token.start for token in self.tokens]
        super().__init__(text)

    def parse(self) -> list[Block]:
        blocks: list[Block] = []
        open_blocks = _OpenBlocks()
        region: list[Token] = []

        def flush() -> None:
            run = list(region)
            region.clear()
            if run and any(
                t.kind == "text"
                and any(c.isalpha() for c in html.unescape(self.text[t.start : t.end]))
                for t in run
            ):
                start, end = run[0].start, run[-1].end
                blocks.append(Block(open_blocks.kind, start, end, ((start, end),)))
            else:  # no prose: only the text of its tags' attributes, if any
                for token in run:
                    blocks.extend(self._attribute_blocks(token))

        for token in self.tokens:
            if token.kind in ("start", "end") and token.name in self.boundaries:
                flush()
                blocks.extend(self._attribute_blocks(token))
                if token.kind == "start" and not token.closed:
                    open_blocks.open(token.name)
                elif token.kind == "end":
                    open_blocks.close(token.name)
            elif token.kind == "declaration":
                flush()
            else:
                region.append(token)
        flush()
        return blocks

    def _attribute_blocks(self, token: Token) -> list[Block]:
        """A block for each quoted `alt` and `title` value of a start tag outside prose."""
        if not self.attributes or token.kind != "start":
            return []
        if translate_no(self.text, token.attributes):
            return []
        return [
            Block("attribute", a.start, a.end, ((a.start, a.end),))
            for a in _text_attributes(token.attributes)
            if any(c.isalpha() for c in a.value(self.text))
        ]

    def escaper(self, block: Block) -> Callable[[str], str]:
        if block.kind == "attribute":  # its span is inside the quotes it was written in
            quote = self.text[block.start - 1]
            return lambda text: _escape_attribute(text, quote)
        return self.escape

    def markup_text(self, markup: str) -> list[str]:
        tag = single_tag(markup) if self.attributes else None
        if tag is None or translate_no(markup, tag.attributes):
            return []
        values = [a.value(markup) for a in _text_attributes(tag.attributes)]
        return [v for v in values if any(c.isalpha() for c in v)]

    def with_markup_text(self, markup: str, english: Mapping[str, str]) -> str:
        tag = single_tag(markup) if self.attributes else None
        if tag is None or translate_no(markup, tag.attributes):
            return markup
        parts, position = [], 0
        for attribute in _text_attributes(tag.attributes):
            value = attribute.value(markup)
            if value in english:
                parts += [
                    markup[position : attribute.start],
                    _escape_attribute(english[value], attribute.quote),
                ]
                position = attribute.end
        return "".join(parts) + markup[position:]

    def run(self, start: int, end: int) -> Run:
        builder = Builder(self.text)
        text = self.text
        first = max(bisect.bisect_right(self._starts, start) - 1, 0)
        inside = self.tokens[first] if self.tokens else None
        if inside is not None and inside.kind == "start" and inside.start < start < inside.end:
            _text(builder, text, start, end)  # an attribute's value
            return builder.build()
        for index in range(first, len(self.tokens)):
            token = self.tokens[index]
            if token.start >= end:
                break
            if token.end <= start:
                continue
            if token.kind == "text":
                _text(builder, text, max(token.start, start), min(token.end, end))
            elif token.kind == "start" and not token.closed:
                builder.open(text[token.start : token.end], token.start, token.end, token.name)
            elif token.kind == "end" and builder.is_open(token.name):
                builder.close(text[token.start : token.end], token.end, token.name)
            else:  # void elements, comments, kept elements, stray end tags
                builder.atom(text[token.start : token.end], token.start, token.end)
                if token.name in BREAKS:  # words on either side stay apart
                    builder.text(" ", token.end, token.end)
        return builder.build()

    def inline(self, written: str) -> Inline:
        again = HtmlReader(written, xml=self.xml, ignore=self.kept, attributes=False)
        return again.run(0, len(written)).whole()

    @staticmethod
    def escape(text: str) -> str:
        return html.escape(text, quote=False)


def _text_attributes(attributes: tuple[Attribute, ...]) -> list[Attribute]:
    """The quoted `alt` and `title` values among `attributes`."""
    return [a for a in attributes if a.name in TEXT_ATTRIBUTES and a.quote]


class _OpenBlocks:
    """The block elements open around the current place, and the kind of block text there
    makes (that of the innermost element that names one), without walking the stack."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.kinds: list[str] = []
        self.count: dict[str, int] = {}

    @property
    def kind(self) -> str:
        return self.kinds[-1] if self.kinds else "paragraph"

    def open(self, name: str) -> None:
        self.names.append(name)
        self.kinds.append(KINDS.get(name, self.kind))
        self.count[name] = self.count.get(name, 0) + 1

    def close(self, name: str) -> None:
        """Close `name` and the elements opened inside it; a stray end tag closes nothing."""
        if not self.count.get(name):
            return
        while self.names:
            closed = self.names.pop()
            self.kinds.pop()
            self.count[closed] -= 1
            if closed == name:
                return


def _escape_attribute(text: str, quote: str) -> str:
    """`text` for an attribute value written between `quote`s: the other quote, apostrophes
    in a double-quoted value for one, stays as it is."""
    escaped = html.escape(text, quote=False)
    return escaped.replace(quote, "&quot;" if quote == '"' else "&#x27;")


def _text(builder: Builder, text: str, start: int, end: int) -> None:
    """Characters of `text[start:end]`, entities decoded; URLs and e-mail addresses are atoms,
    as in plain text and markdown."""
    position = start
    for url_start, url_end in address_spans(text, start, end):
        nbsp = _NBSP.search(text, url_start, url_end)
        url_end = nbsp.start() if nbsp else url_end
        _characters(builder, text, position, url_start)
        builder.atom(text[url_start:url_end], url_start, url_end)
        position = url_end
    _characters(builder, text, position, end)


def _characters(builder: Builder, text: str, start: int, end: int) -> None:
    position = start
    while position < end:
        if text[position] == "&" and (entity := _ENTITY.match(text, position, end)):
            decoded = html.unescape(entity.group())
            if decoded != entity.group():
                builder.text(decoded, position, entity.end())
                position = entity.end()
                continue
        builder.text(text[position], position, position + 1)
        position += 1
