from __future__ import annotations

import pytest
from depeche.language import is_english


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The minister said the plan would be delayed again.", True),
        ("« We will not give up », the spokesman told reporters.", True),
        ("Le ministre a dit que le plan serait encore retardé.", False),
        ("La Havane, 8 mai (RHC) Les gouvernements de Cuba et de la Russie.", False),
        ("Radio Habana Cuba", False),  # too short to call: translated (names pass through)
        ("", False),
    ],
)
def test_is_english(text: str, expected: bool) -> None:
    assert is_english(text) is expected
