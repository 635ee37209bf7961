"""Glossaries: French terms that must come out as given English terms, every time.

A glossary is read from a mapping, TSV or CSV (DeepL's formats). Its terms are found in a
sentence's plain text (whole words, longest first; a sentence-initial capital matches a
lower-case term); once the model has translated the sentence, `place` puts each target term
over the source term where the model copied it, else over the words aligned to it, and gives
the alignment of the new text, so that markup is projected around the terms as around any
word.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import GlossaryError, InputError

_FORMATS = ("tsv", "csv")
_INVALID = re.compile(r"[\t\n\r\x00-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_EDGE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Term:
    """A glossary term found at `plain[start:end]`, to come out as `target`."""

    start: int
    end: int
    target: str


@dataclass(frozen=True)
class Glossary:
    """French -> English terms. `name` is for people; the content alone makes the `digest`
    that cache keys carry."""

    entries: tuple[tuple[str, str], ...]
    name: str = ""

    @classmethod
    def of(cls, entries: Mapping[str, str] | Iterable[tuple[str, str]], name: str = "") -> Glossary:
        """A glossary from pairs; raises `GlossaryError` on an empty term, a tab or a line
        break in a term, or the same source term twice."""
        pairs = list(entries.items()) if isinstance(entries, Mapping) else list(entries)
        seen: set[str] = set()
        checked = []
        for number, (source, target) in enumerate(pairs, 1):
            source, target = str(source).strip(), str(target).strip()
            if not source or not target:
                raise GlossaryError(f"entry {number}: a term is empty")
            if _INVALID.search(source) or _INVALID.search(target):
                raise GlossaryError(f"entry {number}: a term holds a tab or a line break")
            if _SURROGATE.search(source) or _SURROGATE.search(target):
                raise GlossaryError(
                    f"entry {number}: a term holds a lone surrogate, not a Unicode character"
                )
            if source in seen:
                raise GlossaryError(f"entry {number}: {source!r} is given twice")
            seen.add(source)
            checked.append((source, target))
        if not checked:
            raise GlossaryError("the glossary has no entries")
        return cls(tuple(checked), name)

    @classmethod
    def parse(cls, text: str, format: str = "tsv", name: str = "") -> Glossary:
        """Entries written as DeepL takes them: TSV (`source<TAB>target` per line) or CSV
        (`source,target[,source_lang,target_lang]`). Blank lines are skipped, and a leading
        byte-order mark (editors write one) too, as reading a file does."""
        if format not in _FORMATS:
            raise GlossaryError(f"entries_format {format!r}: use tsv or csv")
        text = text.removeprefix("\ufeff")
        rows: list[tuple[str, str]] = []
        if format == "tsv":
            lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
            for number, line in lines:
                parts = line.split("\t")
                if len(parts) != 2:
                    raise GlossaryError(f"line {number}: expected source<TAB>target")
                rows.append((parts[0], parts[1]))
        else:
            rows = _csv_rows(text)
        return cls.of(rows, name)

    @classmethod
    def load(cls, path: Path) -> Glossary:
        """A glossary file: `.csv` as CSV, anything else as TSV."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"glossary {path}: {exc}") from None
        format = "csv" if path.suffix.lower() == ".csv" else "tsv"
        try:
            return cls.parse(text, format, name=path.stem)
        except GlossaryError as exc:
            raise GlossaryError(f"glossary {path}: {exc}") from None

    def to_tsv(self) -> str:
        """The entries as TSV, one per line."""
        return "".join(f"{source}\t{target}\n" for source, target in self.entries)

    @cached_property
    def digest(self) -> str:
        """What identifies the content (order does not matter)."""
        return hashlib.sha256(self.to_tsv().encode()).hexdigest()[:32]

    @cached_property
    def _targets(self) -> dict[str, str]:
        return dict(self.entries)

    @cached_property
    def _matcher(self) -> re.Pattern[str]:
        # Longest first: at a given place, "ministère des Affaires étrangères" beats "ministère".
        sources = sorted(self._targets, key=len, reverse=True)
        alternatives = "|".join(re.escape(s) for s in sources)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def find(self, plain: str) -> list[Term]:
        """The terms of `plain`, left to right, none overlapping."""
        if not self.entries:  # a stored glossary whose dictionary was deleted
            return []
        found = [
            Term(m.start(), m.end(), self._targets[m.group()])
            for m in self._matcher.finditer(plain)
        ]
        initial = self._initial(plain)
        if initial is not None and (not found or found[0].start > 0):
            found.insert(0, initial)
            found = [t for t in found if t is initial or t.start >= initial.end]
        return found

    def _initial(self, plain: str) -> Term | None:
        """A lower-case term written with a capital because it begins the sentence."""
        lowered = plain[:1].lower() + plain[1:]
        if lowered == plain:
            return None
        match = self._matcher.match(lowered)
        return Term(0, match.end(), self._targets[match.group()]) if match else None


