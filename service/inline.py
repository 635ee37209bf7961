"""Inline markup, whatever the format: the text the model reads, and the markup around it.

A format's parser (`service.formats`) walks a block's prose and hands each character and each
piece of markup to a `Builder`, with its place in the source. What comes out is a `Run`: the
plain text (entities and escapes decoded, whitespace collapsed), *spans* (emphasis, links,
paired inline HTML: markup around words, with `open` and `close` exactly as written) and
*atoms* (images, code, URLs, footnote references, hard breaks, void elements: markup at a
place, copied as written). A run is cut into sentences on its plain text, so a sentence never
ends inside markup; each sentence is an `Inline` and the source range it replaces.

After translation, `project` puts the markup back around the target words aligned to the
source words it wrapped. Whatever the alignment says, the result is well formed: spans nest as
in the source, never cross, never end up empty, and siblings stay siblings (a projection that
would cross is narrowed or shifted within its parent, as Bergamot does for HTML); atoms land
at their aligned place inside their own span.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

ROOT = -1  # the parent of top-level markup
# Invisible characters that belong inside a word (soft hyphen, joiners). Other control and
# format characters (a zero-width space, a stray byte-order mark) separate words.
_JOINERS = frozenset("\u00ad\u200c\u200d\u2060")
_WORD = re.compile(r"\S+")
_TRAILING_PUNCTUATION = re.compile(r"[.,;:!?…»\"”’)]+$")


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

    def is_open(self, kind: str) -> bool:
        """Whether a span of `kind` is open."""
        return any(self.items[i].kind == kind for i in self.stack)

    def close(self, marker: str, raw_end: int, kind: str) -> None:
        """The innermost open span of `kind` closes (`marker` as written, ending at
        `raw_end`). Spans opened inside it and still open cannot pair any more: their
        opening markers stay where they are written, as atoms."""
        while self.stack:
            item = self.items[self.stack.pop()]
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

    def sentences(self, split: Callable[[str], list[tuple[int, int]]]) -> list[Sentence]:
        """Cut the run where `split` cuts its plain text, never inside a span; each sentence
        takes the markup inside it, and the atoms between sentences go with the sentence they
        are written against."""
        bounds = _merge_across_spans(split(self.plain), self.items)
        if not bounds:
            return []
        owners: list[list[int]] = [[] for _ in bounds]
        for index, item in enumerate(self.items):
            owners[_owner(item, bounds)].append(index)
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
    """Join sentences that a span runs across."""
    merged: list[tuple[int, int]] = []
    for start, end in bounds:
        if merged and any(
            not item.atom and item.start < merged[-1][1] and item.end > start for item in items
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _owner(item: _Item, bounds: list[tuple[int, int]]) -> int:
    """The sentence an item belongs to: the one around it; between two, the one before when
    the item is written against it, else the next."""
    for index, (start, end) in enumerate(bounds):
        if not item.atom and start <= item.start and item.end <= end:
            return index
        if item.atom and start <= item.start <= end:
            return index
        if item.start < start:
            return index
    return len(bounds) - 1


# -- projection ------------------------------------------------------------------------------


class NoRoom(Exception):
    """The translation has fewer words than the markup needs to stay well formed."""


def markers(inline: Inline) -> Counter[str]:
    """The multiset of an inline's spans, by their markers."""
    return Counter(s.open + "\0" + s.close for s in inline.spans)


def nesting(inline: Inline) -> list[tuple[str, str]]:
    """Each span's markers with those of the span it sits in."""
    names = [s.open + "\0" + s.close for s in inline.spans]
    return sorted(
        (names[i], names[s.parent] if s.parent != ROOT else "") for i, s in enumerate(inline.spans)
    )


def same_markup(output: Inline, source: Inline) -> bool:
    """Whether `output` carries exactly the spans of `source`, nested the same way, none left
    empty, and every atom of it (the translation may add a URL of its own)."""
    atoms = Counter(a.raw for a in source.atoms)
    return (
        markers(output) == markers(source)
        and nesting(output) == nesting(source)
        and all(s.end > s.start for s in output.spans)
        and not atoms - Counter(a.raw for a in output.atoms)
    )


