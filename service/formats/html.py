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
from dataclasses import dataclass

from ..document import Block
from ..inline import Builder, Inline, Run
from . import Reader

_TOKEN = re.compile(
    r"""(?P<comment><!--.*?(?:-->|\Z))
    |(?P<declaration><![^>]*>|<\?.*?(?:\?>|\Z))
    |(?P<end></(?P<end_name>[A-Za-z][\w:.-]*)\s*>)
    |(?P<start><(?P<start_name>[A-Za-z][\w:.-]*)
        (?P<attributes>(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)
        \s*(?P<self_closing>/?)>)""",
    re.DOTALL | re.VERBOSE,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
_TRANSLATE_NO = re.compile(
    r"""\btranslate\s*=\s*["']?no\b|\bclass\s*=\s*(?:"[^"]*\bnotranslate\b[^"]*"|'[^']*\bnotranslate\b[^']*'|notranslate\b)""",
    re.IGNORECASE,
)

BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend "
    "li main menu nav ol option p section summary table tbody td tfoot th thead title tr ul".split()
)
_ATTRIBUTE = re.compile(r"""(\s(?:alt|title)\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_SINGLE_TAG = re.compile(r"<[A-Za-z][^<>]*>")
BREAKS = frozenset({"br", "hr"})
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Kept whole: their content is not prose (the first ones are raw text to an HTML parser).
RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes".split()) - {"title"}
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


@dataclass(frozen=True)
class _Token:
    kind: str  # text, start, end, comment, declaration, kept
    start: int
    end: int
    name: str = ""
    closed: bool = False  # <br/>, or a void element


class HtmlReader(Reader):
    """HTML, or XML with `xml`. `ignore`, `splitting` and `non_splitting` are element names."""

    name = "html"

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
        self.tokens = self._tokenize(text)
        self._starts = [token.start for token in self.tokens]
        super().__init__(text)

    def _tokenize(self, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        position = 0
        while position < len(text):
            found = text.find("<", position)
            if found < 0:
                tokens.append(_Token("text", position, len(text)))
                break
            match = _TOKEN.match(text, found)
            if not match:  # a `<` that opens nothing: text
                tokens.append(_Token("text", position, found + 1))
                position = found + 1
                continue
            if found > position:
                tokens.append(_Token("text", position, found))
            position = match.end()
            if match.group("comment") or match.group("declaration"):
                kind = "comment" if match.group("comment") else "declaration"
                tokens.append(_Token(kind, found, position))
            elif match.group("end"):
                tokens.append(_Token("end", found, position, match.group("end_name").lower()))
            else:
                name = match.group("start_name").lower()
                closed = bool(match.group("self_closing")) or (not self.xml and name in VOID)
                kept = name in self.kept or _TRANSLATE_NO.search(match.group("attributes") or "")
                if kept and not closed:
                    position = self._element_end(text, name, position)
                    tokens.append(_Token("kept", found, position, name, True))
                else:
                    tokens.append(_Token("start", found, position, name, closed))
        return _merge_text(tokens)

    def _element_end(self, text: str, name: str, position: int) -> int:
        """The end of the element `name` whose start tag ends at `position` (nested elements
        of the same name counted; raw-text elements end at their first end tag)."""
        pattern = re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])[^>]*>", re.IGNORECASE)
        depth = 1
        for match in pattern.finditer(text, position):
            if not match.group(1) and name not in RAW_TEXT and not match.group().endswith("/>"):
                depth += 1
            elif match.group(1):
                depth -= 1
                if depth == 0:
                    return match.end()
        return len(text)  # never closed: the rest of the page is the element's

    def parse(self) -> list[Block]:
        blocks: list[Block] = []
        stack: list[str] = []
        region: list[_Token] = []

        def flush() -> None:
            run = list(region)
            region.clear()
            if run and any(
                t.kind == "text"
                and any(c.isalpha() for c in html.unescape(self.text[t.start : t.end]))
                for t in run
            ):
                kind = next((KINDS[n] for n in reversed(stack) if n in KINDS), "paragraph")
                start, end = run[0].start, run[-1].end
                blocks.append(Block(kind, start, end, ((start, end),)))
            else:  # no prose: only the text of its tags' attributes, if any
                for token in run:
                    blocks.extend(self._attribute_blocks(token))

        for token in self.tokens:
            if token.kind in ("start", "end") and token.name in self.boundaries:
                flush()
                blocks.extend(self._attribute_blocks(token))
                if token.kind == "start" and not token.closed:
                    stack.append(token.name)
                elif token.kind == "end" and token.name in stack:
                    while stack and stack.pop() != token.name:
                        pass
            elif token.kind == "declaration":
                flush()
            else:
                region.append(token)
        flush()
        return blocks

    def _attribute_blocks(self, token: _Token) -> list[Block]:
        """A block for each `alt` and `title` value of a start tag outside prose."""
        if not self.attributes or token.kind != "start" or not self._translatable(token):
            return []
        found = []
        for match in _ATTRIBUTE.finditer(self.text, token.start, token.end):
            group = 2 if match.group(2) is not None else 3
            start, end = match.span(group)
            if any(c.isalpha() for c in html.unescape(match.group(group))):
                found.append(Block("attribute", start, end, ((start, end),)))
        return found

    def _translatable(self, token: _Token) -> bool:
        """A tag whose attributes may be translated: not marked `translate="no"`."""
        return not _TRANSLATE_NO.search(self.text, token.start, token.end)

    def escaper(self, block: Block) -> Callable[[str], str]:
        if block.kind == "attribute":  # its span is inside the quotes it was written in
            quote = self.text[block.start - 1]
            return lambda text: _escape_attribute(text, quote)
        return self.escape

    def markup_text(self, markup: str) -> list[str]:
        if not self.attributes or not _SINGLE_TAG.fullmatch(markup) or _TRANSLATE_NO.search(markup):
            return []
        values = [html.unescape(_value(m)) for m in _ATTRIBUTE.finditer(markup)]
        return [v for v in values if any(c.isalpha() for c in v)]

    def with_markup_text(self, markup: str, english: Mapping[str, str]) -> str:
        if not self.attributes or not _SINGLE_TAG.fullmatch(markup) or _TRANSLATE_NO.search(markup):
            return markup

        def replace(match: re.Match[str]) -> str:
            quote = '"' if match.group(2) is not None else "'"
            value = html.unescape(_value(match))
            if value not in english:
                return match.group()
            return match.group(1) + quote + _escape_attribute(english[value], quote) + quote

        return _ATTRIBUTE.sub(replace, markup)

    def run(self, start: int, end: int) -> Run:
        builder = Builder(self.text)
        text = self.text
        first = max(bisect.bisect_right(self._starts, start) - 1, 0)
        inside = self.tokens[first] if self.tokens else None
        if inside is not None and inside.kind == "start" and inside.start < start < inside.end:
            _text(builder, text, start, end)  # an attribute's value
            return builder.build()
        for token in self.tokens[first:]:
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


def _value(match: re.Match[str]) -> str:
    return match.group(2) if match.group(2) is not None else match.group(3)


def _escape_attribute(text: str, quote: str) -> str:
    """`text` for an attribute value written between `quote`s: the other quote, apostrophes
    in a double-quoted value for one, stays as it is."""
    escaped = html.escape(text, quote=False)
    return escaped.replace(quote, "&quot;" if quote == '"' else "&#x27;")


def _text(builder: Builder, text: str, start: int, end: int) -> None:
    """Characters of `text[start:end]`, entities decoded."""
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


def _merge_text(tokens: list[_Token]) -> list[_Token]:
    merged: list[_Token] = []
    for token in tokens:
        if token.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1] = _Token("text", merged[-1].start, token.end)
        else:
            merged.append(token)
    return merged
