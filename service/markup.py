"""Inline markup: what the model must not see, and how it goes back into the translation.

A sentence is translated whole, markup removed (`strip`); emphasis and links are then put
back around the words of the translation that the source words they wrapped align to
(`restore`). Code, URLs, e-mail addresses, images and inline HTML are "atoms": copied exactly
and re-inserted after the aligned word, never shown to the model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_URL = re.compile(r"(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?»)\]'\"]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HTML_ATOM = re.compile(r"<[^<>]+>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);|" + _URL.pattern)
_WORD = re.compile(r"\S+")
_MARKUP_CHARS = re.compile(r"[*_\[\]`~]")


class _Unaligned(Exception):
    """The parser's tokens cannot be matched back to the raw text (escapes, entities)."""


@dataclass(frozen=True)
class Mark:
    """Markup over `plain[start:end]`; an atom (`close` empty, start == end) sits at `start`."""

    start: int
    end: int
    open: str
    close: str

    @property
    def atom(self) -> bool:
        return not self.close and self.start == self.end


@dataclass(frozen=True)
class Inline:
    """A sentence as the model reads it (`plain`), and the markup taken out of it."""

    plain: str
    marks: tuple[Mark, ...]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough")


def is_clean(raw: str) -> bool:
    """Whether `raw` parses with all its markup paired (nothing left over as literal text)."""
    return is_paired(strip(raw))


def is_paired(inline: Inline) -> bool:
    """Whether no markup character was left over as literal text when `inline` was parsed."""
    return not _MARKUP_CHARS.search(inline.plain)


def strip(raw: str, markdown: bool = True, html: bool = False) -> Inline:
    """Split `raw` into plain text and marks. Whitespace runs become one space.

    With `html`, tags are atoms (LibreTranslate's `format=html`): copied, never translated.
    """
    chars: list[str] = []
    marks: list[Mark] = []
    if markdown:
        try:
            _scan(raw, chars, marks)
        except _Unaligned:
            chars, marks = [], []
            _text(raw, chars, marks)
    else:
        _text(raw, chars, marks, _HTML_ATOM if html else _URL)
    return _collapse("".join(chars), marks)


def _text(content: str, chars: list[str], marks: list[Mark], atoms: re.Pattern[str] = _URL) -> None:
    position = 0
    for match in atoms.finditer(content):
        chars.append(content[position : match.start()])
        marks.append(_atom(chars, match.group()))
        position = match.end()
    chars.append(content[position:])


def _atom(chars: list[str], item: str) -> Mark:
    here = sum(map(len, chars))
    return Mark(here, here, item, "")


