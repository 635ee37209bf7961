from __future__ import annotations

from pathlib import Path

import pytest
from depeche import language
from depeche.language import identify, is_english


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


def test_other_languages_are_named_too() -> None:
    found = identify("El gobierno anunció nuevas medidas para la economía del país.")
    assert found[0][0] == "es" and 0.5 < found[0][1] <= 1.0
    assert identify("Le maire a présenté un budget pour les écoles.")[0][0] == "fr"


def test_the_unpacked_model_answers_as_the_packed_one(tmp_path: Path) -> None:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    packed = Path(MODEL_DIR) / MODEL_FILE
    unpacked = language._unpacked(packed, tmp_path)
    assert unpacked.parent == tmp_path and language._unpacked(packed, tmp_path) == unpacked
    ours = language._from_unpacked(unpacked, LanguageIdentifier)
    theirs = LanguageIdentifier.from_model_file(packed, norm_probs=True)
    texts = [
        "The minister said the plan would be delayed again.",
        "Le ministre a dit que le plan serait encore retardé.",
        "Der Bürgermeister hat einen Haushalt vorgestellt.",
        "",
    ]
    assert [ours.rank(t)[:5] for t in texts] == [theirs.rank(t)[:5] for t in texts]


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the plan would be delayed again.",
        "Le ministre a dit que le plan serait encore retardé.",
        "THE COUNCIL VOTED FOR A NEW SWIMMING POOL ON TUESDAY",  # lowered, as py3langid does
        "LE CONSEIL A VOTÉ POUR UNE NOUVELLE PISCINE MARDI",
        "« We will not give up », a déclaré le porte-parole aux journalistes.",
        "Le maire a répondu : « this is not the right time ».",
        "Die Regierung hat neue Maßnahmen angekündigt.",
        "12 345 678, 2026",
        "🙂 🙂 🙂",
        "",
        "x",
        "Cafe\u0301 crème et croissants au comptoir du marché.",  # NFC-normalized first
        " ".join(["the weather was cold and the roads were closed"] * 200),  # a large margin
    ],
)
def test_french_or_english_is_py3langid_restricted_to_both(text: str) -> None:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    theirs = LanguageIdentifier.from_model_file(Path(MODEL_DIR) / MODEL_FILE, norm_probs=True)
    theirs.set_languages(["fr", "en"])
    code, confidence = theirs.classify(text)
    english = confidence if code == "en" else 1 - confidence
    ours = language._french_or_english().english(text)
    assert ours == pytest.approx(english, abs=1e-5)
    assert (ours >= language.MIN_CONFIDENCE) == (code == "en" and confidence >= 0.95)


def test_the_model_is_found_without_importing_py3langid() -> None:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    assert language._packed() == Path(MODEL_DIR) / MODEL_FILE
