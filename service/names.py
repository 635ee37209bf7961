"""Names: the proper names of a sentence, and whether its translation kept them.

A name is a capitalized word that does not begin a sentence (nor a quotation, nor a line of
dialogue), an acronym, or a single capitalized word in quotation marks; consecutive ones, with
the particles between them (`Charles de Gaulle`), make one name. Titles (`Mme`), months and
weekdays are not names. A name is kept when each of its words comes out in the English as
written, with its accents, case or hyphens changed (`Mélenchon`/`Melenchon`, `Jean-Luc`/
`Jean Luc`), as its cognate (a word spelled nearly alike with the same first letter:
`Sénat`/`Senate`, `Parlement`/`Parliament`), or as the English name CLDR gives a country or a
language (`Allemagne`/`Germany`, `Allemands`/`Germans`); an acronym also as its letters
reordered (`UE`/`EU`, `OTAN`/`NATO`) or as the English acronym of a few well-known bodies; a
name a glossary term covers, as the term's target.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

# Words, with inner apostrophes and hyphens: "l'Élysée", "Jean-Luc", "COP21".
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_ELIDED = re.compile(r"(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
# What may stand between the end of a sentence and the first word of the next.
_OPENERS = " \t\r\n\u00a0\u202f\"'«“‘(—–-"
_OPENING_QUOTE = re.compile(r"[«“‘]|\s[\"']")
_QUOTED = re.compile(r"[«“\"]\s*(\w+(?:['’-]\w+)*)\s*[»”\"]")
_ROMAN = re.compile(r"[IVXLCDM]{2,}(?:e|er|ème)?|[IVX](?:e|er|ème)")
_ABBREVIATION = re.compile(r"(?:^|\W)(\w+)\.$")
# Lower-case words inside a name ("Charles de Gaulle", "Pierre de la Fontaine"); an article
# goes on a name only after one of the others.
_JOINERS = frozenset("de du des d von van der den al ben bin da di dos del".split())
_ARTICLES = frozenset("la le les l".split())
_PARTICLES = _JOINERS | _ARTICLES
TITLES = frozenset(
    "M MM Mme Mmes Mlle Mlles Me Mgr Dr Pr St Ste Mr Mrs Ms Prof Sir Dame Lord".split()
)
# Single-word quotations that are words, not names.
_NOT_TITLES = frozenset({"oui", "non", "si", "yes", "no"})
# Acronyms whose English is neither the same letters nor their reordering.
KNOWN_ACRONYMS: dict[str, tuple[str, ...]] = {
    "ONU": ("UN", "U.N."),
    "OMS": ("WHO",),
    "OMC": ("WTO",),
    "PIB": ("GDP",),
    "CEDH": ("ECHR",),
    "SIDA": ("AIDS",),
    "PME": ("SME", "SMEs"),
    "BCE": ("ECB",),
    "AIEA": ("IAEA",),
}
COGNATE_RATIO = 0.7


@dataclass(frozen=True)
class Name:
    """A name as written at `text[start:end]`; `words` are those that must come out."""

    written: str
    start: int
    end: int
    words: tuple[str, ...]
    acronym: bool = False


def fold(text: str) -> str:
    """`text` without accents, case, hyphens or apostrophes: what spellings of a name share."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", bare.casefold()))


@lru_cache(maxsize=2)
def _calendar(locale: str) -> frozenset[str]:
    """Month and weekday names of `locale`, folded (CLDR's, through Babel)."""
    from babel import Locale

    data = Locale(locale)
    found: set[str] = set()
    for table in (data.months, data.days):
        for width in ("wide", "abbreviated"):
            found.update(fold(name).rstrip(".") for name in table["format"][width].values())
    return frozenset(found)


@lru_cache(maxsize=1)
def _exonyms() -> dict[str, tuple[str, str]]:
    """French country and language names, folded -> (the English name folded, the
    country's code or "") from CLDR, through Babel."""
    from babel import Locale

    french, english = Locale("fr"), Locale("en")
    found: dict[str, tuple[str, str]] = {}
    for code, name in french.territories.items():
        if code in english.territories and not code.isdigit():
            found[fold(name)] = (fold(english.territories[code]), code)
    for code, name in french.languages.items():
        if code in english.languages and len(code) == 2:
            found.setdefault(fold(name), (fold(english.languages[code]), ""))
    return found


def _exonym(folded: str) -> tuple[str, str] | None:
    """The English of a French country or language name, or of a people's (`Allemands`:
    the language's name with its plural and feminine endings)."""
    table = _exonyms()
    for ending in ("", "s", "e", "es", "ne", "nes"):
        if folded.endswith(ending) and (found := table.get(folded[: len(folded) - len(ending)])):
            return found
    return None


def _starts_sentence(text: str, position: int) -> bool:
    """Whether the word at `position` begins a sentence, a quotation or a line (its capital
    says nothing then)."""
    before = text[max(0, position - 12) : position]
    rest = before.rstrip(_OPENERS)
    gap = before[len(rest) :]
    if not rest:
        return True
    if "\n" in gap or _OPENING_QUOTE.search(gap):
        return True
    if rest[-1] == "." and (abbreviated := _ABBREVIATION.search(rest)):
        # "M. Ciotti", "J. Dupont": a title's or an initial's full stop ends no sentence.
        word = abbreviated.group(1)
        return not (word in TITLES or (len(word) == 1 and word.isupper()))
    return rest[-1] in ".!?…:;"


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return (
        len(letters) >= 2
        and all(c.isupper() for c in letters)
        and not _ROMAN.fullmatch(word)
        and word not in TITLES
    )


