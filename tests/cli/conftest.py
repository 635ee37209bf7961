from __future__ import annotations

from collections.abc import Iterator

import pytest
from depeche.config import Settings, get_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[dict[str, str]]:
    """DEPECHE_* variables pointing the CLI at the tiny model, without a cache."""
    variables = {
        "DEPECHE_TRANSLATION_MODEL": settings.translation_model,
        "DEPECHE_MODELS_DIR": str(settings.models_dir),
        "DEPECHE_COMPUTE_TYPE": "float32",
        "DEPECHE_CACHE_URL": "none",
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield variables
    get_settings.cache_clear()
