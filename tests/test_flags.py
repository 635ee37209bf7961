from __future__ import annotations

from typing import Any

import pytest
from depeche.flags import (
    LENGTH_RATIO,
    LOW_CONFIDENCE,
    MISSING_DIGITS,
    NAMES,
    REPETITION,
    UNTRANSLATED,
    check,
    flag,
    numbers,
    repeats,
)


@pytest.mark.parametrize(
    ("source", "translation", "capped", "expected"),
    [
        ("Le maire a présenté le budget.", "The mayor presented the budget.", False, []),
        ("Le maire a présenté le budget.", "The the the the mayor.", False, [REPETITION]),
        (
            "Le maire a présenté le budget.",
            "of the city of the city of the city",
            False,
            [REPETITION],
        ),
        ("Le maire a présenté le budget.", "The mayorsssssss presented.", False, [REPETITION]),
        ("Le maire a présenté le budget.", "The mayor presented the budget.", True, [REPETITION]),
        ("Le maire a présenté le budget de la ville.", "Yes.", False, [LENGTH_RATIO]),
        ("Le maire a présenté le budget.", "Le maire a présenté le budget.", False, [UNTRANSLATED]),
        ("Il y a 25 000 personnes.", "There are 25,000 people.", False, []),
        ("Un budget de 3,5 M€.", "A budget of 3.5 million euros.", False, []),
        ("Le 8 mai, 63e anniversaire.", "On May 8, 63rd anniversary.", False, []),
        ("Il y a 25 000 personnes.", "There are many people.", False, [MISSING_DIGITS]),
        ("Oui.", "Yes.", False, []),
        (
            "Le ministre Gérald Darmanin a vu 25 000 policiers.",
            "Darmanin saw police officers.",
            False,
            [MISSING_DIGITS, NAMES],
        ),
        ("Hier, le 8 mai, Darmanin a parlé.", "Yesterday, on 8 May, Darmanin spoke.", False, []),
    ],
)
def test_flags(source: str, translation: str, capped: bool, expected: list[str]) -> None:
    assert flag(source, translation, capped=capped) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("25 000 et 3,5", {"25000", "35"}), ("1.200.000", {"1200000"}), ("sans chiffre", set())],
)
def test_numbers(text: str, expected: set[str]) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("very very good", False), ("no no no no", True), ("100000 people", False)],
)
def test_repeats(text: str, expected: bool) -> None:
    assert repeats(text) is expected


@pytest.mark.parametrize(
    ("source", "translation", "options", "expected"),
    [
        (
            "Il y a 25 000 personnes et 3,5 M€.",
            "There are many people and 3.5 million euros.",
            {},
            {MISSING_DIGITS: "numbers not in the English: 25 000"},
        ),
        (
            "Le maire a rencontré Gérald Darmanin et la CGT.",
            "The mayor met the minister and the union.",
            {},
            {NAMES: "names not in the English: Gérald Darmanin, CGT"},
        ),
        (
            "Le maire a parlé.",
            "The mayor spoke.",
            {"score": -1.234, "threshold": -1.0},
            {LOW_CONFIDENCE: "the model was unsure of its English (score -1.23, under -1.00)"},
        ),
        ("Le maire a parlé.", "The mayor spoke.", {"score": -0.5, "threshold": -1.0}, {}),
        ("Le maire a parlé.", "The mayor spoke.", {"score": -5.0}, {}),  # no threshold
        (
            "Le Minrex a publié un communiqué.",
            "The Cuban Foreign Ministry issued a statement.",
            {"renamed": [(3, 9, "Cuban Foreign Ministry")]},
            {},
        ),
        (
            "Le maire a présenté le budget.",
            "The mayor presented the budget.",
            {"capped": True},
            {REPETITION: "the English ran to the length limit: the model may have looped"},
        ),
        (
            "Le maire a présenté le budget de la ville.",
            "Yes.",
            {},
            {LENGTH_RATIO: "the English is 0.1 times as long as the French"},
        ),
    ],
)
def test_each_flag_says_why(
    source: str, translation: str, options: dict[str, Any], expected: dict[str, str]
) -> None:
    assert check(source, translation, **options) == expected