def _words(text: str) -> Iterator[tuple[str, int, int, int, bool]]:
    """(word, where its token starts, start, end, whether its capital means something) of
    each word: an elided article (`l'`) is dropped from the word, and the word after it is
    capitalized only if it is a name."""
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        elided = _ELIDED.match(word)
        if elided and elided.end() < len(word):
            yield word[elided.end() :], start, start + elided.end(), match.end(), True
        else:
            yield word, start, start, match.end(), not _starts_sentence(text, start)


def names(text: str, locale: str = "fr") -> list[Name]:
    """The names of `text`, left to right (`locale` says whose months and weekdays)."""
    calendar = _calendar(locale)
    quoted = {m.start(1) for m in _QUOTED.finditer(text)}
    found: list[Name] = []
    run: list[tuple[str, int, int]] = []
    pending: list[tuple[str, int, int]] = []  # particles after the run, kept if it goes on

    def close() -> None:
        if run:
            start, end = run[0][1], run[-1][2]
            words = tuple(w for w, _, _ in run if fold(w) not in _PARTICLES)
            acronym = len(run) == 1 and _is_acronym(run[0][0])
            found.append(Name(text[start:end], start, end, words, acronym))
        run.clear()
        pending.clear()

    for word, token, start, end, meaningful in _words(text):
        if run and text[(pending or run)[-1][2] : token].strip():
            close()  # punctuation between: another name
        capital = word[:1].isupper()
        if _is_acronym(word):
            name = True
        elif not capital or word in TITLES or fold(word) in calendar or _ROMAN.fullmatch(word):
            name = False
        else:
            name = meaningful or (start in quoted and fold(word) not in _NOT_TITLES)
        if name:
            run.extend(pending)
            pending.clear()
            run.append((word, start, end))
        elif (
            run
            and not capital
            and (fold(word) in _JOINERS or (pending and fold(word) in _ARTICLES))
        ):
            pending.append((word, start, end))
        else:
            close()
    close()
    return found


class _English:
    """The words of an English text, indexed for the lookups a names check makes (in time
    linear in the text, whatever it holds)."""

    LONGEST = 6  # words of the longest phrase found by index; longer ones are scanned for
    COMPARISONS = 20_000  # cognate comparisons at most, past which none is found

    def __init__(self, text: str) -> None:
        self.raw = text
        self.words = fold(text).split()
        self.phrases = {
            tuple(self.words[i : i + size])
            for size in range(1, self.LONGEST + 1)
            for i in range(len(self.words) - size + 1)
        }
        self.by_initial: dict[str, set[str]] = {}
        for word in self.words:
            if len(word) >= 4:
                self.by_initial.setdefault(word[0], set()).add(word)
        self.acronyms = {w for w in _WORD.findall(text) if _is_acronym(w)}
        self._budget = self.COMPARISONS

    def has(self, phrase: str) -> bool:
        """Whether the folded `phrase` is a run of the words."""
        wanted = tuple(phrase.split())
        if not wanted:
            return False
        if len(wanted) <= self.LONGEST:
            return wanted in self.phrases
        size = len(wanted)
        return any(
            tuple(self.words[i : i + size]) == wanted for i in range(len(self.words) - size + 1)
        )

    def starts(self, prefix: str) -> bool:
        """Whether a word begins with `prefix` (`Germans` for `German`)."""
        return any(w.startswith(prefix) for w in self.by_initial.get(prefix[:1], ()))

    def cognate(self, word: str) -> bool:
        """Whether a word is spelled nearly as `word`, with the same first letter."""
        if len(word) < 4:
            return False
        for candidate in self.by_initial.get(word[0], ()):
            if self._budget <= 0:
                return False
            self._budget -= 1
            matcher = SequenceMatcher(None, word, candidate)
            if matcher.quick_ratio() >= COGNATE_RATIO and matcher.ratio() >= COGNATE_RATIO:
                return True
        return False

    def keeps(self, word: str) -> bool:
        """Whether the English has `word` of a name, as written or as its English."""
        folded = fold(word)
        if self.has(folded) or self.cognate(folded.replace(" ", "")):
            return True
        if self.keeps_exonym(_exonym(folded)):
            return True
        if _is_acronym(word):
            letters = sorted(word.upper())
            if any(sorted(a) == letters for a in self.acronyms):
                return True
            return any(a in self.raw for a in KNOWN_ACRONYMS.get(word.upper(), ()))
        return False

    def keeps_exonym(self, exonym: tuple[str, str] | None) -> bool:
        """Whether the English has a country's or a language's English name (or a people's,
        or the country's code as an acronym)."""
        if exonym is None:
            return False
        name, code = exonym
        return (
            self.has(name)
            or (" " not in name and self.starts(name))
            or bool(code and code in self.acronyms)
        )


def missing(
    source: str, translation: str, renamed: Sequence[tuple[int, int, str]] = ()
) -> list[str]:
    """The names of the French `source` that its English `translation` lost, as written in
    the source. `renamed` are the glossary terms of the source, (start, end, target): a name
    they cover is kept when the target is in the translation."""
    english = _English(translation)
    lost = []
    for name in names(source):
        terms = [t for a, b, t in renamed if a < name.end and b > name.start]
        kept = (
            (bool(terms) and all(english.has(fold(t)) for t in terms))
            or english.keeps_exonym(_exonym(fold(name.written)))
            or all(english.keeps(w) for w in name.words)
        )
        if not kept:
            lost.append(name.written)
    return list(dict.fromkeys(lost))


def unsupported(article: str, summary: str) -> list[str]:
    """The names of an English `summary` that its English `article` does not have."""
    english = _English(article)
    return list(
        dict.fromkeys(
            name.written
            for name in names(summary, "en")
            if not all(english.has(fold(w)) for w in name.words)
        )
    )
