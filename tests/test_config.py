from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import platformdirs
import pytest
from depeche import Summarizer, Translator
from depeche.config import ROOT, Settings, default_models_dir, get_settings, source_checkout
from depeche.errors import ConfigurationError
from depeche.pipeline import open_cache
from pydantic import ValidationError


def test_defaults() -> None:
    settings = Settings()
    assert settings.translation_model == "Helsinki-NLP/opus-mt-fr-en"
    assert settings.summarization_model == "sshleifer/distilbart-cnn-12-6"
    assert settings.engine == "ctranslate2"
    assert settings.device == "auto"
    assert settings.compute_type is None  # int8 on CPU, float16 on GPU, decided at load
    assert settings.beam_size is None  # the model's own


def test_secure_defaults() -> None:
    settings = Settings()
    assert settings.host == "127.0.0.1"  # reachable from elsewhere only when asked for
    assert settings.cors_origin_list == []  # no CORS, let alone a wildcard
    assert settings.api_key_list == []  # open unless keys are set (documented)


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("DEPECHE_TRANSLATION_MODEL", "Org/opus-house", "translation_model", "Org/opus-house"),
        ("DEPECHE_ENGINE", "transformers", "engine", "transformers"),
        ("DEPECHE_DEVICE", "cuda", "device", "cuda"),
        ("DEPECHE_COMPUTE_TYPE", "float32", "compute_type", "float32"),
        ("DEPECHE_BEAM_SIZE", "2", "beam_size", 2),
        ("DEPECHE_MODELS_DIR", "/srv/models", "models_dir", Path("/srv/models")),
        ("DEPECHE_CACHE_URL", "none", "cache_url", "none"),
        ("DEPECHE_STORE_URL", "postgresql://d@db/d", "store_url", "postgresql://d@db/d"),
        ("DEPECHE_DATA_DIR", "/srv/depeche", "data_dir", Path("/srv/depeche")),
        ("DEPECHE_ADMIN_KEYS", "boss, chief", "admin_key_list", ["boss", "chief"]),
        ("DEPECHE_FEEDS", "/etc/depeche/feeds.toml", "feeds", Path("/etc/depeche/feeds.toml")),
        ("DEPECHE_JOB_WORKERS", "0", "job_workers", 0),
        ("DEPECHE_JOB_TIMEOUT_S", "600", "job_timeout_s", 600.0),
        ("DEPECHE_JOB_RETENTION_S", "3600", "job_retention_s", 3600.0),
        ("DEPECHE_LEASE_S", "15", "lease_s", 15.0),
    ],
)
def test_environment(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, field: str, expected: object
) -> None:
    monkeypatch.setenv(variable, value)
    assert getattr(Settings(), field) == expected


def test_this_checkout_keeps_its_models_folder_and_the_package_ships_the_manifest() -> None:
    settings = Settings()
    assert source_checkout() and settings.models_dir == ROOT / "models"
    assert settings.manifest == ROOT / "service" / "models" / "manifest.toml"
    assert settings.manifest.is_file()


def checkout(root: Path) -> Path:
    (root / "service").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\n")
    return root


def site_packages(root: Path) -> Path:
    (root / "depeche").mkdir(parents=True)
    return root


@pytest.mark.parametrize(
    ("layout", "expected"),
    [(checkout, "root/models"), (site_packages, "data/models")],
)
def test_models_live_in_a_checkout_or_in_the_data_folder(
    tmp_path: Path, layout: Callable[[Path], Path], expected: str
) -> None:
    root = layout(tmp_path / "root")
    assert default_models_dir(tmp_path / "data", root) == tmp_path / expected


