"""Feeds: RSS 2.0 and Atom (RFC 4287).

Translated: the channel's or feed's title and description (RSS) or subtitle (Atom), and each
item's or entry's title, description or summary, and content (RSS's `content:encoded`; Atom's
`content` unless it points elsewhere with `src`). RSS descriptions are HTML, escaped or in
CDATA sections, and go back the way they came; an Atom text construct is read as its `type`
says: `text`, escaped `html`, or inline `xhtml`. The language is switched to English in RSS's
`<language>` (and `dc:language`) and in `xml:lang` around what is translated. Everything else
is kept as written: links, GUIDs, ids, dates, authors, categories, enclosures. A feed takes no
summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..errors import ItemError
from . import detect_prose
from .wire import Role
from .xmldoc import ATOM, XmlDocument
from .xmltext import Element, content

CONTENT = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
_LANGUAGES = ("language", f"{{{DUBLIN_CORE}}}language")


@dataclass(frozen=True)
class Entry:
    """A feed's item or entry: its id (RSS's `guid`, else its `link`, else its `title`; Atom's
    `id`) and where it is written, `feed[start:end]`. Each piece of it has this `entry` id."""

    id: str
    start: int
    end: int


class FeedDocument(XmlDocument):
    """A feed: its pieces, and its `entries` in order."""

    entries: list[Entry]

    def entry(
        self, element: Element, id_names: tuple[str, ...], read: Callable[[Element], None]
    ) -> None:
        """Read an item or entry (`read` makes its pieces), its id from the first of
        `id_names` it has."""
        first = len(self.pieces)
        read(element)
        found = [c for name in id_names for c in element.children if c.name == name]
        id = content(self.text, found[0]).value.strip() if found and not found[0].children else ""
        self.entries.append(Entry(id, element.start, element.end))
        self.pieces[first:] = [replace(p, entry=id) for p in self.pieces[first:]]


class RssFeed(FeedDocument):
    """An RSS 2.0 feed."""

    name = "rss"
    suffixes = (".rss",)
    media_type = "application/rss+xml"

    @classmethod
    def is_root(cls, name: str) -> bool:
        return name == "rss"

    def read(self) -> None:
        root = self.parse()
        self.entries = []
        if root.name != "rss":
            raise ItemError("not an RSS feed: the root element is not <rss>")
        for channel in root.children:
            if channel.name != "channel":
                continue
            for element in channel.children:
                if element.name == "title":
                    self.text_piece(element, "headline", "text")
                elif element.name == "description":
                    # A channel's description is a phrase; some feeds write it in HTML.
                    written = content(self.text, element).value if not element.children else ""
                    self.text_piece(
                        element, "description", detect_prose(written) if written else "html"
                    )
                elif element.name in _LANGUAGES:
                    self.language_element(element)
                elif element.name == "item":
                    self.entry(element, ("guid", "link", "title"), self._item)
        self.switch_language(self.translated)

    def _item(self, item: Element) -> None:
        for element in item.children:
            if element.name == "title":
                self.text_piece(element, "headline", "text")
            elif element.name == "description":
                self.text_piece(element, "description", "html")
            elif element.name == f"{{{CONTENT}}}encoded":
                self.text_piece(element, "body", "html")
            elif element.name in _LANGUAGES:
                self.language_element(element)


class AtomFeed(FeedDocument):
    """An Atom feed, or an Atom entry document."""

    name = "atom"
    suffixes = (".atom",)
    media_type = "application/atom+xml"

    @classmethod
    def is_root(cls, name: str) -> bool:
        return name in (_a("feed"), _a("entry"))

    def read(self) -> None:
        root = self.parse()
        self.entries = []
        if root.name == _a("feed"):
            for element in root.children:
                if element.name == _a("title"):
                    self._text(element, "headline")
                elif element.name == _a("subtitle"):
                    self._text(element, "description")
                elif element.name == _a("entry"):
                    self.entry(element, (_a("id"),), self._entry)
        elif root.name == _a("entry"):
            self.entry(root, (_a("id"),), self._entry)
        else:
            raise ItemError("not an Atom feed: the root element is not an Atom <feed> or <entry>")
        self.switch_language(self.translated)

    def _entry(self, entry: Element) -> None:
        for element in entry.children:
            if element.name == _a("title"):
                self._text(element, "headline")
            elif element.name == _a("summary"):
                self._text(element, "description")
            elif element.name == _a("content") and "src" not in element.attributes:
                self._text(element, "body")

    def _text(self, element: Element, role: Role) -> None:
        """A text construct (or content) as its `type` says; other media types are kept."""
        kind = element.attributes.get("type", "text").lower()
        if kind == "xhtml":
            self.markup_piece(element, role)
        elif kind in ("html", "text/html"):
            self.text_piece(element, role, "html")
        elif kind in ("text", "text/plain"):
            self.text_piece(element, role, "text")


def _a(local: str) -> str:
    return f"{{{ATOM}}}{local}"
