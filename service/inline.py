"""Inline markup, whatever the format: the text the model reads, and the markup around it.

A format's parser (`service.formats`) walks a block's prose and hands each character and each
piece of markup to a `Builder`, with its place in the source. What comes out is a `Run`: the
plain text (entities and escapes decoded, whitespace collapsed), *spans* (emphasis, links,
paired inline HTML: markup around words, with `open` and `close` exactly as written) and
*atoms* (images, code, URLs, footnote references, hard breaks, void elements: markup at a
place, copied as written). A run is cut into sentences on its plain text, so a sentence never
ends inside markup; each sentence is an `Inline` and the source range it replaces.

After translation, `service.projection` puts the markup back around the aligned words.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# A range of a text, [start, end): a sentence's, a block's prose, a URL's...
Range = tuple[int, int]
ROOT = -1  # the parent of top-level markup
# Markup nested deeper than this is not walked: its prose is kept as written and flagged.
# Deep enough for any article (a page's inline elements nest a few levels).
MAX_NESTING = 100
# Invisible characters that belong inside a word (soft hyphen, joiners). Other control and
# format characters (a zero-width space, a stray byte-order mark) separate words.
_JOINERS = frozenset("\u00ad\u200c\u200d\u2060")


@dataclass(frozen=True)
class Span:
    """Markup around `plain[start:end]`, written `open` ... `close` in the source; `parent` is
    the index of the span it sits in (`ROOT` for none)."""

    start: int
    end: int
    open: str
    close: str
    parent: int = ROOT


@dataclass(frozen=True)
class Atom:
    """Markup that is not prose (`raw`, as written) at plain position `at`, inside span
    `parent`. `glued`: no whitespace before it in the source (`mot[^1]`)."""

    at: int
    raw: str
    parent: int = ROOT
    glued: bool = False


@dataclass(frozen=True)
class Inline:
    """A sentence as the model reads it (`plain`), and the markup taken out of it."""

    plain: str
    spans: tuple[Span, ...] = ()
    atoms: tuple[Atom, ...] = ()

    @property
    def bare(self) -> bool:
        """No markup at all."""
        return not self.spans and not self.atoms


@dataclass(frozen=True)
class Sentence:
    """One sentence of a run: the source range it replaces, and its inline content."""

    start: int
    end: int
    inline: Inline


@dataclass
class _Item:
    """Markup collected by the builder, with its source range."""

    raw_start: int
    raw_end: int
    parent: int
    open: str = ""
    close: str = ""
    start: int = 0  # plain positions, filled in as the builder goes
    end: int = 0
    atom: bool = False
    kind: str = ""  # what closes it: "em", "link", "html:b"...


@dataclass
class Builder:
    """Collects plain characters and markup, each with its source range, as a parser walks
    the source in order. `build` collapses whitespace and gives the `Run`. `source` is the
    text the ranges point into, starting at offset `origin`."""

    source: str
    origin: int = 0
    chars: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    stack: list[int] = field(default_factory=list)
    # How many spans of each kind are open: `is_open` without walking the stack.
    opened: Counter[str] = field(default_factory=Counter)

    @property
    def parent(self) -> int:
        return self.stack[-1] if self.stack else ROOT

    def text(self, chars: str, raw_start: int, raw_end: int) -> None:
        """Plain characters that stand for `source[raw_start:raw_end]` (an entity, an escape,
        or the characters themselves)."""
        for char in chars:
            self.chars.append(char)
            self.starts.append(raw_start)
            self.ends.append(raw_end)

    def atom(self, raw: str, raw_start: int, raw_end: int) -> None:
        """Markup copied as written, at the current place."""
        here = len(self.chars)
        self.items.append(_Item(raw_start, raw_end, self.parent, raw, "", here, here, True))

    def open(self, marker: str, raw_start: int, raw_end: int, kind: str) -> None:
        """A span of `kind` opens (`marker` as written)."""
        here = len(self.chars)
        item = _Item(raw_start, raw_end, self.parent, marker, "", here, here, kind=kind)
        self.items.append(item)
        self.stack.append(len(self.items) - 1)
        self.opened[kind] += 1

    def is_open(self, kind: str) -> bool:
        """Whether a span of `kind` is open."""
        return self.opened[kind] > 0

    def close(self, marker: str, raw_end: int, kind: str) -> None:
        """The innermost open span of `kind` closes (`marker` as written, ending at
        `raw_end`). Spans opened inside it and still open cannot pair any more: their
        opening markers stay where they are written, as atoms."""
        while self.stack:
            item = self.items[self.stack.pop()]
            self.opened[item.kind] -= 1
            if item.kind == kind:
                item.close, item.end, item.raw_end = marker, len(self.chars), raw_end
                return
            item.atom = True
        raise ValueError(f"no {kind} is open")

    def build(self) -> Run:
        """The run: whitespace runs (and control and format characters) become one space,
        and spans around no text at all become atoms."""
        while self.stack:  # a parser left a span open: what was opened stays as written
            item = self.items[self.stack.pop()]
            item.atom = True
        plain: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        moved = [0] * (len(self.chars) + 1)
        space = True
        chars = self.chars
        for index, char in enumerate(chars):
            moved[index] = len(plain)
            if char in _JOINERS and _inside_word(chars, index):
                continue  # a soft hyphen or a joiner inside a word: the word stays whole
            if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
                if not space:
                    plain.append(" ")
                    starts.append(self.starts[index])
                    ends.append(self.ends[index])
                space = True
            else:
                plain.append(char)
                starts.append(self.starts[index])
                ends.append(self.ends[index])
                space = False
        moved[len(self.chars)] = len(plain)
        while plain and plain[-1] == " ":
            plain.pop()
            starts.pop()
            ends.pop()
        limit = len(plain)
        kept: list[_Item] = []
        for item in self.items:
            item.start, item.end = min(moved[item.start], limit), min(moved[item.end], limit)
            if kept and kept[-1].atom and item.raw_end <= kept[-1].raw_end:
                continue  # inside an empty span, copied whole with it
            if not item.atom and item.start == item.end:
                # `[](url)`, `_`code`_`: nothing to translate inside; copied whole, as written.
                item.atom = True
                item.open = self.source[item.raw_start - self.origin : item.raw_end - self.origin]
                item.close = ""
            kept.append(item)
        parents = {id(item): index for index, item in enumerate(kept)}
        for item in kept:  # parents, counted among the items kept
            if item.parent != ROOT:
                item.parent = parents.get(id(self.items[item.parent]), ROOT)
        return Run("".join(plain), starts, ends, kept)


def _inside_word(chars: list[str], index: int) -> bool:
    """Whether the character at `index` sits between two letters or digits."""
    before = chars[index - 1] if index else ""
    after = chars[index + 1] if index + 1 < len(chars) else ""
    return before.isalnum() and after.isalnum()


@dataclass
class Run:
    """A block's prose, parsed: plain text with the source range of each character, and the
    markup found in it."""

    plain: str
    starts: list[int]
    ends: list[int]
    items: list[_Item]

    @property
    def depth(self) -> int:
        """How deeply its spans nest (0: none; 1: spans side by side...)."""
        depths: list[int] = []
        for item in self.items:  # a span's parent always comes before it
            parent = depths[item.parent] if item.parent != ROOT else 0
            depths.append(parent + (not item.atom))
        return max(depths, default=0)

    def sentences(self, split: Callable[[str], list[tuple[int, int]]]) -> list[Sentence]:
        """Cut the run where `split` cuts its plain text, never inside a span; each sentence
        takes the markup inside it, and the atoms between sentences go with the sentence they
        are written against."""
        bounds = _merge_across_spans(split(self.plain), self.items)
        if not bounds:
            return []
        owners: list[list[int]] = [[] for _ in bounds]
        starts, ends = [s for s, _ in bounds], [e for _, e in bounds]
        for index, item in enumerate(self.items):
            owners[_owner(item, starts, ends)].append(index)
        found = []
        for (start, end), owned in zip(bounds, owners, strict=True):
            raw_start = min([self.starts[start]] + [self.items[i].raw_start for i in owned])
            raw_end = max([self.ends[end - 1]] + [self.items[i].raw_end for i in owned])
            found.append(Sentence(raw_start, raw_end, self._inline(start, end, owned)))
        return found

    def whole(self) -> Inline:
        """The whole run as one inline, uncut."""
        if not self.plain:
            return Inline("", (), tuple(Atom(0, self._raw(i)) for i in self.items))
        return self._inline(0, len(self.plain), list(range(len(self.items))))

    def _inline(self, start: int, end: int, owned: list[int]) -> Inline:
        renumber: dict[int, int] = {}
        spans: list[Span] = []
        atoms: list[Atom] = []
        for index in owned:
            item = self.items[index]
            parent = renumber.get(item.parent, ROOT)
            if item.atom:
                at = min(max(item.start - start, 0), end - start)
                glued = item.start > start and item.start <= end and self._glued(item)
                atoms.append(Atom(at, self._raw(item), parent, glued))
            else:
                renumber[index] = len(spans)
                spans.append(
                    Span(item.start - start, item.end - start, item.open, item.close, parent)
                )
        return Inline(self.plain[start:end], tuple(spans), tuple(atoms))

    def _raw(self, item: _Item) -> str:
        return item.open if not item.close else item.open + item.close

    def _glued(self, item: _Item) -> bool:
        # A URL or an address glued to a word would no longer be one: those never glue.
        before = item.start - 1
        return (
            before >= 0
            and self.plain[before] != " "
            and self.ends[before] == item.raw_start
            and not item.open[:1].isalnum()
        )


def _merge_across_spans(
    bounds: list[tuple[int, int]], items: Sequence[_Item]
) -> list[tuple[int, int]]:
    """Join sentences that a span reaches across (one pass over spans sorted by start). A
    span reaches into the gap between two sentences when it starts before the second and
    ends after the first: `<b>Il parle. </b>Il part.` holds the space between them, which
    neither sentence's text has, so the element is kept whole in one sentence."""
    spans = sorted((item.start, item.end) for item in items if not item.atom)
    merged: list[tuple[int, int]] = []
    reach = -1  # the furthest end of the spans starting before the next sentence
    taken = 0
    for start, end in bounds:
        while taken < len(spans) and spans[taken][0] < start:
            reach = max(reach, spans[taken][1])
            taken += 1
        if merged and reach > merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _owner(item: _Item, starts: list[int], ends: list[int]) -> int:
    """The sentence an item belongs to: the one around it; between two, the one before when
    the item is written against it, else the next. `starts` and `ends` are the sentences'
    bounds, in order."""
    after = bisect.bisect_right(starts, item.start)  # the first sentence starting past it
    # Among the sentences starting at or before it, the first that holds it.
    holder = bisect.bisect_left(ends, item.start if item.atom else item.end)
    if holder < after:
        return holder
    return min(after, len(starts) - 1)