@pytest.mark.parametrize(
    ("data_dir", "cache_url", "expected"),
    [
        # Unset: the user's cache folder; set: the data folder holds the cache too.
        (None, "sqlite:///cache.sqlite3", "{user_cache}/cache.sqlite3"),
        ("{tmp}/data", "sqlite:///cache.sqlite3", "{tmp}/data/cache.sqlite3"),
        ("{tmp}/data", "sqlite:///sub/c.db", "{tmp}/data/sub/c.db"),
        ("{tmp}/data", "sqlite:///{tmp}/elsewhere.db", "{tmp}/elsewhere.db"),
    ],
)
def test_where_the_sqlite_cache_lives(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    data_dir: str | None,
    cache_url: str,
    expected: str,
) -> None:
    names = {"tmp": str(tmp_path), "user_cache": platformdirs.user_cache_dir("depeche")}
    if data_dir is not None:
        monkeypatch.setenv("DEPECHE_DATA_DIR", data_dir.format(**names))
    monkeypatch.setenv("DEPECHE_CACHE_URL", cache_url.format(**names))
    cache = open_cache(Settings())
    try:
        assert cache.stats()["path"] == expected.format(**names)
    finally:
        cache.close()


def test_the_data_folder_is_the_users_unless_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert Settings().data_dir == Path(platformdirs.user_data_dir("depeche"))
    monkeypatch.setenv("DEPECHE_DATA_DIR", str(tmp_path))
    assert Settings().data_dir == tmp_path and Settings().cache_dir == tmp_path


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEPECHE_ENGINE", "onnx"),
        ("DEPECHE_DEVICE", "tpu"),
        ("DEPECHE_BEAM_SIZE", "0"),
        ("DEPECHE_JOB_WORKERS", "-1"),
        ("DEPECHE_JOB_RETENTION_S", "0"),
        ("DEPECHE_LEASE_S", "0"),
    ],
)
def test_invalid_values_are_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.parametrize(
    ("variable", "value", "named", "accepted"),
    [
        ("DEPECHE_BEAM_SIZE", "abc", "DEPECHE_BEAM_SIZE", "valid integer"),
        ("DEPECHE_ENGINE", "onnx", "DEPECHE_ENGINE", "'ctranslate2' or 'transformers'"),
        ("DEPECHE_PORT", "70000", "DEPECHE_PORT", "less than or equal to 65535"),
        ("DEPECHE_STORE_URL", "redis://r:6379/0", "DEPECHE_STORE_URL", "postgresql://"),
        ("DEPECHE_STORE_URL", "none", "DEPECHE_STORE_URL", "sqlite:///path"),
    ],
)
def test_a_bad_variable_is_one_line_naming_it_and_what_it_accepts(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str, accepted: str
) -> None:
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError) as raised:
            get_settings()
    finally:
        get_settings.cache_clear()
    message = str(raised.value)
    assert "\n" not in message and named in message and accepted in message
    assert repr(value) in message


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bogus": 1}, "unknown setting 'bogus'"),
        ({"beem_size": 2}, "did you mean 'beam_size'?"),
        ({"beam_size": "two"}, "beam_size: Input should be a valid integer"),
        ({"threads": -1}, "threads: Input should be greater than or equal to 0"),
    ],
)
def test_overrides_are_checked(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings().with_overrides(overrides)


def test_overrides_keep_what_the_environment_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEPECHE_BEAM_SIZE", "2")
    changed = Settings().with_overrides({"threads": 3, "models_dir": "/srv/models"})
    assert (changed.beam_size, changed.threads, changed.models_dir) == (2, 3, Path("/srv/models"))


@pytest.mark.parametrize("pipeline", [Translator, Summarizer])
def test_pipelines_refuse_bad_overrides_when_built(pipeline: type) -> None:
    with pytest.raises(ConfigurationError, match="unknown setting 'bogus'"):
        pipeline(Settings(), bogus=1)
    with pytest.raises(ConfigurationError, match="beam_size"):
        pipeline(Settings(), beam_size="wide")


def test_admin_keys_are_api_keys_too() -> None:
    settings = Settings(api_keys="k1,k2", admin_keys="boss,k1")
    assert settings.api_key_list == ["k1", "k2", "boss"]
    assert settings.admin_key_list == ["boss", "k1"]
