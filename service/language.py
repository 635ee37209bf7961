"""Language identification: is a passage already English? (py3langid, model in the package)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

MIN_WORDS = 4  # shorter passages (names, captions) are too ambiguous to call
MIN_CONFIDENCE = 0.95

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Built once per process: a detector per request is a known leak of translation servers.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["fr", "en"])
    return identifier


def is_english(text: str) -> bool:
    """Whether `text` is confidently English rather than French."""
    if len(text.split()) < MIN_WORDS:
        return False
    with _lock:
        language, confidence = _identifier().classify(text)
    return bool(language == "en" and confidence >= MIN_CONFIDENCE)


def identify(text: str) -> list[tuple[str, float]]:
    """French and English, most likely first, with their probabilities."""
    with _lock:
        ranked = _identifier().rank(text)
    return [(code, float(probability)) for code, probability in ranked]
