"""The digest: one Atom feed of the entries lately found in every polled feed, in English,
each with its summary, newest first.

Each entry's id is made of its feed's name and its own id in that feed, so that a reader sees
an entry once however often the digest is read; `updated` is when depeche first saw it, and
its category term the feed's name.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime

from .formats.feeds import ATOM
from .store.feeds import FeedEntry

# Entries the digest holds, at most.
ENTRIES = 100
FILE = "digest.atom"
TITLE = "depeche: the English of every feed"
ID = "urn:depeche:feeds:digest"


def entry_id(feed: str, id: str) -> str:
    """The digest's id of the entry `id` of `feed`."""
    return f"urn:depeche:feeds:{feed}:{hashlib.sha256(id.encode()).hexdigest()[:32]}"


def render(entries: Sequence[FeedEntry]) -> str:
    """The digest of `entries` (newest first), as an Atom document. The same entries give
    the same document, byte for byte."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(_a("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    ET.SubElement(feed, _a("id")).text = ID
    ET.SubElement(feed, _a("title")).text = TITLE
    latest = max((entry.seen for entry in entries), default=0.0)
    ET.SubElement(feed, _a("updated")).text = _iso(latest)
    ET.SubElement(ET.SubElement(feed, _a("author")), _a("name")).text = "depeche"
    for entry in entries:
        item = ET.SubElement(feed, _a("entry"))
        ET.SubElement(item, _a("id")).text = entry_id(entry.feed, entry.id)
        ET.SubElement(item, _a("title")).text = entry.title or entry.id
        ET.SubElement(item, _a("updated")).text = _iso(entry.seen)
        if entry.link:
            ET.SubElement(item, _a("link"), {"rel": "alternate", "href": entry.link})
        ET.SubElement(item, _a("category"), {"term": entry.feed})
        ET.SubElement(item, _a("summary"), {"type": "text"}).text = entry.summary
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def _a(local: str) -> str:
    return f"{{{ATOM}}}{local}"


def _iso(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
