"""What the API tests share: the library's own translation, to compare answers with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from depeche.config import Settings
from depeche.translator import Translator


@pytest.fixture(scope="session")
def reference(api_settings: Settings) -> Iterator[Translator]:
    """The tiny model through the Python API, uncached: what every answer must equal."""
    translator = Translator(api_settings, cache_url="none")
    yield translator
    translator.close()
