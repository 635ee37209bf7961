from __future__ import annotations

import pytest
from depeche.flags import (
    LENGTH_RATIO,
    MISSING_DIGITS,
    REPETITION,
    UNTRANSLATED,
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
