"""The one language pair check, as each API's requests name the pair."""

from __future__ import annotations

import pytest
from depeche.api.languages import check_pair
from depeche.errors import UnsupportedLanguageError


@pytest.mark.parametrize(
    ("source", "target", "auto"),
    [
        ("fr", "en", False),
        ("FR", "EN-GB", False),  # DeepL's codes, an English with its region
        ("fr", "en-us", False),
        ("auto", "en", True),  # where the route detects the source
    ],
)
def test_french_to_english(source: str, target: str, auto: bool) -> None:
    check_pair(source, target, auto=auto)


@pytest.mark.parametrize(
    ("source", "target", "auto", "serves", "message"),
    [
        ("FR", "DE", False, "depeche translates", "FR to DE: depeche translates FR to EN"),
        ("de", "en", True, "depeche translates", "de to en: depeche translates fr to en"),
        ("auto", "en", False, "suggestions are for", "auto to en: suggestions are for fr to en"),
        ("fr", "english", False, "glossaries are", "fr to english: glossaries are fr to en"),
        ("", "", False, "depeche translates", " to : depeche translates fr to en"),
    ],
)
def test_another_pair_is_refused_in_the_requests_spelling(
    source: str, target: str, auto: bool, serves: str, message: str
) -> None:
    with pytest.raises(UnsupportedLanguageError) as refused:
        check_pair(source, target, auto=auto, serves=serves)
    assert str(refused.value) == message
