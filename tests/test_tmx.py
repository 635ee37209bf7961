"""TMX import: each language where its `<tuv>` says, the newest approval kept, odd units left
out with a line saying why."""

from __future__ import annotations

import pytest
from depeche import tmx
from depeche.approvals import Approval, ApprovedTranslations
from depeche.store import Store


def document(units: str, srclang: str = "fr") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<tmx version="1.4"><header creationtool="t" '
        f'creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" '
        f'srclang="{srclang}" o-tmf="t"/><body>{units}</body></tmx>'
    ).encode()


def tu(*variants: tuple[str, str], date: str = "20240501T101500Z", extra: str = "") -> str:
    tuvs = "".join(
        f'<tuv xml:lang="{lang}"><seg>{text}</seg></tuv>'
        if lang
        else f"<tuv><seg>{text}</seg></tuv>"
        for lang, text in variants
    )
    return f'<tu creationid="ed" creationdate="{date}"{extra}>{tuvs}</tu>'


@pytest.mark.parametrize(
    ("units", "srclang", "pairs"),
    [
        (
            tu(("fr", "Le maire parle."), ("en", "The mayor speaks.")),
            "fr",
            [("Le maire parle.", "The mayor speaks.")],
        ),
        (
            tu(("en-GB", "The mayor speaks."), ("fr-FR", "Le maire parle.")),
            "en",
            [("Le maire parle.", "The mayor speaks.")],
        ),
        (
            tu(("fr", "Le maire parle."), ("de", "Der Bürgermeister."), ("en", "The mayor.")),
            "fr",
            [("Le maire parle.", "The mayor.")],
        ),
        (tu(("de", "Der Bürgermeister."), ("en", "The mayor.")), "de", []),  # no French
        (
            tu(("", "Le maire parle."), ("en", "The mayor speaks.")),
            "fr",
            [  # the srclang's
                ("Le maire parle.", "The mayor speaks.")
            ],
        ),
        (
            tu(
                ("fr", 'Le <bpt i="1">&lt;b&gt;</bpt>maire<ept i="1">&lt;/b&gt;</ept> parle.'),
                ("en", "The mayor speaks."),
            ),
            "fr",
            [("Le maire parle.", "The mayor speaks.")],  # inline codes are not text
        ),
    ],
)
def test_languages_come_from_each_variant(
    units: str, srclang: str, pairs: list[tuple[str, str]]
) -> None:
    imported = tmx.read(document(units, srclang), who="cli")
    assert [(a.source, a.text) for a in imported.approvals] == pairs


@pytest.mark.parametrize(
    ("unit", "reason"),
    [
        (tu(("fr", "   "), ("en", "The mayor.")), "no French text"),
        (tu(("fr", "&lt;br/&gt;"), ("en", "The mayor.")), "only markup"),
        (tu(("fr", '<ph x="1">&lt;img/&gt;</ph>'), ("en", "An image.")), "no French text"),
        (tu(("fr", "Le maire."), ("en", "")), "no English text"),
        (tu(("fr", "Le maire."), ("en", "The mayor."), date="le 1er mai"), "not a date"),
    ],
)
def test_units_that_cannot_be_approvals_are_left_out_with_a_line(unit: str, reason: str) -> None:
    good = tu(("fr", "Il pleut."), ("en", "It rains."))
    imported = tmx.read(document(unit + good), who="cli")
    assert [a.source for a in imported.approvals] == ["Il pleut."]
    [line] = imported.skipped
    assert line.startswith("unit 1 left out") and reason in line


@pytest.mark.parametrize(
    ("date", "when"),
    [
        ("20240501T101500Z", "2024-05-01T10:15:00Z"),
        ("2024-05-01T10:15:00Z", "2024-05-01T10:15:00Z"),
        ("2024-05-01T12:15:00+02:00", "2024-05-01T10:15:00Z"),
        ("20240501T101500", "2024-05-01T10:15:00Z"),
        ("2024-05-01", "2024-05-01T00:00:00Z"),
    ],
)
def test_dates_in_any_iso_form_are_read(date: str, when: str) -> None:
    imported = tmx.read(document(tu(("fr", "Le maire."), ("en", "The mayor."), date=date)), "x")
    assert [a.when for a in imported.approvals] == [when] and imported.skipped == []


def test_the_newest_approval_of_a_source_wins(store: Store) -> None:
    units = (
        tu(("fr", "Le maire."), ("en", "The new mayor."), date="20240601T000000Z")
        + tu(("fr", "Le maire."), ("en", "The old mayor."), date="20230101T000000Z")
        + tu(
            ("fr", "Le maire."),
            ("en", "The mayor, changed."),
            extra=' changedate="20240701T000000Z"',
        )
    )
    [approval] = tmx.read(document(units), who="cli").approvals
    assert approval.text == "The mayor, changed." and approval.when == "2024-07-01T00:00:00Z"

    memory = ApprovedTranslations(store)
    memory.load([Approval("Le maire.", "The mayor, held.", "ed", "2024-06-15T00:00:00Z")])
    older = tmx.read(
        document(tu(("fr", "Le maire."), ("en", "Old."), date="20240101T000000Z")), "x"
    )
    assert memory.load(older.approvals) == 0  # an older unit never replaces a newer approval
    assert memory.lookup(["Le maire."])["Le maire."].text == "The mayor, held."
    assert memory.load([approval]) == 1
    assert memory.lookup(["Le maire."])["Le maire."].text == "The mayor, changed."
