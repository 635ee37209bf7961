"""ninjs, IPTC's News in JSON: versions 1.x, 2.x and 3.x.

Translated, in the item and in its associated items at any depth: the headline and extra
headlines (1.x `headline`, `headline_*`; 2.x/3.x `headlines[].value`), the descriptions
(`description_*`; `descriptions[].value`) and the bodies (`body_*`; `bodies[].value`). A
field is HTML when its name or content type says so (`body_html`, `text/html`,
`application/xhtml+xml`), plain text when it says so (`body_text`, `text/plain`), else as its
content looks. `language` becomes `en`. Everything else is kept as written: ids, dates,
bylines, `located`, renditions, key order, whitespace and the escapes of untouched strings.
A summary goes in a `descriptions` entry with the role `summary` (2.x/3.x) or in
`description_summary` (1.x), unless the item has one already.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ..errors import ItemError
from . import Format, detect_prose
from .jsontext import Array, Member, Object, String, Value, escape, parse
from .wire import NITF, OPENING, Edit, Piece, Role, WireDocument, is_english

# Fields of the ninjs versions that mark a JSON object holding a `uri` as a news item.
FIELDS = frozenset(
    """headline headlines bodies descriptions byline by located slugline versioncreated
    versionCreated firstcreated firstCreated contentcreated contentCreated pubstatus pubStatus
    urgency associations renditions copyrightholder copyrightHolder copyrightnotice
    copyrightNotice usageterms usageTerms ednote edNote subject subjects person people
    organisation organisations place places event events embargoed embargoedUntil
    representationtype representationType profile mimetype altids altIds genre genres
    infosource infosources infoSources trustindicator trustindicators trustIndicators
    rightsinfo rightsInfo digitalsourcetype digitalSourceType charcount wordcount expires
    $standard standard""".split()
)
PREFIXES = ("body_", "headline_", "description_")
# Fields only 1.x has: an item with one of them takes a 1.x summary field.
FIRST_GENERATION = frozenset(
    "headline byline person organisation place subject event object infosource "
    "trustindicator genre $standard".split()
)


def is_ninjs(text: str) -> bool:
    """Whether `text` is a JSON object that is a ninjs item: a `standard` naming ninjs, or a
    `uri` with other ninjs fields."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False
    if not isinstance(data, dict):
        return False
    standard = data.get("$standard", data.get("standard"))
    if isinstance(standard, dict) and str(standard.get("name", "")).lower() == "ninjs":
        return True
    return isinstance(data.get("uri"), str) and any(
        key in FIELDS or key.startswith(PREFIXES) for key in data
    )


