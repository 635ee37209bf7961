"""A feed in English, made of the source as it is now: the entries the store does not know
translated (with the feed's own title and description), the others as they were translated
when they were new, and what the digest shows of each new entry (its English title, link and
summary)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import ItemError
from .formats import detect, plain_text, read_wire
from .formats.feeds import ATOM, FeedDocument
from .formats.wire import Edit, splice
from .formats.xmltext import Element, content
from .store import Store
from .store.feeds import FeedEntry

if TYPE_CHECKING:
    from .items import ItemResult
    from .summarizer import Summarizer
    from .translator import Translator


@dataclass(frozen=True)
class EnglishFeed:
    """The English feed `text` in `format` (rss, atom), the entries first translated for it,
    and the ids of every entry it holds."""

    text: str
    format: str
    entries: list[FeedEntry]
    ids: list[str]


def english_feed(
    name: str,
    text: str,
    store: Store,
    translator: Translator,
    summarizer: Summarizer | None,
    now: float,
) -> EnglishFeed:
    """The feed `name`, whose source is now `text`, in English; `ItemError` when `text` is
    not a well-formed RSS or Atom feed. New entries are summarized with `summarizer` (without
    one, their English prose stands for the summary) and dated `now`."""
    format = detect(text)
    if format not in ("rss", "atom"):
        raise ItemError("not an RSS or Atom feed")
    document = read_wire(text, format)
    assert isinstance(document, FeedDocument)
    keys = [_key(document, index) for index in range(len(document.entries))]
    known = store.feed_entries.known(name, keys)
    fresh: list[int] = []  # the first entry of each id the store does not know
    seen = set(known)
    for index, key in enumerate(keys):
        if key not in seen:
            seen.add(key)
            fresh.append(index)
    spans = [(document.entries[i].start, document.entries[i].end) for i in fresh]
    document.select(lambda p: p.entry is None or any(s <= p.start < e for s, e in spans))
    [result] = translator.translate_items([document])
    english = read_wire(result.text, format)
    assert isinstance(english, FeedDocument)
    if len(english.entries) != len(document.entries):
        raise ItemError("its English has another number of entries")  # never expected
    fragments = {
        keys[i]: result.text[english.entries[i].start : english.entries[i].end] for i in fresh
    }
    fragments |= {key: entry.english for key, entry in known.items()}
    edits = [
        Edit(entry.start, entry.end, fragments[key])
        for key, entry in zip(keys, english.entries, strict=True)
        if fragments[key] != result.text[entry.start : entry.end]
    ]
    titles, prose = _entry_texts(document, result, fresh)
    summaries = _summaries([prose[i] for i in fresh], summarizer)
    links = _links(document)
    entries = [
        FeedEntry(
            name,
            keys[i],
            now,
            fragments[keys[i]],
            titles.get(i, ""),
            links.get(document.entries[i].start, ""),
            summary,
        )
        for i, summary in zip(fresh, summaries, strict=True)
    ]
    return EnglishFeed(splice(result.text, edits), format, entries, list(dict.fromkeys(keys)))


def _summaries(prose: list[str], summarizer: Summarizer | None) -> list[str]:
    """What the digest shows of each new entry: its summary, or its English prose when
    summaries are turned off."""
    if summarizer is None or not prose:
        return prose
    return [summary.text for summary in summarizer.summarize_many(prose)]


def _key(document: FeedDocument, index: int) -> str:
    """The id an entry is remembered by: its own, else a hash of it as written."""
    entry = document.entries[index]
    if entry.id.strip():
        return entry.id.strip()
    written = document.text[entry.start : entry.end].encode()
    return f"sha256:{hashlib.sha256(written).hexdigest()}"


def _entry_texts(
    document: FeedDocument, result: ItemResult, fresh: Sequence[int]
) -> tuple[dict[int, str], dict[int, str]]:
    """The English title and prose (body, else description) of each new entry, by index."""
    spans = {i: (document.entries[i].start, document.entries[i].end) for i in fresh}
    titles: dict[int, str] = {}
    bodies: dict[int, str] = {}
    descriptions: dict[int, str] = {}
    for piece, article in result.pieces:
        index = next((i for i, (s, e) in spans.items() if s <= piece.start < e), None)
        if index is None:
            continue
        if piece.role == "headline":
            titles.setdefault(index, plain_text(article.text, piece.format))
        elif piece.role == "body":
            bodies.setdefault(index, article.english_prose())
        elif piece.role == "description":
            descriptions.setdefault(index, article.english_prose())
    prose = {i: bodies.get(i) or descriptions.get(i) or "" for i in fresh}
    return titles, prose


def _links(document: FeedDocument) -> dict[int, str]:
    """The link of each entry (RSS's `<link>`, Atom's alternate `<link href>`), by where
    the entry starts."""
    found: dict[int, str] = {}
    starts = {entry.start for entry in document.entries}
    for element in _entry_elements(document.root):
        if element.start not in starts:
            continue
        for child in element.children:
            if child.name == "link" and not child.children:
                found[element.start] = content(document.text, child).value.strip()
                break
            if (
                child.name == f"{{{ATOM}}}link"
                and child.attributes.get("rel", "alternate") == "alternate"
            ):
                found[element.start] = child.attributes.get("href", "").strip()
                break
    return found


def _entry_elements(root: Element) -> Iterator[Element]:
    """The elements an entry may be: an Atom entry document's root, its feed's children, an
    RSS channel's children."""
    yield root
    for child in root.children:
        yield child
        yield from child.children
