"""Rendering: an article's French and English as a reader sees them, block by block, with each
sentence marked, for the editor's page.

Markup is rendered by libraries made for it: markdown by markdown-it-py with raw HTML off (it
shows as text), HTML as written; a news item's pieces are read as HTML, plain text is escaped.
Everything then goes through nh3 (ammonia) with an allow-list: no scripts, styles, event
handlers, forms or frames, links only to http(s) and mailto with `rel="noopener noreferrer"`,
images without their source (their alt text stays). Nothing of the article, the memory or a
suggestion can run on the page.

Sentences are found in the rendered markup by marks put around each segment before rendering:
a rare punctuation character around the segment's index before it, an ideographic space after
it. Markdown reads punctuation before a word and a space after it as it reads the quotes and
the space around a quoted word, so emphasis opens and closes as written, and a link found in
the text ends before the space as it would before the next sentence. Once sanitized, the text
between a segment's marks is wrapped, text node by text node, in `<span class="segment"
data-segment="N">` (N: the segment's index in the article), so a sentence that crosses a link
or emphasis is several spans with one index, and the markup stays well nested. (A closing mark
that markdown trims at a block's end is not missed: a sentence ends with its block.)
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .formats import FORMATS, Block, DocumentFormat
from .results import Segment

if TYPE_CHECKING:
    import nh3
    from markdown_it import MarkdownIt

# A segment's opening mark is OPEN, its index, OPEN; its closing mark is CLOSE. Where an
# article has them, they are shown as a dash and a space.
OPEN = "\u2e3a"
CLOSE = "\u3000"
_MARK = re.compile(f"{OPEN}(\\d+){OPEN}|{CLOSE}")
# The marks as markdown-it percent-encodes them in a URL.
_ENCODED_MARK = re.compile(r"%E2%B8%BA\d*%E2%B8%BA|%E2%B8%BA|%E3%80%80", re.IGNORECASE)
_AS_WRITTEN = str.maketrans({OPEN: "\u2014", CLOSE: " "})

TAGS = frozenset(
    """a abbr b blockquote br caption cite code dd del dl dt em figcaption figure h1 h2 h3 h4 h5
    h6 hr i img ins kbd li mark ol p pre q s small span strong sub sup table tbody td tfoot th
    thead tr u ul""".split()
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"alt", "title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_BLOCK_ELEMENTS = frozenset(
    "blockquote caption dd dl dt figcaption figure h1 h2 h3 h4 h5 h6 li ol p pre table td th tr "
    "ul".split()
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# How a block of HTML or of a news item is shown, by kind: the elements around its content.
_ELEMENTS = {f"heading{n}": (f"<h{n}>", f"</h{n}>") for n in range(1, 7)} | {
    "list_item": ("<ul><li>", "</li></ul>"),
    "quote": ("<blockquote>", "</blockquote>"),
    "code": ("<pre>", "</pre>"),
}


@dataclass(frozen=True)
class RenderedBlock:
    """A block's French and English as sanitized HTML, sentences marked."""

    kind: str
    french: str
    english: str

    def to_dict(self) -> dict[str, str]:
        """The JSON shape of a rendered block."""
        return {"kind": self.kind, "french": self.french, "english": self.english}


def render(
    source: str, format: DocumentFormat, blocks: Sequence[Block], segments: Sequence[Segment]
) -> list[RenderedBlock]:
    """Each block of the article `source` (written as `format`, cut into `blocks` and
    `segments` as a translation of it was), its French and its English rendered."""
    from .pipeline import check_encodable

    check_encodable([source, *(s.source for s in segments), *(s.translation for s in segments)])
    by_block = _segments_by_block(source, blocks, segments)
    if format in FORMATS:
        env = _references(source) if format == "markdown" else {}
        return [
            RenderedBlock(
                block.kind,
                _render(_marked(source, block, by_block[index], False), format, block.kind, env),
                _render(_marked(source, block, by_block[index], True), format, block.kind, env),
            )
            for index, block in enumerate(blocks)
        ]
    # A news item's or feed's pieces are text or HTML inside JSON or XML: shown from the
    # segments (their text as the piece has it), read as HTML.
    return [
        RenderedBlock(
            block.kind,
            _render(_joined(by_block[index], False), "html", block.kind, {}),
            _render(_joined(by_block[index], True), "html", block.kind, {}),
        )
        for index, block in enumerate(blocks)
    ]


def _segments_by_block(
    source: str, blocks: Sequence[Block], segments: Sequence[Segment]
) -> list[list[tuple[int, Segment]]]:
    """The (index, segment) pairs of each block, in order; `InputError` where a segment is
    not inside its block (an article that is not a translation of `source`)."""
    for block in blocks:
        if not 0 <= block.start <= block.end <= len(source):
            raise InputError(f"a block at {block.start}-{block.end} is outside the text")
    found: list[list[tuple[int, Segment]]] = [[] for _ in blocks]
    for index, segment in enumerate(segments):
        if not 0 <= segment.block < len(blocks):
            raise InputError(f"segment {index} names block {segment.block}, which is not there")
        block = blocks[segment.block]
        if not block.start <= segment.start <= segment.end <= block.end:
            raise InputError(f"segment {index} is not inside its block")
        found[segment.block].append((index, segment))
    for pairs in found:
        pairs.sort(key=lambda pair: pair[1].start)
    return found


