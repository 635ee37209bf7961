"""TMX 1.4b, the exchange format of translation memories: approved translations out to other
tools and in from them (French -> English units; who and when as TMX's creationid and
creationdate). Read and written with translate-toolkit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from .errors import InputError
from .memory import Approval

_TMX_DATE = "%Y%m%dT%H%M%SZ"


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


def read(data: bytes, who: str) -> list[Approval]:
    """The French -> English units of a TMX document (`who` and now where a unit says
    neither)."""
    from translate.storage import tmx

    try:
        store = tmx.tmxfile.parsestring(data)
    except Exception as exc:  # lxml's XML errors, translate-toolkit's own
        raise InputError(f"not a TMX document ({type(exc).__name__}: {exc})") from None
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    found = []
    for unit in store.units:
        source, target = unit.source, unit.target
        if not source or not target:
            continue
        element = unit.xmlelement
        when = element.get("creationdate")
        found.append(
            Approval(
                source, target, element.get("creationid") or who, _from_tmx(when) if when else now
            )
        )
    return found


def read_tsv(text: str, who: str) -> list[Approval]:
    """`source<TAB>approved English` lines."""
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
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


def _from_tmx(when: str) -> str:
    moment = datetime.strptime(when, _TMX_DATE).replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
