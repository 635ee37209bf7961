"""Shared fixtures: the tiny models every test runs on, built once per run (and cached)."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from depeche.config import Settings
from depeche.store import Store, connect
from depeche.summarizer import Summarizer
from depeche.translator import Translator

from tests import factories
from tests.api.live import LiveServer
from tests.postgres_server import PostgresServer
from tests.redis_server import RedisServer

# OpenMP threads (torch's, CTranslate2's) sleep when they have no work rather than spin: the
# test processes run side by side on few cores, where spinning threads starve each other
# (training the tiny model took 290 s instead of 30 on a busy 2-core machine). Set before any
# engine library loads (nothing above loads one); the processes the tests start inherit it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--ninjs-schemas",
        type=Path,
        help="a folder of IPTC's ninjs schemas (ninjs-schema_<version>.json): translated ninjs "
        "items are validated against the schema of their version",
    )


@pytest.fixture(scope="session")
def ninjs_schemas(request: pytest.FixtureRequest) -> Path:
    """IPTC's official ninjs schemas, where the run was given them."""
    folder: Path | None = request.config.getoption("--ninjs-schemas")
    if folder is None:
        pytest.skip("IPTC's ninjs schemas are not here (--ninjs-schemas DIR)")
    return folder


@pytest.fixture(autouse=True, scope="session")
def private_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The per-user data and cache folders (depeche's defaults, and its subprocesses') are in
    this run's temporary folder: no test reads or writes the user's own."""
    base = tmp_path_factory.mktemp("user")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(base / "data"))
        patch.setenv("XDG_CACHE_HOME", str(base / "cache"))
        yield


@pytest.fixture(autouse=True)
def unfrozen_gc() -> Iterator[None]:
    """Every app that loads freezes the objects alive then (`Services.load`); in one long test
    process, what one test froze would never be collected once the test is done with it."""
    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def tiny_marian() -> Path:
    """A tiny Marian model trained to copy the first words of its input."""
    return factories.tiny_marian()


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory for this test run (conversions land here)."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def settings(tiny_marian: Path, models_dir: Path) -> Settings:
    """Settings pointing at the tiny model, CTranslate2 in float32, no cache (the store in
    the run's private data folder)."""
    return Settings(
        translation_model=str(tiny_marian),
        models_dir=models_dir,
        compute_type="float32",
        cache_url="none",
    )


@pytest.fixture(scope="session")
def translator(settings: Settings) -> Iterator[Translator]:
    """The default engine (CTranslate2) on the tiny model."""
    translator = Translator(settings)
    yield translator
    translator.close()


@pytest.fixture(scope="session")
def reference_translator(settings: Settings) -> Iterator[Translator]:
    """The transformers engine on the tiny model."""
    translator = Translator(settings, engine="transformers")
    yield translator
    translator.close()


ENGINES = ("ctranslate2", "transformers")


@pytest.fixture(scope="session", params=ENGINES)
def engine_translator(
    request: pytest.FixtureRequest, translator: Translator, reference_translator: Translator
) -> Translator:
    """The tiny model on each engine in turn: what needs the alignment (markup, glossaries,
    documents) works on both."""
    return translator if request.param == "ctranslate2" else reference_translator


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the test run, stopped afterwards."""
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a fresh PostgreSQL database for one test."""
    return postgres_server.database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh store of each kind: a SQLite file, a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite3"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A fresh store of each kind, its schema up to date."""
    opened = connect(store_url)
    yield opened
    opened.close()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server for one test, killed afterwards."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def tiny_bart() -> Path:
    """A tiny random BART with a byte-level BPE tokenizer and distilbart-cnn's settings."""
    return factories.tiny_bart()


@pytest.fixture(scope="session")
def summarizer(tiny_bart: Path, settings: Settings) -> Iterator[Summarizer]:
    """The default engine (CTranslate2, float32) on the tiny BART."""
    summarizer = Summarizer(settings, model=str(tiny_bart))
    yield summarizer
    summarizer.close()


@pytest.fixture(scope="session")
def api_settings(
    settings: Settings, tiny_bart: Path, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    folder = tmp_path_factory.mktemp("api")
    return settings.model_copy(
        update={
            "summarization_model": str(tiny_bart),
            "cache_url": f"sqlite:///{folder}/cache.db",
            "store_url": f"sqlite:///{folder}/store.db",
            "batch_wait_ms": 20.0,
        }
    )


@pytest.fixture(scope="session")
def busy_settings(api_settings: Settings) -> Settings:
    """API settings on a random tiny Marian, which never ends a sentence early: each input keeps
    the engine busy (a 50,000-character one about 5 s), in short engine batches, no cache."""
    return api_settings.model_copy(
        update={
            "translation_model": str(factories.random_tiny_marian()),
            "summarization_model": "none",
            "cache_url": "none",
            "max_batch_tokens": 512,
        }
    )


@pytest.fixture(scope="session")
def server(api_settings: Settings) -> Iterator[str]:
    """The URL of a live depeche service on the tiny models."""
    with LiveServer(api_settings) as url:
        yield url
