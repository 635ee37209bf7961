"""What the API tests share: the library's own translation, to compare answers with, and a
live server on each engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from depeche.config import Settings
from depeche.translator import Translator

from tests.api.live import LiveServer
from tests.conftest import ENGINES


@pytest.fixture(scope="session")
def reference(api_settings: Settings) -> Iterator[Translator]:
    """The tiny model through the Python API, uncached: what every answer must equal."""
    translator = Translator(api_settings, cache_url="none")
    yield translator
    translator.close()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn."""
    return str(request.param)


@pytest.fixture(scope="session")
def engine_server(
    engine: str, server: str, api_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of a live service translating on `engine` (CTranslate2's is `server`)."""
    if engine == "ctranslate2":
        yield server
        return
    folder = tmp_path_factory.mktemp(engine)
    own = api_settings.model_copy(
        update={"engine": engine, "cache_url": f"sqlite:///{folder}/cache.db"}
    )
    with LiveServer(own) as url:
        yield url


@pytest.fixture(scope="session")
def engine_reference(engine: str, api_settings: Settings) -> Iterator[Translator]:
    """The tiny model through the Python API on `engine`, uncached."""
    translator = Translator(api_settings, cache_url="none", engine=engine)
    yield translator
    translator.close()
