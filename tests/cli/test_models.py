from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from depeche.cli import main
from depeche.config import get_settings
from depeche.translator import Translator

from tests.hub import fake_hub_snapshot

REVISION = "89abcdef0123456789abcdef0123456789abcdef"


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
    with pytest.raises(SystemExit) as exited:  # a usage error, said by the parser
        main(["models", "pull", "speech"])
    assert exited.value.code == 2
    assert "unknown model role 'speech'" in capsys.readouterr().err


def test_pull_readies_the_configured_models_offline_and_can_drop_weights(
    models_env: Path,
    tiny_marian: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(f'[translation]\nid = "Org/tiny-fr-en"\nrevision = "{REVISION}"\n')
    snapshot = fake_hub_snapshot(models_env, tiny_marian, "Org/tiny-fr-en", REVISION)
    for name, value in [
        ("MANIFEST", str(manifest)),
        ("TRANSLATION_MODEL", "Org/tiny-fr-en"),
        ("SUMMARIZATION_MODEL", "none"),
        ("OFFLINE", "1"),
        ("CACHE_URL", "none"),
    ]:
        monkeypatch.setenv(f"DEPECHE_{name}", value)
    get_settings.cache_clear()
    assert main(["models", "pull", "--drop-weights"]) == 0
    out = capsys.readouterr().out
    assert f"Org/tiny-fr-en@{REVISION[:12]}" in out and "summarization: disabled" in out
    assert "dropped" in out and not list(snapshot.glob("*.safetensors"))
    # The language identifier's model is unpacked there too, for a read-only image.
    assert "language identifier: unpacked" in out
    assert list(models_env.glob("langid-*/done"))
    # What a serving-only image has left is enough to translate.
    translator = Translator(get_settings())
    try:
        assert translator.translate(["Le chat dort."])[0]
    finally:
        translator.close()


def test_pull_converts_a_configured_local_folder(
    models_env: Path,
    tiny_marian: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    local = shutil.copytree(tiny_marian, tmp_path / "my-model")
    monkeypatch.setenv("DEPECHE_TRANSLATION_MODEL", str(local))
    get_settings.cache_clear()
    assert main(["models", "pull", "translation", "--drop-weights"]) == 0
    out = capsys.readouterr().out
    assert f"local folder {local}" in out and "dropped" not in out
    assert len(list((models_env / "ctranslate2").glob("my-model-*/model.bin"))) == 1


def test_convert_for_each_compute_type(
    models_env: Path, tiny_marian: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = shutil.copytree(tiny_marian, tmp_path / "my-model")
    command = ["models", "convert", str(local), "--compute-type", "int8"]
    assert main([*command, "--compute-type", "float16"]) == 0
    paths = [Path(line) for line in capsys.readouterr().out.split()]
    assert [p.name.rsplit("-", 1)[1] for p in paths] == ["int8", "float16"]
    assert all((p / "model.bin").is_file() for p in paths)
