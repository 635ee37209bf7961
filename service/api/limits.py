"""What one request may ask to translate: how many texts, how long each. (How large its body
may be is its route's door's.)"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import Settings
from ..errors import TextLimitError


def check_sizes(texts: Sequence[str], settings: Settings) -> None:
    """Refuse requests over the configured limits (texts per request, characters per text)."""
    if len(texts) > settings.max_texts_per_request:
        raise TextLimitError(
            f"{len(texts)} texts; at most {settings.max_texts_per_request} per request"
        )
    for text in texts:
        if len(text) > settings.max_chars_per_text:
            raise TextLimitError(
                f"a text of {len(text)} characters; at most {settings.max_chars_per_text}"
            )
