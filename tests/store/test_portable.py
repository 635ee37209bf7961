"""`depeche store export | import`: one file carries a whole store, SQLite or PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from depeche.cli import main
from depeche.config import get_settings
from depeche.errors import InputError
from depeche.store import Store, connect
from depeche.store.portable import dump, load, records
from depeche.store.records import (
    Approval,
    DocumentRecord,
    GlossaryRecord,
    Suggestion,
    Usage,
)
from depeche.tenants import SHARED

W = "2024-05-01T10:00:00Z"
EVERYTHING = [
    Approval("Le maire a parlé.", "The mayor spoke.", "cli", W),
    Approval("« Non », dit-il.", '"No," he said.', "key-1a2b3c4d", W),
    Suggestion("s1", "Il pleut.", "<b>It rains.</b>", "anonymous", W),
    GlossaryRecord("g1", SHARED, "house", W, (("Minrex", "MINREX"), ("RHC", "Radio Havana"))),
    GlossaryRecord("g2", "0f" * 16, "wire", W, (("AFP", "AFP"),)),
    DocumentRecord("d1", "0f" * 16, "secret", "é.docx", "x/y", 12, 4e9, bytes(range(256))),
    Usage("0f" * 16, 1234),
    Usage(SHARED, 5),
]


def fill(store: Store) -> None:
    with store.transaction() as cursor:
        store.write(cursor, EVERYTHING)


def test_a_store_goes_from_sqlite_to_postgresql_and_back(tmp_path: Path, postgres_url: str) -> None:
    sqlite = connect(f"sqlite:///{tmp_path}/one.sqlite3")
    fill(sqlite)
    exported = list(dump(sqlite))
    assert json.loads(exported[0])["format"] == "depeche-store"
    postgres = connect(postgres_url)
    assert load(postgres, exported) == len(EVERYTHING)
    assert sorted(map(repr, records(postgres))) == sorted(map(repr, EVERYTHING))
    again = connect(f"sqlite:///{tmp_path}/two.sqlite3")
    load(again, dump(postgres))
    assert list(records(again)) == list(records(sqlite))
    for store in (sqlite, postgres, again):
        store.close()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "not a depeche store export"),
        (['{"format": "other"}\n'], "not a depeche store export"),
        (['{"format": "depeche-store", "version": 9}\n'], "version 9"),
        (['{"format": "depeche-store", "version": 1}\n', "{\n"], "line 2: not JSON"),
        (['{"format": "depeche-store", "version": 1}\n', '{"kind": "x"}\n'], "line 2"),
        (
            [
                '{"format": "depeche-store", "version": 1}\n',
                '{"kind": "usage", "owner": "o", "characters": 3}\n',
                '{"kind": "approval", "source": "\\ud800", "text": "t", "who": "w", "when": "x"}',
            ],
            "line 3: a approval that cannot be read",
        ),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(
    store: Store, lines: list[str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        load(store, lines)
    assert list(records(store)) == []


def test_cli_export_then_import(
    tmp_path: Path,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = f"sqlite:///{tmp_path}/store.sqlite3"
    store = connect(source)
    fill(store)
    store.close()
    monkeypatch.setenv("DEPECHE_CACHE_URL", "none")
    monkeypatch.setenv("DEPECHE_STORE_URL", source)
    get_settings.cache_clear()
    backup = tmp_path / "backup.jsonl"
    assert main(["store", "export", str(backup)]) == 0
    assert f"exported {len(EVERYTHING)} records" in capsys.readouterr().out
    monkeypatch.setenv("DEPECHE_STORE_URL", postgres_url)
    get_settings.cache_clear()
    assert main(["store", "import", str(backup)]) == 0
    assert f"imported {len(EVERYTHING)} records" in capsys.readouterr().out
    assert main(["store", "import", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    get_settings.cache_clear()
    restored = connect(postgres_url)
    assert sorted(map(repr, records(restored))) == sorted(map(repr, EVERYTHING))
    restored.close()
