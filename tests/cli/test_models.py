from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.cli import main
from service.config import get_settings


@pytest.fixture
def models_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    models_dir = tmp_path / "models"
    monkeypatch.setenv("DEPECHE_MODELS_DIR", str(models_dir))
    get_settings.cache_clear()
    yield models_dir
    get_settings.cache_clear()


def test_convert_then_list(
    models_env: Path, tiny_marian: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = shutil.copytree(tiny_marian, tmp_path / "my-model")
    assert main(["models", "convert", str(local)]) == 0
    converted = Path(capsys.readouterr().out.strip())
    assert converted.parent == models_env / "ctranslate2" and (converted / "model.bin").is_file()
    assert main(["models", "list"]) == 0
    listing = capsys.readouterr().out
    assert converted.name in listing
    assert "Helsinki-NLP/opus-mt-fr-en" in listing and "not downloaded" in listing


def test_pull_of_an_unknown_role_is_refused(
    models_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "pull", "speech"]) == 1
    assert "not in the manifest: speech" in capsys.readouterr().err
