from __future__ import annotations

import os
from pathlib import Path

from depeche.output import write_atomic


def test_atomic_write_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "a.md"
    write_atomic(target, "contenu")
    write_atomic(target, "nouveau contenu")
    assert target.read_text() == "nouveau contenu"
    assert os.listdir(target.parent) == ["a.md"]
