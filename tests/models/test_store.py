from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from depeche.config import Settings
from depeche.engines.ctranslate2 import convert
from depeche.errors import ModelNotFoundError
from depeche.models import (
    ManifestEntry,
    content_hash,
    drop_weights,
    load_manifest,
    pull,
    resolve,
)

from tests.hub import fake_hub_snapshot

REVISION = "0123456789abcdef0123456789abcdef01234567"
MANIFEST = {"translation": ManifestEntry("translation", "Org/tiny-fr-en", REVISION)}


@pytest.fixture
def local_copy(tiny_marian: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(tiny_marian, tmp_path / "opus-local"))


def test_the_shipped_manifest_pins_both_default_models() -> None:
    manifest = load_manifest(Settings().manifest)
    assert manifest["translation"].id == "Helsinki-NLP/opus-mt-fr-en"
    assert manifest["summarization"].id == "sshleifer/distilbart-cnn-12-6"
    assert all(len(entry.revision) == 40 for entry in manifest.values())


def test_local_directory_is_identified_by_its_content(local_copy: Path, tmp_path: Path) -> None:
    source = resolve(str(local_copy), tmp_path, {})
    assert source.path == local_copy.resolve()
    assert source.revision == content_hash(local_copy)
    config = json.loads((local_copy / "generation_config.json").read_text())
    config["num_beams"] = 2
    (local_copy / "generation_config.json").write_text(json.dumps(config))
    assert resolve(str(local_copy), tmp_path, {}).revision != source.revision


def test_conversion_happens_once_and_again_when_the_model_changes(
    local_copy: Path, tmp_path: Path
) -> None:
    models_dir = tmp_path / "models"
    first = convert(resolve(str(local_copy), models_dir, {}), models_dir, "int8")
    stamp = (first / "model.bin").stat().st_mtime_ns
    assert convert(resolve(str(local_copy), models_dir, {}), models_dir, "int8") == first
    assert (first / "model.bin").stat().st_mtime_ns == stamp  # reused, not redone
    (local_copy / "extra.txt").write_text("changed")
    second = convert(resolve(str(local_copy), models_dir, {}), models_dir, "int8")
    assert second != first and (second / "model.bin").is_file()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("Org/tiny-fr-en", "depeche models pull"),
        ("./nowhere", "does not exist"),
        ("/nowhere/at/all", "does not exist"),
    ],
)
def test_missing_model_names_the_fix(tmp_path: Path, spec: str, message: str) -> None:
    with pytest.raises(ModelNotFoundError, match=message):
        resolve(spec, tmp_path, MANIFEST)


def test_folder_without_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"config\.json"):
        resolve(str(tmp_path), tmp_path, {})


def test_hub_model_resolves_from_the_models_directory_at_its_pinned_revision(
    tiny_marian: Path, tmp_path: Path
) -> None:
    snapshot = fake_hub_snapshot(tmp_path, tiny_marian, "Org/tiny-fr-en", REVISION)
    source = resolve("Org/tiny-fr-en", tmp_path, MANIFEST)
    assert source.path == snapshot
    assert source.revision == REVISION
    assert source.slug == f"Org--tiny-fr-en-{REVISION[:16]}"


def test_pull_in_offline_mode_uses_what_is_there_and_never_downloads(
    tiny_marian: Path, tmp_path: Path
) -> None:
    with pytest.raises(ModelNotFoundError, match="offline"):
        pull(MANIFEST["translation"], tmp_path, offline=True)
    snapshot = fake_hub_snapshot(tmp_path, tiny_marian, "Org/tiny-fr-en", REVISION)
    assert pull(MANIFEST["translation"], tmp_path, offline=True).path == snapshot


def test_dropping_weights_keeps_a_converted_hub_model_servable(
    tiny_marian: Path, tmp_path: Path
) -> None:
    fake_hub_snapshot(tmp_path, tiny_marian, "Org/tiny-fr-en", REVISION)
    source = resolve("Org/tiny-fr-en", tmp_path, MANIFEST)
    converted = convert(source, tmp_path, "int8")
    weights = (source.path / "model.safetensors").resolve().stat().st_size
    assert drop_weights(source) == weights
    assert not list(source.path.glob("*.safetensors"))
    assert not any(b.stat().st_size == weights for b in source.path.parent.parent.glob("blobs/*"))
    # Still resolves at the same revision, so the conversion is found and nothing is redone.
    again = resolve("Org/tiny-fr-en", tmp_path, MANIFEST)
    assert again == source and convert(again, tmp_path, "int8") == converted


def test_a_local_folder_keeps_its_weights(local_copy: Path, tmp_path: Path) -> None:
    source = resolve(str(local_copy), tmp_path, {})
    assert drop_weights(source) == 0
    assert resolve(str(local_copy), tmp_path, {}).revision == source.revision


def test_a_local_folder_is_hashed_once_while_unchanged(local_copy: Path, tmp_path: Path) -> None:
    memo = tmp_path / "hashes.json"
    first = content_hash(local_copy, memo)
    assert first == content_hash(local_copy)  # the memo changes nothing of the answer
    remembered = json.loads(memo.read_text())
    remembered[str(local_copy.resolve())]["hash"] = "remembered"
    memo.write_text(json.dumps(remembered))
    assert content_hash(local_copy, memo) == "remembered"  # read from the memo, not the files
    (local_copy / "generation_config.json").write_text("{}")
    assert content_hash(local_copy, memo) == content_hash(local_copy) != first
    memo.write_text("not json")
    assert content_hash(local_copy, memo) == content_hash(local_copy)
