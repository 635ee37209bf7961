"""An HTML (or XML) page cut into tokens, each with its exact place in the page: text, tags
read as browsers read them (`html_tags`), comments, declarations, and elements kept whole.

Every token is found by a step that consumes what it reads (or reaches the end of the page):
tokenizing takes time in proportion to the page, whatever it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import deadline
from .html_tags import Attribute, opens_tag, read_tag, translate_no

# Comments, declarations and processing instructions; CDATA sections (XML); a tag the text
# ends inside. Each runs to the end of the text when it is never closed.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_CDATA = re.compile(r"<!\[CDATA\[.*?(?:\]\]>|\Z)", re.DOTALL)
_DECLARATION = re.compile(r"<![^>]*(?:>|\Z)|<\?.*?(?:\?>|\Z)", re.DOTALL)
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements whose content is raw text to an HTML parser: they end at their first end tag.
RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes".split()) - {"title"}


@dataclass(frozen=True)
class Token:
    """A piece of the page: `kind` is text, start, end, comment, declaration or kept."""

    kind: str
    start: int
    end: int
    name: str = ""
    closed: bool = False  # <br/>, or a void element
    attributes: tuple[Attribute, ...] = ()


def tokenize(text: str, xml: bool, kept: set[str]) -> list[Token]:
    """The tokens of `text`, in order, each with its exact place: text, start and end tags
    (with their attributes), comments and declarations, and elements in `kept` (or marked
    `translate="no"`) whole, as one token. With `xml`, no element is void and CDATA sections
    are kept whole."""
    tokens: list[Token] = []
    position = steps = 0
    while position < len(text):
        steps += 1
        if steps % 4096 == 0:  # a long page stops at its request's deadline
            deadline.check()
        found = text.find("<", position)
        if found < 0:
            tokens.append(Token("text", position, len(text)))
            break
        token = _markup(text, found, xml, kept)
        if token is None:  # a `<` that opens nothing: text
            tokens.append(Token("text", position, found + 1))
            position = found + 1
            continue
        if found > position:
            tokens.append(Token("text", position, found))
        tokens.append(token)
        position = token.end
    return _merge_text(tokens)


def _markup(text: str, found: int, xml: bool, kept: set[str]) -> Token | None:
    """The markup whose `<` is at `found`, or None when that `<` is text."""
    if text.startswith("<!--", found):
        return Token("comment", found, _end(_COMMENT, text, found))
    if xml and text.startswith("<![CDATA[", found):  # kept whole, `>` and all
        return Token("comment", found, _end(_CDATA, text, found))
    if text.startswith(("<!", "<?"), found):
        return Token("declaration", found, _end(_DECLARATION, text, found))
    if not opens_tag(text, found):
        return None
    tag = read_tag(text, found)
    if tag is None:  # the page ends inside the tag: browsers show none of it
        return Token("declaration", found, len(text))
    if tag.closing:
        return Token("end", found, tag.end, tag.name)
    closed = tag.self_closing or (not xml and tag.name in VOID)
    whole = tag.name in kept or translate_no(text, tag.attributes)
    if whole and not closed:
        return Token("kept", found, _element_end(text, tag.name, tag.end), tag.name, True)
    return Token("start", found, tag.end, tag.name, closed, tag.attributes)


def _element_end(text: str, name: str, position: int) -> int:
    """The end of the element `name` whose start tag ends at `position`: nested elements of
    the same name counted; a raw-text element's content is no markup, so it ends at its
    first end tag."""
    raw = name in RAW_TEXT
    pattern = re.compile(rf"</{'' if raw else '?'}{re.escape(name)}(?=[\t\n\f\r />])", re.I)
    depth = 1
    after = position  # tags already read: a name inside one of them is no tag
    for match in pattern.finditer(text, position):
        if match.start() < after:
            continue
        tag = read_tag(text, match.start())
        if tag is None:
            return len(text)
        after = tag.end
        if tag.closing:
            depth -= 1
            if depth == 0:
                return tag.end
        elif not tag.self_closing:
            depth += 1
    return len(text)  # never closed: the rest of the page is the element's


def _end(pattern: re.Pattern[str], text: str, found: int) -> int:
    match = pattern.match(text, found)
    assert match is not None  # each pattern ends at the end of the text at the latest
    return match.end()


def _merge_text(tokens: list[Token]) -> list[Token]:
    merged: list[Token] = []
    for token in tokens:
        if token.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1] = Token("text", merged[-1].start, token.end)
        else:
            merged.append(token)
    return merged