def _marked(source: str, block: Block, pairs: list[tuple[int, Segment]], english: bool) -> str:
    """The block's text, French or English, each segment between its marks. The English is
    put together as `assemble.reassemble` writes it; the French shows each character once,
    where segments overlap."""
    parts: list[str] = []
    position = block.start
    for index, segment in pairs:
        if english:
            start, text = segment.start, segment.translation
        else:
            start = max(position, segment.start)
            text = source[start : segment.end]
        parts.append(source[position:start].translate(_AS_WRITTEN))
        parts.append(f"{OPEN}{index}{OPEN}{text.translate(_AS_WRITTEN)}{CLOSE}")
        position = segment.end if english else max(position, segment.end)
    parts.append(source[position : block.end].translate(_AS_WRITTEN))
    return "".join(parts)


def _joined(pairs: list[tuple[int, Segment]], english: bool) -> str:
    """A news item's block: its segments' text, each between its marks."""
    return " ".join(
        f"{OPEN}{index}{OPEN}"
        f"{(segment.translation if english else segment.source).translate(_AS_WRITTEN)}{CLOSE}"
        for index, segment in pairs
    )


def _render(marked: str, format: str, kind: str, env: dict[str, Any]) -> str:
    """`marked` (one block) as sanitized HTML, its segments wrapped."""
    if format == "markdown":
        written = markdown().render(marked, dict(env))
    elif format == "html":
        opening, closing = _ELEMENTS.get(kind, ("<p>", "</p>"))
        written = opening + marked + closing
    else:  # plain text, as written: a line that starts with a dash keeps it
        written = "<p>" + html.escape(marked, quote=False).replace("\n", "<br>\n") + "</p>"
    return _cleaners()[1].clean(_wrap(_cleaners()[0].clean(written)))


def _references(source: str) -> dict[str, Any]:
    """The link reference definitions of a markdown document: every block is rendered with
    them, so that `[text][ref]` is a link wherever its definition stands."""
    env: dict[str, Any] = {}
    markdown().parse(source, env)
    return {"references": env.get("references", {})}


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """markdown-it-py as articles are read (GFM tables, strikethrough, linkify), raw HTML off."""
    from markdown_it import MarkdownIt

    from .formats.markdown import MAX_NESTING

    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "maxNesting": MAX_NESTING})
    return md.enable(["table", "strikethrough", "linkify"])


def _unmarked(tag: str, attribute: str, value: str) -> str:
    """An attribute's value without the segment marks (a URL linkify ran into keeps none)."""
    return _ENCODED_MARK.sub("", _MARK.sub("", value)).replace(OPEN, "").replace(CLOSE, "")


@lru_cache(maxsize=1)
def _cleaners() -> tuple[nh3.Cleaner, nh3.Cleaner]:
    """The sanitizer of rendered markup, and the one the wrapped markup goes through last
    (which lets the segments' spans keep their class and index, and nothing else new)."""
    import nh3

    common: dict[str, Any] = {
        "tags": set(TAGS),
        "clean_content_tags": {"script", "style"},
        "url_schemes": set(URL_SCHEMES),
        "link_rel": "noopener noreferrer",
        "strip_comments": True,
        "set_tag_attribute_values": {"a": {"target": "_blank"}},
    }
    first = nh3.Cleaner(
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_unmarked,
        **common,
    )
    last = nh3.Cleaner(
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()}
        | {"span": {"data-segment"}},
        allowed_classes={"span": {"segment"}},
        **common,
    )
    return first, last


class _Wrapper(HTMLParser):
    """Sanitized HTML written again, the text between a segment's marks wrapped in its span."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = "".join(
            f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs
        )
        self.out.append(f"<{tag}{written}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in _BLOCK_ELEMENTS:  # a sentence ends with its block, marked or not
            self.current = None

    def handle_data(self, data: str) -> None:
        position = 0
        for match in _MARK.finditer(data):
            self._text(data[position : match.start()])
            self.current = match.group(1)
            position = match.end()
        self._text(data[position:])

    def _text(self, text: str) -> None:
        if not text:
            return
        escaped = html.escape(text, quote=False)
        if self.current is None:
            self.out.append(escaped)
        else:
            self.out.append(f'<span class="segment" data-segment="{self.current}">{escaped}</span>')


def _wrap(sanitized: str) -> str:
    """`sanitized` with each segment's text in its spans, the marks gone."""
    wrapper = _Wrapper()
    wrapper.feed(sanitized)
    wrapper.close()
    return "".join(wrapper.out)
