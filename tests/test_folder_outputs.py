from __future__ import annotations

from pathlib import Path

from depeche.folder_outputs import State, open_folder
from depeche.shards import Shard


def test_state_survives_a_reload(tmp_path: Path) -> None:
    state = State(tmp_path)
    state.keys["a.md"] = "k1"
    state.save()
    (tmp_path / "a.md").write_text("x")
    again = State(tmp_path)
    assert again.current("a.md", "k1", tmp_path / "a.md")
    assert not again.current("a.md", "k2", tmp_path / "a.md")
    assert not again.current("b.md", "k1", tmp_path / "b.md")


def test_a_shard_clears_only_its_own_leftover_temporaries(tmp_path: Path) -> None:
    out = tmp_path / "out"
    names = [f"article-{n}.md" for n in range(8)]
    shard = Shard(0, 2)
    for name in names:  # what killed runs of both shards left behind
        (out / f".{name}.4242.tmp").parent.mkdir(parents=True, exist_ok=True)
        (out / f".{name}.4242.tmp").write_text("half")
    open_folder(out, shard, clean=True)
    left = {p.name for p in out.glob(".*.tmp")}
    assert left == {f".{n}.4242.tmp" for n in names if not shard.owns(Path(n))}
    assert 0 < len(left) < len(names)
    open_folder(out, None, clean=False)  # a watcher's later runs: nothing looked for
    assert {p.name for p in out.glob(".*.tmp")} == left