def _scan(raw: str, chars: list[str], marks: list[Mark]) -> None:
    tokens = _parser().parseInline(raw)[0].children or []
    cursor = 0
    stack: list[tuple[int, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "text":
            found = raw.find(token.content, cursor)
            if found < 0 or raw[cursor:found].strip():
                raise _Unaligned
            _text(token.content, chars, marks)
            cursor = found + len(token.content)
        elif kind == "softbreak":
            chars.append(" ")
            cursor = _skip_space(raw, cursor)
        elif kind in ("hardbreak", "html_inline", "code_inline", "image"):
            end = _atom_end(raw, cursor, token)
            marks.append(_atom(chars, raw[cursor:end]))
            if kind == "hardbreak":
                chars.append(" ")  # the words on either side stay apart
            cursor = end
        elif kind == "link_open" and token.markup in ("autolink", "linkify"):
            end = raw.index(">", cursor) + 1 if token.markup == "autolink" else cursor
            while tokens[index].type != "link_close":
                index += 1
            marks.append(_atom(chars, raw[cursor:end]))
            cursor = end
        elif kind.endswith("_open"):
            marker = "[" if kind == "link_open" else token.markup
            if not raw.startswith(marker, cursor):
                raise _Unaligned
            stack.append((sum(map(len, chars)), marker))
            cursor += len(marker)
        elif kind.endswith("_close"):
            end = (
                _link_close_end(raw, cursor) if kind == "link_close" else cursor + len(token.markup)
            )
            if (
                not stack
                or end <= cursor
                or (kind != "link_close" and raw[cursor:end] != token.markup)
            ):
                raise _Unaligned
            start, marker = stack.pop()
            marks.append(Mark(start, sum(map(len, chars)), marker, raw[cursor:end]))
            cursor = end
        else:
            raise _Unaligned
        index += 1
    if raw[cursor:].strip() or stack:
        raise _Unaligned


def _skip_space(raw: str, cursor: int) -> int:
    while cursor < len(raw) and raw[cursor].isspace():
        cursor += 1
    return cursor


def _atom_end(raw: str, cursor: int, token: object) -> int:
    kind = token.type  # type: ignore[attr-defined]
    if kind == "hardbreak":
        return _skip_space(raw, cursor + (1 if raw.startswith("\\", cursor) else 0))
    if kind == "html_inline":
        end = cursor + len(token.content)  # type: ignore[attr-defined]
    elif kind == "code_inline":
        fence = token.markup  # type: ignore[attr-defined]
        end = raw.find(fence, cursor + len(fence) + len(token.content.strip()) - 1)  # type: ignore[attr-defined]
        end = end + len(fence) if end >= 0 else -1
    else:  # image: ![alt](src) or ![alt][ref]
        end = (
            _link_close_end(raw, raw.find("]", cursor + 2)) if raw.startswith("![", cursor) else -1
        )
    if end <= cursor:
        raise _Unaligned
    return end


def _link_close_end(raw: str, cursor: int) -> int:
    """End of `](destination "title")`, `][ref]` or `]` starting at `cursor`."""
    if cursor < 0 or not raw.startswith("]", cursor):
        raise _Unaligned
    following = raw[cursor + 1 : cursor + 2]
    if following == "[":
        end = raw.find("]", cursor + 2)
        return end + 1 if end >= 0 else cursor + 1
    if following != "(":
        return cursor + 1
    depth = 0
    for position in range(cursor + 1, len(raw)):
        if raw[position] == "\\":
            continue
        if raw[position] == "(":
            depth += 1
        elif raw[position] == ")":
            depth -= 1
            if depth == 0:
                return position + 1
    raise _Unaligned


def _collapse(text: str, marks: Iterable[Mark]) -> Inline:
    """Collapse whitespace runs to one space and strip; move the marks along."""
    new_index = [0] * (len(text) + 1)
    out: list[str] = []
    previous_space = True
    for position, char in enumerate(text):
        new_index[position] = len(out)
        # Control and format characters (a stray BOM, zero-width space) are spacing to the model.
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            if not previous_space:
                out.append(" ")
            previous_space = True
        else:
            out.append(char)
            previous_space = False
    new_index[len(text)] = len(out)
    plain = "".join(out)
    plain = plain.rstrip()

    def move(position: int) -> int:
        return min(new_index[position], len(plain))

    moved = tuple(Mark(move(m.start), move(m.end), m.open, m.close) for m in marks)
    return Inline(plain, moved)


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each whitespace-separated word."""
    return [m.span() for m in _WORD.finditer(text)]


def restore(translation: str, inline: Inline, alignment: Sequence[tuple[int, int]]) -> str:
    """Put `inline`'s marks into `translation`.

    `alignment` holds (target word, source word) pairs. A mark goes around the target words
    aligned to the source words it wrapped (or the same share of the sentence when none
    align); ranges are then nested so that markers always stay balanced.
    """
    if not inline.marks:
        return translation
    source_words = word_spans(inline.plain)
    target_words = word_spans(translation)
    if not target_words:
        return translation + "".join(m.open + m.close for m in inline.marks)
    last = len(target_words) - 1
    placed: list[tuple[int, int, int, Mark]] = []  # (first, last, order, mark)
    for order, mark in enumerate(sorted(inline.marks, key=lambda m: (m.start, -m.end))):
        if mark.atom:
            before = [i for i, (_, end) in enumerate(source_words) if end <= mark.start]
            anchor = _targets(before[-1:], alignment, len(source_words), last)
            position = max(anchor) if before else -1
            placed.append((position, position, order, mark))
            continue
        covered = [
            i
            for i, (start, end) in enumerate(source_words)
            if start < mark.end and end > mark.start
        ]
        if mark.start <= 0 and mark.end >= len(inline.plain):
            first, final = 0, last
        else:
            targets = _targets(covered, alignment, len(source_words), last)
            first, final = min(targets), max(targets)
        placed.append((first, final, order, mark))
    return _emit(translation, target_words, _nest(placed))


def _targets(
    source: Sequence[int], alignment: Sequence[tuple[int, int]], source_count: int, last: int
) -> list[int]:
    wanted = set(source)
    aligned = sorted({t for t, s in alignment if s in wanted and 0 <= t <= last})
    if aligned:
        return list(range(aligned[0], aligned[-1] + 1))
    if not source:
        return [0]
    # No alignment: the same share of the sentence.
    scale = (last + 1) / max(source_count, 1)
    return [min(last, int(i * scale)) for i in (min(source), max(source))]


def _nest(
    placed: list[tuple[int, int, int, Mark]],
) -> list[tuple[int, int, int, Mark]]:
    """Clamp target ranges so that any two are disjoint or nested (balanced markers)."""
    fixed: list[tuple[int, int, int, Mark]] = []
    for first, final, order, mark in placed:
        if mark.atom:
            fixed.append((first, final, order, mark))
            continue
        for other_first, other_final, _, other in fixed:
            if other.atom:
                continue
            crosses_right = other_first < first <= other_final < final
            crosses_left = first < other_first <= final < other_final
            if crosses_right or crosses_left:
                first, final = max(first, other_first), min(final, other_final)
        fixed.append((first, final, order, mark))
    return fixed


def _emit(
    translation: str, words: list[tuple[int, int]], placed: list[tuple[int, int, int, Mark]]
) -> str:
    opens: dict[int, list[tuple[int, int, Mark]]] = {}
    closes: dict[int, list[tuple[int, int, Mark]]] = {}
    atoms: dict[int, list[Mark]] = {}
    for first, final, order, mark in placed:
        if mark.atom:
            atoms.setdefault(first, []).append(mark)
        else:
            opens.setdefault(first, []).append((final, order, mark))
            closes.setdefault(final, []).append((first, order, mark))
    parts = [" ".join(m.open for m in atoms.get(-1, [])) + (" " if -1 in atoms else "")]
    position = 0
    glued = False  # a line break was just emitted: it replaces the space before the next word
    for index, (start, end) in enumerate(words):
        if not glued:
            parts.append(translation[position:start])
        glued = False
        # Outer (longer) ranges open first and close last.
        for _, _, mark in sorted(opens.get(index, []), key=lambda x: (-x[0], x[1])):
            parts.append(mark.open)
        parts.append(translation[start:end])
        for _, _, mark in sorted(closes.get(index, []), key=lambda x: (-x[0], -x[1])):
            parts.append(mark.close)
        for mark in atoms.get(index, []):
            breaks_line = "\n" in mark.open
            parts.append(mark.open if breaks_line else " " + mark.open)
            glued = glued or breaks_line
        position = end
    parts.append(translation[position:])
    return "".join(parts)