class NinjsItem(WireDocument):
    """A ninjs item of any version."""

    name = "ninjs"
    suffixes = (".json",)
    media_type = "application/json"
    summarized = True

    @classmethod
    def recognizes(cls, text: str) -> bool:
        opening = OPENING.match(text)
        return opening is not None and opening.group(1) == "{" and is_ninjs(text)

    def read(self) -> None:
        root = parse(self.text)
        if not isinstance(root, Object):
            raise ItemError(f"a ninjs item is a JSON object, not {root.kind}")
        self.root = root
        todo: list[tuple[Object, str, bool]] = [(root, "", True)]
        while todo:
            item, path, main = todo.pop()
            for member in item.members:
                self._member(member, path, main, todo)

    def _member(
        self, member: Member, path: str, main: bool, todo: list[tuple[Object, str, bool]]
    ) -> None:
        key, value, where = member.key, member.value, f"{path}{member.key}"
        if key == "language":
            if isinstance(value, String) and not is_english(value.value):
                self.edits.append(Edit(value.start, value.end, '"en"'))
        elif key in ("headline", "headline_main"):
            self._string(value, where, "headline", key)
        elif key.startswith("headline_"):
            self._string(value, where, "subheadline", key)
        elif key.startswith("description_"):
            self._string(value, where, "description", key)
        elif key.startswith("body_"):
            self._string(value, where, "body", key, main)
        elif key in ("headlines", "descriptions", "bodies"):
            self._entries(value, where, key, main)
        elif key == "associations":
            if isinstance(value, Object):  # 1.x: by name
                named = [(m.value, f"{where}.{m.key}.") for m in value.members]
            elif isinstance(value, Array):  # 2.x, 3.x: a list
                named = [(v, f"{where}[{i}].") for i, v in enumerate(value.items)]
            else:
                raise ItemError(f"ninjs: {where} is {value.kind}, not an object or an array")
            # A reference left empty (null) holds nothing to translate.
            todo.extend((v, p, False) for v, p in reversed(named) if isinstance(v, Object))

    def _entries(self, value: Value, where: str, key: str, main: bool) -> None:
        """`headlines`, `descriptions` or `bodies`: objects with a `value` string."""
        if not isinstance(value, Array):
            raise ItemError(f"ninjs: {where} is {value.kind}, not an array")
        for index, entry in enumerate(value.items):
            if not isinstance(entry, Object):
                raise ItemError(f"ninjs: {where}[{index}] is {entry.kind}, not an object")
            text = entry.get("value")
            if text is None:
                continue
            role = _text(entry.get("role"))
            hint = _text(entry.get("contenttype")) or _text(entry.get("contentType"))
            kind: Role = "body" if key == "bodies" else "description"
            if key == "headlines":
                first = role == "main" or (not role and index == 0)
                kind = "headline" if first else "subheadline"
            self._string(text, f"{where}[{index}].value", kind, hint, main and key == "bodies")

    def _string(self, value: Value, where: str, role: Role, hint: str, main: bool = False) -> None:
        if not isinstance(value, String):
            raise ItemError(f"ninjs: {where} is {value.kind}, not a string")
        if not value.value.strip():
            return
        format = _format(hint, value.value)
        options = NITF if "nitf" in hint.lower() else None
        start, end = value.start + 1, value.end - 1  # inside the quotes
        self.pieces.append(
            Piece(
                value.value,
                format,
                role,
                start,
                end,
                value.offsets,
                escape,
                main=main,
                options=options,
                by_sentence=True,
            )
        )

    def summary_edit(self, summary: str) -> Edit | None:
        root, entry = self.root, f'{{"role": "summary", "value": "{escape(summary)}"}}'
        if any(key in FIRST_GENERATION or key.startswith(PREFIXES) for key in _keys(root)):
            if "description_summary" in _keys(root):
                return None
            anchor = _last(root, lambda k: k.startswith("description_")) or _last(
                root, lambda k: k == "headline"
            )
            return _add_member(
                self.text, root, anchor, "description_summary", f'"{escape(summary)}"'
            )
        descriptions = root.get("descriptions")
        if isinstance(descriptions, Array):
            if any(
                isinstance(d, Object) and _text(d.get("role")) == "summary"
                for d in descriptions.items
            ):
                return None
            return _append(self.text, descriptions, entry)
        if descriptions is not None:
            return None
        anchor = _last(root, lambda k: k == "headlines")
        return _add_member(self.text, root, anchor, "descriptions", f"[{entry}]")


def _keys(item: Object) -> set[str]:
    return {m.key for m in item.members}


def _text(value: Value | None) -> str:
    return value.value if isinstance(value, String) else ""


def _last(item: Object, wanted: Callable[[str], bool]) -> Member | None:
    found = [m for m in item.members if wanted(m.key)]
    return found[-1] if found else None


def _format(hint: str, text: str) -> Format:
    """How a field is written: by its name or content type, else by its content."""
    hint = hint.lower()
    if "html" in hint or "xml" in hint:
        return "html"
    if hint.endswith("text") or "plain" in hint:
        return "text"
    return "html" if detect_prose(text) == "html" else "text"


def _add_member(text: str, item: Object, anchor: Member | None, key: str, value: str) -> Edit:
    """A member added after `anchor` (else last), spaced as the object's members are."""
    members = item.members
    if not members:
        return Edit(item.start + 1, item.start + 1, f'"{key}": {value}')
    anchor = anchor or members[-1]
    index = members.index(anchor)
    colon = text[anchor.key_end : anchor.value.start]
    if index + 1 < len(members):
        separator = text[anchor.value.end : members[index + 1].key_start]
    elif index > 0:
        separator = text[members[index - 1].value.end : anchor.key_start]
    else:  # the only member: spaced as its colon is, on a line of its own if it is
        leading = text[item.start + 1 : anchor.key_start]
        separator = "," + (leading if "\n" in leading else " " * (" " in colon))
    return Edit(anchor.value.end, anchor.value.end, f'{separator}"{key}"{colon}{value}')


def _append(text: str, array: Array, item: str) -> Edit:
    """An item added at the end of `array`, spaced as its items are."""
    items = array.items
    if not items:
        return Edit(array.start + 1, array.start + 1, item)
    if len(items) > 1:
        separator = text[items[-2].end : items[-1].start]
    else:
        separator = "," + text[array.start + 1 : items[0].start]
    return Edit(items[-1].end, items[-1].end, separator + item)
