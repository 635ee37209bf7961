"""Projection: markup put back into a translation, around the words aligned to its source.

Whatever the alignment says, the result is well formed: spans nest as in the source, never
cross, never end up empty, and siblings stay siblings (a placement that would cross is
narrowed or shifted within its parent, as Bergamot does for HTML); atoms land at their aligned
place inside their own span. `project_checked` reads the result back with the format's own
parser, so what a reader of the output sees is what the source had.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence

from .inline import ROOT, Inline, Span

_WORD = re.compile(r"\S+")
_TRAILING_PUNCTUATION = re.compile(r"[.,;:!?…»\"”’)]+$")


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
        self.source_starts = [start for start, _ in sources]
        self.source_ends = [end for _, end in sources]
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
        # The source words the span overlaps: those ending after its start and starting
        # before its end.
        first_word = bisect.bisect_right(self.source_ends, span.start)
        end_word = bisect.bisect_left(self.source_starts, span.end)
        covered = range(first_word, max(first_word, end_word))
        found = sorted(t for s in covered for t in self.aligned.get(s, []))
        if found:
            return found[0], found[-1]
        if not covered:
            return 0, 0
        scale = self.count / max(len(self.sources), 1)
        return min(last, int(covered[0] * scale)), min(last, int(covered[-1] * scale))

    def spans(self) -> dict[int, tuple[int, int]]:
        """Each span's target word range, placed parent first: siblings side by side in the
        order their words want, each inside its parent's range (a loop, not recursion: the
        nesting may be as deep as the input)."""
        children: dict[int, list[int]] = {}
        for index, span in enumerate(self.inline.spans):
            children.setdefault(span.parent, []).append(index)
        pending = [(ROOT, 0, self.count - 1)]
        while pending:
            parent, low, high = pending.pop()
            siblings = children.get(parent, [])
            wanted = {i: self._wanted(self.inline.spans[i]) for i in siblings}
            siblings.sort(key=lambda i: (wanted[i], i))
            cursor = low
            for rank, child in enumerate(siblings):
                after = len(siblings) - rank - 1  # siblings still to place, a word each at least
                first, last = wanted[child]
                first = min(max(first, cursor), high - after)
                if first < cursor:
                    raise NoRoom
                last = max(min(last, high - after), first)
                self.ranges[child] = (first, last)
                pending.append((child, first, last))
                cursor = last + 1
        return self.ranges

    def atoms(self) -> list[int]:
        """The slot of each atom: before target word `slot` (`count`: after the last)."""
        slots = []
        for atom in self.inline.atoms:
            before = bisect.bisect_right(self.source_ends, atom.at)  # words ending before it
            if not before:
                slot = 0
            elif self.aligned.get(before - 1):
                slot = max(self.aligned[before - 1]) + 1
            else:
                slot = min(self.count, round(before * self.count / max(len(self.sources), 1)))
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
    depth = _depths(spans)
    at_slot: dict[int, list[int]] = {}
    for index, slot in enumerate(slots):
        at_slot.setdefault(slot, []).append(index)
    parts: list[str] = []

    def put(slot: int, parents: set[int] | None, leading: bool = False) -> None:
        """Atoms at `slot` inside one of `parents` (None: any)."""
        waiting = at_slot.get(slot)
        if not waiting:
            return
        at_slot[slot] = []
        for index in waiting:
            atom = atoms[index]
            if parents is not None and atom.parent not in parents:
                at_slot[slot].append(index)  # for a later call, inside its own span
            elif leading:  # before the first word of its span: it leads into the words
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


def _depths(spans: Sequence[Span]) -> list[int]:
    """How deep each span sits (a span's parent always comes before it)."""
    depths: list[int] = []
    for span in spans:
        depths.append(depths[span.parent] + 1 if span.parent != ROOT else 0)
    return depths


def _trailing(text: str) -> str:
    match = _TRAILING_PUNCTUATION.search(text)
    return match.group() if match and match.start() > 0 else ""


def _ends_with_punctuation(inline: Inline, span: Span) -> bool:
    return bool(_TRAILING_PUNCTUATION.search(inline.plain[span.start : span.end]))
