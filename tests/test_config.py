from __future__ import annotations

from pathlib import Path

import pytest
from depeche.config import Settings
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
        ("DEPECHE_TRANSLATION_MODEL", "/srv/opus", "translation_model", "/srv/opus"),
        ("DEPECHE_ENGINE", "transformers", "engine", "transformers"),
        ("DEPECHE_DEVICE", "cuda", "device", "cuda"),
        ("DEPECHE_COMPUTE_TYPE", "float32", "compute_type", "float32"),
        ("DEPECHE_BEAM_SIZE", "2", "beam_size", 2),
        ("DEPECHE_MODELS_DIR", "/srv/models", "models_dir", Path("/srv/models")),
        ("DEPECHE_CACHE_URL", "none", "cache_url", "none"),
    ],
)
def test_environment(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, field: str, expected: object
) -> None:
    monkeypatch.setenv(variable, value)
    assert getattr(Settings(), field) == expected


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DEPECHE_ENGINE", "onnx"), ("DEPECHE_DEVICE", "tpu"), ("DEPECHE_BEAM_SIZE", "0")],
)
def test_invalid_values_are_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError):
        Settings()
