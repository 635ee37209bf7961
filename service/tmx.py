"""TMX 1.4b, the exchange format of translation memories: approved translations out to other
tools and in from them (French -> English units; who and when as TMX's creationid and
creationdate). Read and written with translate-toolkit."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .approvals import Approval, sentence_key, utc
from .errors import InputError

_TMX_DATE = "%Y%m%dT%H%M%SZ"
_XML = "http://www.w3.org/XML/1998/namespace"
# Inline codes: the original format's markup, carried inside a segment.
_CODES = ("bpt", "ept", "it", "ph", "ut", "{*}bpt", "{*}ept", "{*}it", "{*}ph", "{*}ut")
_TAG = re.compile(r"<[^<>]*>")


def write(approvals: Iterable[Approval]) -> bytes:
    """A TMX document of `approvals`."""
    from translate.storage import tmx

    store = tmx.tmxfile(sourcelanguage="fr", targetlanguage="en")
    for approval in approvals:
        store.addtranslation(approval.source, "fr", approval.text, "en")
        element = store.units[-1].xmlelement
        element.set("creationid", approval.who)
        element.set("creationdate", _to_tmx(approval.when))
    return bytes(store)


@dataclass
class Imported:
    """What a TMX document holds for depeche: its French -> English approvals (the newest of
    each source), and one line for each unit left out."""

    approvals: list[Approval] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read(data: bytes, who: str) -> Imported:
    """The French -> English units of a TMX document, whatever order and languages its
    `<tuv>`s come in (each's `xml:lang`; one without takes its unit's or the header's
    `srclang`), dated by `changedate` or else `creationdate` (`who` and now where a unit says
    neither). A unit whose date cannot be read, or whose French or English is blank or only
    markup, is left out with a line saying why; of two units for one source, the newer wins."""
    from translate.storage import tmx

    try:
        store = tmx.tmxfile.parsestring(data)
    except Exception as exc:  # lxml's XML errors, translate-toolkit's own
        raise InputError(f"not a TMX document ({type(exc).__name__}: {exc})") from None
    header = store.document.getroot().find(".//header")
    default_language = header.get("srclang", "") if header is not None else ""
    now = _now()
    newest: dict[str, Approval] = {}
    imported = Imported()
    for number, unit in enumerate(store.units, 1):
        element = unit.xmlelement
        texts = _texts(element, element.get("srclang") or default_language)
        source, target = texts.get("fr", ""), texts.get("en", "")
        when = element.get("changedate") or element.get("creationdate")
        problem = _problem(source, "French") or _problem(target, "English")
        moment = _moment(when) if when else now
        if moment is None:
            problem = f"its date {when!r} is not a date"
        if problem:
            imported.skipped.append(f"unit {number} left out: {problem}")
            continue
        assert moment is not None
        approval = Approval(source, target, element.get("creationid") or who, moment)
        held = newest.get(sentence_key(source))
        if held is None or held.when <= approval.when:
            newest[sentence_key(source)] = approval
    imported.approvals = list(newest.values())
    return imported


def _texts(unit: Any, default_language: str) -> dict[str, str]:
    """The text of each language of a `<tu>` (by primary subtag: `fr-FR` is `fr`), its inline
    codes (`<bpt>`, `<ph>`...: markup of the original format) left out."""
    found: dict[str, str] = {}
    for variant in unit.iter("{*}tuv", "tuv"):
        language = variant.get(f"{{{_XML}}}lang") or variant.get("lang") or default_language
        default_language = ""  # only the first variant without a language is the source's
        primary = language.replace("_", "-").split("-")[0].lower()
        segment = next(variant.iter("{*}seg", "seg"), None)
        if primary and segment is not None and primary not in found:
            found[primary] = _segment_text(segment)
    return found


def _segment_text(segment: Any) -> str:
    from lxml import etree

    copied = copy.deepcopy(segment)
    etree.strip_elements(copied, *_CODES, with_tail=False)
    return "".join(copied.itertext())


def _problem(text: str, language: str) -> str | None:
    """Why `text` cannot be an approval's side, or None."""
    if not text.strip():
        return f"no {language} text"
    if not any(char.isalnum() for char in _TAG.sub("", text)):
        return f"its {language} is only markup"
    return None


def _moment(when: str) -> str | None:
    """A TMX date (`20240501T101500Z`) or any ISO 8601 one, as approvals write theirs; None
    when it is no date."""
    return utc(when.strip())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def read_tsv(text: str, who: str) -> list[Approval]:
    """`source<TAB>approved English` lines."""
    now = _now()
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise InputError(f"line {number}: expected source<TAB>translation")
        found.append(Approval(parts[0], parts[1], who, now))
    return found


def _to_tmx(when: str) -> str:
    return datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(UTC).strftime(_TMX_DATE)
