"""A Hugging Face Hub cache laid out on disk as `huggingface_hub`'s own download leaves it."""

from __future__ import annotations

import hashlib
from pathlib import Path


def fake_hub_snapshot(models_dir: Path, model: Path, repo: str, revision: str) -> Path:
    """Copy `model` into `models_dir/hub` as snapshot `revision` of `repo`: files in `blobs/`
    named by their hash, symlinked from `snapshots/<revision>/`, and `refs/main`."""
    repo_dir = models_dir / "hub" / f"models--{repo.replace('/', '--')}"
    snapshot = repo_dir / "snapshots" / revision
    blobs = repo_dir / "blobs"
    snapshot.mkdir(parents=True)
    blobs.mkdir(exist_ok=True)
    for file in sorted(p for p in model.rglob("*") if p.is_file()):
        data = file.read_bytes()
        blob = blobs / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        link = snapshot / file.relative_to(model)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(Path("..", "..", "blobs", blob.name))
    (repo_dir / "refs").mkdir()
    (repo_dir / "refs" / "main").write_text(revision)
    return snapshot