def _csv_rows(text: str) -> list[tuple[str, str]]:
    """The (source, target) rows of CSV entries; `GlossaryError` names the line of what
    cannot be read. A line ends at any line break (CR, LF or both), as in TSV; a quoted term
    may hold one."""
    rows: list[tuple[str, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 1  # the line the next row starts on
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise GlossaryError(f"line {reader.line_num}: not CSV ({exc})") from None
        if row is None:
            return rows
        if any(cell.strip() for cell in row):
            if len(row) not in (2, 4):
                raise GlossaryError(f"line {number}: expected source,target")
            if len(row) == 4 and (row[2].strip().lower(), row[3].strip().lower()) != ("fr", "en"):
                raise GlossaryError(f"line {number}: depeche's glossaries are fr to en")
            rows.append((row[0], row[1]))
        number = reader.line_num + 1


@dataclass
class Placed:
    """A translation with its glossary terms in place: the text, its alignment to the source
    words, and how many terms could not be placed."""

    text: str
    alignment: list[tuple[int, int]]
    missed: int


def place(
    terms: Sequence[Term],
    source: str,
    translation: str,
    alignment: Sequence[tuple[int, int]],
) -> Placed:
    """Put each term's target over the source term where the model copied it as written,
    else over the target words aligned to its source words (a short run no other term
    took); the rest are `missed`. Sentence-initial targets take a capital."""
    if not terms:
        return Placed(translation, list(alignment), 0)
    sources = [m.span() for m in _WORD.finditer(source)]
    targets = [m.span() for m in _WORD.finditer(translation)]
    aligned: dict[int, list[int]] = {}
    for target, word in alignment:
        aligned.setdefault(word, []).append(target)
    taken: dict[int, tuple[int, Term, list[int]]] = {}  # first target word -> (last, term, sources)
    missed = 0
    for term in terms:
        covered = [i for i, (a, b) in enumerate(sources) if a < term.end and b > term.start]
        # A term the model copied as written is found where it stands; else attention says.
        run = _copied(source[term.start : term.end], translation, targets, taken) or _aligned_run(
            term, covered, aligned, taken
        )
        if run is None:
            missed += 1
            continue
        taken[run[0]] = (run[1], term, covered)
    return _rewrite(translation, targets, alignment, taken, missed)


def _free(first: int, last: int, taken: Mapping[int, tuple[int, Term, list[int]]]) -> bool:
    return all(last < start or first > end for start, (end, _, _) in taken.items())


def _aligned_run(
    term: Term,
    covered: list[int],
    aligned: Mapping[int, list[int]],
    taken: Mapping[int, tuple[int, Term, list[int]]],
) -> tuple[int, int] | None:
    found = sorted(t for word in covered for t in aligned.get(word, []))
    if not found:
        return None
    first, last = found[0], found[-1]
    # Attention spread far (a term aligned to both ends of the sentence) is not a placement.
    if last - first + 1 > len(covered) + len(term.target.split()) + 1:
        return None
    return (first, last) if _free(first, last, taken) else None


def _copied(
    written: str,
    translation: str,
    targets: list[tuple[int, int]],
    taken: Mapping[int, tuple[int, Term, list[int]]],
) -> tuple[int, int] | None:
    for match in re.finditer(rf"(?<!\w){re.escape(written)}(?!\w)", translation, re.IGNORECASE):
        words = [i for i, (a, b) in enumerate(targets) if a < match.end() and b > match.start()]
        if words and _free(words[0], words[-1], taken):
            return words[0], words[-1]
    return None


def _rewrite(
    translation: str,
    targets: list[tuple[int, int]],
    alignment: Sequence[tuple[int, int]],
    taken: Mapping[int, tuple[int, Term, list[int]]],
    missed: int,
) -> Placed:
    parts: list[str] = []
    new_index: dict[int, list[int]] = {}
    pairs: set[tuple[int, int]] = set()
    count = 0
    word = 0
    previous_end = 0
    while word < len(targets):
        start, end = targets[word]
        parts.append(translation[previous_end:start])
        if word in taken:
            last, term, covered = taken[word]
            lead = _EDGE.match(translation[start:end])
            trail = _EDGE.match(translation[targets[last][0] : targets[last][1]])
            assert lead is not None and trail is not None  # the pattern matches any text
            text = term.target
            if word == 0 and lead.group(2)[:1].isupper():
                text = text[:1].upper() + text[1:]
            parts.append(lead.group(1) + text + trail.group(3))
            indices = list(range(count, count + len(text.split())))
            for old in range(word, last + 1):
                new_index[old] = []
            pairs.update((n, s) for n in indices for s in covered)
            count += len(indices)
            previous_end = targets[last][1]
            word = last + 1
            continue
        parts.append(translation[start:end])
        new_index[word] = [count]
        count += 1
        previous_end = end
        word += 1
    parts.append(translation[previous_end:])
    # A placed term is where its source words went: other words aligned to them are not.
    placed = {s for _, _, covered in taken.values() for s in covered}
    pairs.update((n, s) for t, s in alignment if s not in placed for n in new_index.get(t, []))
    return Placed("".join(parts), sorted(pairs), missed)
