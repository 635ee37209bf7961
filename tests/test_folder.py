from __future__ import annotations

import os
from pathlib import Path

import pytest
from depeche.errors import InputError
from depeche.folder import State, discover, output_path, write_atomic


def test_discover_is_recursive_and_skips_the_output(tmp_path: Path) -> None:
    for name in ["a.md", "b.txt", "c.html", "sub/d.md", "sub/deeper/e.txt", "out/f.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = discover(tmp_path, ["*.md", "*.txt"], exclude=tmp_path / "out")
    assert found == [Path("a.md"), Path("b.txt"), Path("sub/d.md"), Path("sub/deeper/e.txt")]
    assert discover(tmp_path, ["*.html"]) == [Path("c.html")]


@pytest.mark.parametrize(
    ("relative", "format", "expected"),
    [
        ("a.md", "markdown", "a.md"),
        ("sub/b.txt", "text", "sub/b.txt"),
        ("sub/b.md", "json", "sub/b.json"),
    ],
)
def test_output_mirrors_the_input(
    tmp_path: Path, relative: str, format: str, expected: str
) -> None:
    assert output_path(tmp_path, Path(relative), format) == tmp_path / expected  # type: ignore[arg-type]


def test_refuses_to_write_outside_the_output(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    with pytest.raises(InputError):
        output_path(out, Path("../escape.md"), "markdown")
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(InputError):
        output_path(out, Path("linked/a.md"), "markdown")
    (out / "file.md").symlink_to(elsewhere / "target.md")
    with pytest.raises(InputError):
        output_path(out, Path("file.md"), "markdown")


def test_atomic_write_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "a.md"
    write_atomic(target, "contenu")
    write_atomic(target, "nouveau contenu")
    assert target.read_text() == "nouveau contenu"
    assert os.listdir(target.parent) == ["a.md"]


def test_state_survives_a_reload(tmp_path: Path) -> None:
    state = State(tmp_path)
    state.keys["a.md"] = "k1"
    state.save()
    (tmp_path / "a.md").write_text("x")
    again = State(tmp_path)
    assert again.current("a.md", "k1", tmp_path / "a.md")
    assert not again.current("a.md", "k2", tmp_path / "a.md")
    assert not again.current("b.md", "k1", tmp_path / "b.md")
