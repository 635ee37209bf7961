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

from ..errors import ItemError
from . import detect_prose
from .wire import Role
from .xmldoc import XmlDocument
from .xmltext import Element, content

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
_LANGUAGES = ("language", f"{{{DUBLIN_CORE}}}language")


class RssFeed(XmlDocument):
    """An RSS 2.0 feed."""

    name = "rss"

    def read(self) -> None:
        root = self.parse()
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
                    self._item(element)
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


class AtomFeed(XmlDocument):
    """An Atom feed, or an Atom entry document."""

    name = "atom"

    def read(self) -> None:
        root = self.parse()
        if root.name == _a("feed"):
            for element in root.children:
                if element.name == _a("title"):
                    self._text(element, "headline")
                elif element.name == _a("subtitle"):
                    self._text(element, "description")
                elif element.name == _a("entry"):
                    self._entry(element)
        elif root.name == _a("entry"):
            self._entry(root)
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
