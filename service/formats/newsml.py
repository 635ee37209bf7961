"""NewsML-G2: a `newsItem` (or another item) alone, or a `newsMessage` carrying several.

Translated: every `headline` and `description`, the body in `inlineXML` (XHTML, its head's
`title` included, or NITF) and a plain-text or HTML `inlineData` body. The language is
switched to English in `<language tag>` and in `xml:lang` on the elements around what is
translated (a subject's name in French keeps its own `xml:lang="fr"`). Everything else is
kept as written: ids, versions, dates, urgency, bylines, datelines, `located`, sluglines,
subjects, renditions, links, comments, namespaces, attribute order and quoting, CDATA
sections. A summary is a `<description role="drol:summary">` in the first item with a body.
"""

from __future__ import annotations

from ..errors import ItemError
from .wire import NITF, Edit, Role
from .xmldoc import NAR, XmlDocument
from .xmltext import Element, escape, prefix

SUMMARY_ROLE = "drol:summary"


def _q(local: str) -> str:
    return f"{{{NAR}}}{local}"


# The children of `contentMeta` a description may follow: NewsML-G2's administrative and
# descriptive metadata (those come before its extension points).
_BEFORE_DESCRIPTION = frozenset(
    _q(name)
    for name in (
        "icon urgency contentCreated contentModified digitalSourceType located infoSource "
        "creator contributor audience exclAudience altId rating userInteraction language genre "
        "keyword subject slugline headline dateline by creditline description"
    ).split()
)
_BODIES = (_q("inlineXML"), _q("inlineData"))


class NewsmlDocument(XmlDocument):
    """A NewsML-G2 item or news message."""

    name = "newsml"
    suffixes = (".xml",)
    media_type = "application/vnd.iptc.g2.newsitem+xml"
    summarized = True

    @classmethod
    def is_root(cls, name: str) -> bool:
        return name.startswith(f"{{{NAR}}}") and name.endswith(("Item", "Message"))

    def read(self) -> None:
        root = self.parse()
        if not root.name.startswith(f"{{{NAR}}}"):
            raise ItemError("not NewsML-G2: the root element is not in its namespace")
        main = self.main_item()
        stack = [root]
        while stack:
            element = stack.pop()
            in_main = main is not None and _item_of(element) is main
            if element.name in (_q("headline"), _q("description")):
                role: Role = "headline" if element.name == _q("headline") else "description"
                self.text_piece(element, role, "text")
            elif element.name == _q("inlineXML"):
                kind = element.attributes.get("contenttype", "").lower()
                options = NITF if "nitf" in kind else None
                self.markup_piece(element, "body", in_main, options)
            elif element.name == _q("inlineData"):
                kind = element.attributes.get("contenttype", "text/plain").lower()
                if kind in ("text/plain", "text/html"):
                    self.text_piece(element, "body", "html" if "html" in kind else "text", in_main)
            else:
                if element.name == _q("language"):
                    self.language_attribute(element, "tag")
                stack.extend(reversed(element.children))
        self.switch_language(self.translated)

    def main_item(self) -> Element | None:
        """The first item with a body: what a summary is of."""
        stack = [self.root]
        while stack:
            element = stack.pop()
            if element.name in _BODIES:
                return _item_of(element)
            stack.extend(reversed(element.children))
        return None

    def summary_edit(self, summary: str) -> Edit | None:
        main = self.main_item()
        meta = main.child(_q("contentMeta")) if main is not None else None
        if meta is None or meta.inner == meta.end:
            return None
        for description in meta.children:
            if description.name == _q("description") and (
                description.attributes.get("role") == SUMMARY_ROLE
            ):
                return None
        name = prefix(self.text, meta) + "description"
        element = f'<{name} role="{SUMMARY_ROLE}">{escape(summary)}</{name}>'
        anchors = [c for c in meta.children if c.name in _BEFORE_DESCRIPTION]
        if anchors:
            anchor = anchors[-1]
            siblings = meta.children
            index = siblings.index(anchor)
            before = siblings[index - 1].end if index else meta.inner
            return Edit(anchor.end, anchor.end, _indent(self.text[before : anchor.start]) + element)
        first = meta.children[0].start if meta.children else meta.close
        indent = _indent(self.text[meta.inner : first])
        return Edit(meta.inner, meta.inner, indent + element)


def _item_of(element: Element) -> Element | None:
    """The item (`newsItem`, `packageItem`...) an element belongs to."""
    for around in element.ancestors():
        if around.name.endswith("Item") and around.name.startswith(f"{{{NAR}}}"):
            return around
    return None


def _indent(between: str) -> str:
    """The line break and indentation an element is written after, from the text before
    it (nothing when that text is not only whitespace)."""
    if between.strip():
        return ""
    return between[between.rfind("\n") :] if "\n" in between else between
