from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import Settings
from tests.api.live import LiveServer


@pytest.fixture(scope="session")
def api_settings(
    settings: Settings, tiny_bart: Path, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    folder = tmp_path_factory.mktemp("api")
    return settings.model_copy(
        update={
            "summarization_model": str(tiny_bart),
            "cache_url": f"sqlite:///{folder}/cache.db",
            "batch_wait_ms": 20.0,
        }
    )


@pytest.fixture(scope="session")
def server(api_settings: Settings) -> Iterator[str]:
    """The URL of a live depeche service on the tiny models."""
    with LiveServer(api_settings) as url:
        yield url