def project_checked(
    translation: str,
    inline: Inline,
    alignment: Sequence[tuple[int, int]],
    escape: Callable[[str], str],
    reparse: Callable[[str], Inline],
) -> str:
    """`project`, read back with the format's own parser (`reparse`): the output must carry
    the source's markup, nested the same way. Where the alignment's placement reads back
    otherwise (markdown fuses `_a _b__` into other emphasis), the placement in the source's
    word order is tried; if that fails too, `NoRoom`."""
    if inline.bare:
        return escape(translation)
    for attempt in (alignment, ()):
        output = project(translation, inline, attempt, escape)
        if same_markup(reparse(output), inline):
            return output
    raise NoRoom


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each whitespace-separated word."""
    return [m.span() for m in _WORD.finditer(text)]


def project(
    translation: str,
    inline: Inline,
    alignment: Sequence[tuple[int, int]],
    escape: Callable[[str], str] = lambda text: text,
) -> str:
    """`translation` with `inline`'s markup put back; `alignment` holds (target word, source
    word) pairs; `escape` makes the translated text safe in the format (markdown escapes,
    HTML entities). Raises `NoRoom` when the markup cannot be placed well formed."""
    if inline.bare:
        return escape(translation)
    targets = word_spans(translation)
    if not targets:
        raise NoRoom
    sources = word_spans(inline.plain)
    place = _Placer(inline, sources, len(targets), alignment)
    return _emit(translation, targets, inline, place.spans(), place.atoms(), escape)


class _Placer:
    """Target word ranges of spans, and target slots of atoms, well formed by construction."""

    def __init__(
        self,
        inline: Inline,
        sources: list[tuple[int, int]],
        count: int,
        alignment: Sequence[tuple[int, int]],
    ) -> None:
        self.inline = inline
        self.sources = sources
        self.count = count
        self.aligned: dict[int, list[int]] = {}
        for target, source in alignment:
            if 0 <= target < count:
                self.aligned.setdefault(source, []).append(target)
        self.ranges: dict[int, tuple[int, int]] = {}

    def _wanted(self, span: Span) -> tuple[int, int]:
        last = self.count - 1
        if span.start <= 0 and span.end >= len(self.inline.plain):
            return 0, last
        covered = [
            i
            for i, (start, end) in enumerate(self.sources)
            if start < span.end and end > span.start
        ]
        found = sorted(t for s in covered for t in self.aligned.get(s, []))
        if found:
            return found[0], found[-1]
        if not covered:
            return 0, 0
        scale = self.count / max(len(self.sources), 1)
        return min(last, int(covered[0] * scale)), min(last, int(covered[-1] * scale))

    def spans(self) -> dict[int, tuple[int, int]]:
        self._place(ROOT, 0, self.count - 1)
        return self.ranges

    def _place(self, parent: int, low: int, high: int) -> None:
        children = [i for i, span in enumerate(self.inline.spans) if span.parent == parent]
        wanted = {i: self._wanted(self.inline.spans[i]) for i in children}
        children.sort(key=lambda i: (wanted[i], i))
        cursor = low
        for rank, child in enumerate(children):
            after = len(children) - rank - 1  # siblings still to place, a word each at least
            first, last = wanted[child]
            first = min(max(first, cursor), high - after)
            if first < cursor:
                raise NoRoom
            last = max(min(last, high - after), first)
            self.ranges[child] = (first, last)
            self._place(child, first, last)
            cursor = last + 1

    def atoms(self) -> list[int]:
        """The slot of each atom: before target word `slot` (`count`: after the last)."""
        slots = []
        for atom in self.inline.atoms:
            before = [i for i, (_, end) in enumerate(self.sources) if end <= atom.at]
            if not before:
                slot = 0
            elif self.aligned.get(before[-1]):
                slot = max(self.aligned[before[-1]]) + 1
            else:
                slot = min(self.count, round(len(before) * self.count / max(len(self.sources), 1)))
            low, high = 0, self.count
            if atom.parent != ROOT:
                low, high = self.ranges[atom.parent][0], self.ranges[atom.parent][1] + 1
            if atom.raw.endswith("\n"):  # a line break between two words, never at an end
                low, high = max(low, 1), min(high, self.count - 1)
                if low > high:
                    raise NoRoom
            slots.append(min(max(slot, low), high))
        return slots


def _emit(
    translation: str,
    words: list[tuple[int, int]],
    inline: Inline,
    ranges: dict[int, tuple[int, int]],
    slots: list[int],
    escape: Callable[[str], str],
) -> str:
    """Write the words with the markup: opens before a span's first word (outer first),
    closes after its last (inner first), each atom inside its own span."""
    spans, atoms = inline.spans, inline.atoms
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for index, (first, last) in ranges.items():
        opening.setdefault(first, []).append(index)
        closing.setdefault(last, []).append(index)
    depth = {index: _depth(spans, index) for index in ranges}
    at_slot: dict[int, list[int]] = {}
    for index, slot in enumerate(slots):
        at_slot.setdefault(slot, []).append(index)
    parts: list[str] = []

    def put(slot: int, parents: set[int] | None, leading: bool = False) -> None:
        """Atoms at `slot` inside one of `parents` (None: any)."""
        for index in at_slot.get(slot, []):
            atom = atoms[index]
            if parents is None or atom.parent in parents:
                at_slot[slot] = [i for i in at_slot[slot] if i != index]
                if leading:  # before the first word of its span: it leads into the words
                    parts.append(atom.raw + ("" if atom.raw.endswith("\n") else " "))
                else:
                    parts.append(("" if atom.glued else " ") + atom.raw)

    open_now: set[int] = set()
    for word, (start, end) in enumerate(words):
        if word:
            put(word, {ROOT} | open_now)
            separator = translation[words[word - 1][1] : start]
            parts.append("" if parts[-1].endswith("\n") else escape(separator))
        else:
            put(0, {ROOT}, leading=True)
        for index in sorted(opening.get(word, []), key=lambda i: depth[i]):
            parts.append(spans[index].open)
            open_now.add(index)
            put(word, {index}, leading=True)
        text = translation[start:end]
        closes = sorted(closing.get(word, []), key=lambda i: -depth[i])
        # `*car*.`, not `*car.*`, unless the source span itself ended with punctuation.
        inside = not closes or any(_ends_with_punctuation(inline, spans[i]) for i in closes)
        punctuation = "" if inside else _trailing(text)
        parts.append(escape(text[: len(text) - len(punctuation)]))
        for index in closes:
            put(word + 1, {index})
            parts.append(spans[index].close)
            open_now.discard(index)
        parts.append(escape(punctuation))
    put(len(words), None)
    parts.append(escape(translation[words[-1][1] :]))
    return "".join(parts)


def _depth(spans: Sequence[Span], index: int) -> int:
    depth = 0
    while spans[index].parent != ROOT:
        index = spans[index].parent
        depth += 1
    return depth


def _trailing(text: str) -> str:
    match = _TRAILING_PUNCTUATION.search(text)
    return match.group() if match and match.start() > 0 else ""


def _ends_with_punctuation(inline: Inline, span: Span) -> bool:
    return bool(_TRAILING_PUNCTUATION.search(inline.plain[span.start : span.end]))
