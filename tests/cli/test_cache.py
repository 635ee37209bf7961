from __future__ import annotations

import json
from pathlib import Path

import pytest
from depeche.cli import main
from depeche.config import get_settings
from depeche.pipeline import open_cache


def test_stats_then_clear(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEPECHE_DATA_DIR", str(tmp_path))  # a relative SQLite path lives there
    monkeypatch.setenv("DEPECHE_CACHE_URL", "sqlite:///cache.db")
    get_settings.cache_clear()
    cache = open_cache(get_settings())
    cache.set_many({"a": b"1", "b": b"2"})
    cache.close()
    assert main(["cache", "stats"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["backend"] == "sqlite" and stats["entries"] == 2
    assert stats["path"] == str(tmp_path / "cache.db")
    assert main(["cache", "clear"]) == 0
    assert "removed 2 entries" in capsys.readouterr().out
    get_settings.cache_clear()
