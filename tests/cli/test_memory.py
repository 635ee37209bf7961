"""`depeche memory import | export | clear`, and what `cache clear` leaves."""

from __future__ import annotations

from pathlib import Path

import pytest
from depeche.approvals import ApprovedTranslations
from depeche.cli import main
from depeche.config import get_settings
from depeche.store import open_store

PAIRS = "Le maire a parlé.\tThe mayor spoke.\nLa ministre refuse la grève.\tThe minister refuses.\n"


def memory() -> ApprovedTranslations:
    return ApprovedTranslations(open_store(get_settings()))


def use_store(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("DEPECHE_STORE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()


def test_without_a_cache_the_next_command_has_the_import(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # DEPECHE_CACHE_URL=none (the env fixture's): the store is a file all the same, the
    # default one in the data folder.
    monkeypatch.setenv("DEPECHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    pairs, exported = tmp_path / "pairs.tsv", tmp_path / "memory.tmx"
    pairs.write_text(PAIRS, encoding="utf-8")
    assert main(["memory", "import", str(pairs)]) == 0
    assert "imported 2" in capsys.readouterr().out
    assert main(["memory", "export", str(exported)]) == 0
    assert "exported 2" in capsys.readouterr().out
    assert (tmp_path / "data" / "store.sqlite3").is_file()


def test_tmx_round_trip_between_stores(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pairs, exported = tmp_path / "pairs.tsv", tmp_path / "memory.tmx"
    pairs.write_text(PAIRS, encoding="utf-8")
    use_store(monkeypatch, tmp_path / "one.db")
    assert main(["memory", "import", str(pairs)]) == 0
    first = memory().all()
    assert [(a.source, a.text, a.who) for a in first] == [
        ("La ministre refuse la grève.", "The minister refuses.", "cli"),
        ("Le maire a parlé.", "The mayor spoke.", "cli"),
    ]
    assert main(["memory", "export", str(exported)]) == 0
    assert b'<tmx version="1.4">' in exported.read_bytes()
    use_store(monkeypatch, tmp_path / "other.db")
    assert main(["memory", "import", str(exported)]) == 0
    assert memory().all() == first


def test_clear_asks_for_yes_and_cache_clear_leaves_the_memory(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(PAIRS, encoding="utf-8")
    use_store(monkeypatch, tmp_path / "store.db")
    assert main(["memory", "import", str(pairs)]) == 0
    assert main(["cache", "clear"]) == 0
    assert len(memory().all()) == 2
    assert main(["memory", "clear"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["memory", "clear", "--yes"]) == 0
    assert memory().all() == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.tsv", "only one column\n", "line 1"),
        ("bad.tmx", "<tmx><body><tu>", "not a TMX document"),
    ],
)
def test_bad_files_are_one_line_and_exit_2(
    env: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["memory", "import", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_tmx_unit_that_cannot_be_read_is_one_line(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    units = (
        '<tu creationdate="le 1er mai"><tuv xml:lang="fr"><seg>Le maire.</seg></tuv>'
        '<tuv xml:lang="en"><seg>The mayor.</seg></tuv></tu>'
        '<tu creationdate="2024-05-01T10:00:00Z"><tuv xml:lang="en"><seg>It rains.</seg></tuv>'
        '<tuv xml:lang="fr"><seg>Il pleut.</seg></tuv></tu>'
    )
    path = tmp_path / "memory.tmx"
    path.write_text(
        f'<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" '
        f'adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/>'
        f"<body>{units}</body></tmx>",
        encoding="utf-8",
    )
    use_store(monkeypatch, tmp_path / "store.db")
    assert main(["memory", "import", str(path)]) == 0
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert "unit 1 left out" in line and "not a date" in line
    assert "imported 1 " in captured.out
    assert [(a.source, a.text) for a in memory().all()] == [("Il pleut.", "It rains.")]
