"""Where models live: a local Hugging Face directory, or a Hub snapshot under `models/hub/`.

At run time nothing is downloaded: a Hub model that is not on disk is a `ModelNotFoundError`
naming `depeche models pull`. Only `pull` talks to the Hub, and it honours offline mode.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelNotFoundError
from .manifest import ManifestEntry

# What a model needs to run; the Hub repositories also carry TensorFlow, Flax and Rust weights.
HUB_PATTERNS = ["*.json", "*.spm", "*.txt", "*.model", "*.safetensors", "pytorch_model.bin"]
WEIGHT_PATTERNS = ["*.safetensors", "pytorch_model.bin"]


@dataclass(frozen=True)
class ModelSource:
    """A model in Hugging Face format on disk.

    `revision` identifies its content: the Hub commit, or a hash of a local directory's files.
    Conversions and cache keys use it, so a changed model is never mistaken for the old one.
    """

    name: str
    path: Path
    revision: str
    # A folder given by path, not a Hub snapshot. Its `name` is the folder's name: answers
    # show it to clients, who have no business knowing the server's paths.
    local: bool = False

    @property
    def slug(self) -> str:
        """A file-name-safe name for derived artefacts (conversions)."""
        base = self.path.name if self.local else self.name.replace("/", "--")
        return f"{base}-{self.revision[:16]}"


def content_hash(directory: Path, memo: Path | None = None) -> str:
    """SHA-256 over the relative paths and bytes of every file under `directory`.

    With `memo` (a JSON file), a hash is remembered with each file's size and modification
    time, and reused while those are unchanged: a 1 GB model folder is read once, not at every
    start. A memo that cannot be read or written only costs the reading again."""
    files = sorted(
        (path.relative_to(directory).as_posix(), path)
        for path in directory.rglob("*")
        if path.is_file()
    )
    files = [
        (name, path) for name, path in files if not any(p.startswith(".") for p in name.split("/"))
    ]
    stamp = [[name, path.stat().st_size, path.stat().st_mtime_ns] for name, path in files]
    key = str(directory.resolve())
    remembered = _read_memo(memo)
    if remembered.get(key, {}).get("files") == stamp:
        return str(remembered[key]["hash"])
    digest = hashlib.sha256()
    for name, path in files:
        digest.update(name.encode() + b"\0")
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    found = digest.hexdigest()
    if memo is not None:
        _write_memo(memo, {**_read_memo(memo), key: {"files": stamp, "hash": found}})
    return found


def _read_memo(memo: Path | None) -> dict[str, Any]:
    try:
        found = json.loads(memo.read_text(encoding="utf-8")) if memo else {}
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _write_memo(memo: Path, data: dict[str, Any]) -> None:
    tmp = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(memo)
    except OSError:  # a read-only models folder: the hash is computed again next time
        tmp.unlink(missing_ok=True)


def hub_cache(models_dir: Path) -> Path:
    """The Hugging Face cache folder inside the models directory."""
    return models_dir / "hub"


def resolve(spec: str, models_dir: Path, manifest: dict[str, ManifestEntry]) -> ModelSource:
    """Find the model `spec` (a local directory or a Hub id) on disk, without downloading."""
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(f"{path} has no config.json: not a Hugging Face model folder")
        return ModelSource(
            name=path.resolve().name,
            path=path.resolve(),
            revision=content_hash(path, models_dir / "local-hashes.json"),
            local=True,
        )
    if spec.startswith((".", "/", "~")) or path.suffix or spec.count("/") != 1:
        raise ModelNotFoundError(f"model folder {spec} does not exist")

    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    revision = pinned_revision(spec, manifest)
    try:
        snapshot = Path(
            snapshot_download(
                spec,
                revision=revision,
                cache_dir=hub_cache(models_dir),
                allow_patterns=HUB_PATTERNS,
                local_files_only=True,
            )
        )
    except (LocalEntryNotFoundError, FileNotFoundError, ValueError) as exc:
        raise ModelNotFoundError(
            f"model {spec} is not downloaded in {models_dir}: run `depeche models pull` "
            "(or point the setting at a local folder)"
        ) from exc
    return ModelSource(name=spec, path=snapshot, revision=snapshot.name)


def pull(entry: ManifestEntry, models_dir: Path, *, offline: bool) -> ModelSource:
    """Download one manifest entry at its pinned revision (a no-op when already there)."""
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    offline = offline or constants.HF_HUB_OFFLINE
    try:
        snapshot = Path(
            snapshot_download(
                entry.id,
                revision=entry.revision,
                cache_dir=hub_cache(models_dir),
                allow_patterns=HUB_PATTERNS,
                local_files_only=offline,
            )
        )
    except LocalEntryNotFoundError as exc:
        if offline:
            raise ModelNotFoundError(
                f"{entry.id}@{entry.revision[:12]} is not in {models_dir} and offline mode is "
                "on: pull it on a connected machine and copy the models folder over"
            ) from exc
        raise _download_failed(entry, exc) from exc
    except OSError as exc:
        raise _download_failed(entry, exc) from exc
    return ModelSource(name=entry.id, path=snapshot, revision=snapshot.name)


def _download_failed(entry: ManifestEntry, exc: BaseException) -> ModelNotFoundError:
    """What failed, from the first cause of `exc` (the Hub's own message is a paragraph), and
    the way around it: a local folder."""
    cause: BaseException = exc
    while (inner := cause.__cause__ or cause.__context__) is not None:
        cause = inner
    said = (str(cause).strip().splitlines() or [""])[0]
    setting = f"DEPECHE_{entry.role.upper()}_MODEL"
    return ModelNotFoundError(
        f"could not download {entry.id}@{entry.revision[:12]} from the Hugging Face Hub "
        f"({type(cause).__name__}: {said}): check the connection, or set {setting} to a "
        "local Hugging Face model folder"
    )


def drop_weights(source: ModelSource) -> int:
    """Delete the PyTorch weights of a Hub snapshot; return the bytes freed.

    Once converted, CTranslate2 serves from its own copy and only the tokenizer and configuration
    files are read here (a container's runtime image keeps just those). A local folder keeps its
    weights: its revision is a hash of every file, so removing any would make it a new model.
    """
    if source.local:
        return 0
    freed = 0
    for pattern in WEIGHT_PATTERNS:
        for link in source.path.glob(pattern):
            # Hub snapshots hold symlinks into blobs/; the blob is what takes the space.
            blob = link.resolve()
            if blob.is_file():
                freed += blob.stat().st_size
                blob.unlink()
            link.unlink()
    return freed


def pinned_revision(model_id: str, manifest: dict[str, ManifestEntry]) -> str:
    """The manifest's revision of `model_id`; `main` for a model the manifest does not pin."""
    for entry in manifest.values():
        if entry.id == model_id:
            return entry.revision
    return "main"
