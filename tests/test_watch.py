"""Hot folders: which files are complete, stepped through by hand on a clock the test moves."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from depeche.errors import DepecheError
from depeche.folder import DEFAULT_PATTERNS
from depeche.shards import Shard
from depeche.watch import HotFolder, Watcher, temporary

from tests.sync import Clock

SETTLE = 2.0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.md", False),
        ("sub/a.txt", False),
        ("a.md.part", True),
        ("a.md.PART", True),
        ("a.md.filepart", True),
        ("a.md.crdownload", True),
        ("a.md.tmp", True),
        ("a.md~", True),
        (".a.md.Xy12Zq", True),  # rsync's temporary name
        (".hidden.md", True),
        (".incoming/a.md", True),  # a hidden staging folder
        ("sub.part/a.md", False),  # only the file's own name says it is temporary
    ],
)
def test_temporary_names(name: str, expected: bool) -> None:
    assert temporary(Path(name)) is expected


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    return root


def watcher_of(root: Path, clock: Clock, **kwargs: Any) -> Watcher:
    return Watcher(root, DEFAULT_PATTERNS, SETTLE, clock=clock, **kwargs)


def append(path: Path, text: str, clock: Clock) -> None:
    """Write more of a file, with a modification time a step later (the clock's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)
    os.utime(path, ns=(int(clock.now * 1e9), int(clock.now * 1e9)))


def test_a_file_written_in_several_steps_is_taken_once_complete(root: Path, clock: Clock) -> None:
    watcher = watcher_of(root, clock)
    path = root / "a.md"
    for part in ("# Titre\n\n", "Le maire ", "a parlé.\n"):
        append(path, part, clock)
        assert watcher.look() == []
        clock.now += SETTLE - 0.5  # the writer pauses, less than the settling time
        assert watcher.look() == []
    clock.now += 0.5  # unchanged since the last write for SETTLE seconds
    assert watcher.look() == [Path("a.md")]
    clock.now += 10
    assert watcher.look() == []  # handed over once
    append(path, "Il pleut.\n", clock)  # changed afterwards: again once it settles
    assert watcher.look() == []
    clock.now += SETTLE
    assert watcher.look() == [Path("a.md")]


@pytest.mark.parametrize("temporary_name", ["a.md.part", ".a.md.Xy12Zq", "a.md.tmp", "a.md~"])
def test_a_file_renamed_at_the_end_is_taken_after_the_rename(
    root: Path, clock: Clock, temporary_name: str
) -> None:
    watcher = watcher_of(root, clock)
    watcher_all = Watcher(root, ["*"], SETTLE, clock=clock)  # even a pattern matching it all
    staged = root / temporary_name
    for part in ("Le maire ", "a parlé.\n"):
        append(staged, part, clock)
        clock.now += SETTLE * 3  # however long the writer pauses
        assert watcher.look() == [] and watcher_all.look() == []
    staged.rename(root / "a.md")  # the rename keeps the modification time
    assert watcher.look() == [] and watcher_all.look() == []  # first seen: settling
    clock.now += SETTLE
    assert watcher.look() == [Path("a.md")] == watcher_all.look()


def test_files_already_there_come_first(root: Path, clock: Clock) -> None:
    for name in ("old/z.md", "old/a.txt"):
        append(root / name, "Texte.\n", clock)
    watcher = watcher_of(root, clock)
    assert watcher.look() == []
    clock.now += 1
    append(root / "new.md", "Texte.\n", clock)
    assert watcher.look() == []
    clock.now += SETTLE
    assert watcher.look() == [Path("old/a.txt"), Path("old/z.md"), Path("new.md")]


def test_events_name_what_to_look_at(root: Path, clock: Clock) -> None:
    watcher = watcher_of(root, clock)
    assert watcher.look() == []
    append(root / "a.md", "Texte.\n", clock)
    append(root / "b.md", "Texte.\n", clock)
    assert watcher.look({root / "a.md"}) == []  # b.md: no event yet
    clock.now += SETTLE
    assert watcher.look(set()) == [Path("a.md")]  # settling files are looked at again
    moved = root.parent / "staging"
    append(moved / "c.md", "Texte.\n", clock)
    append(moved / "deeper" / "d.html", "<p>Texte.</p>", clock)
    moved.rename(root / "batch")  # a folder moved in: one event, for the folder
    assert watcher.look({root / "batch"}) == []
    clock.now += SETTLE
    assert watcher.look(set()) == [Path("batch/c.md"), Path("batch/deeper/d.html")]
    assert watcher.look() == []
    clock.now += SETTLE
    assert watcher.look() == [Path("b.md")]  # a full look finds what no event named


def test_what_is_left_out(root: Path, clock: Clock) -> None:
    out = root / "english"
    append(out / "a.md", "Text.\n", clock)  # the output folder inside the watched one
    append(root / "notes.csv", "a,b", clock)  # not a pattern
    append(root / "a.md", "Texte.\n", clock)
    (root / "link.md").symlink_to(root / "nowhere.md")  # a dangling link is no file
    shard = Shard(0, 2)
    owned = [n for n in (f"s{i}.md" for i in range(10)) if shard.owns(Path(n))]
    for index in range(10):
        append(root / f"s{index}.md", "Texte.\n", clock)
    watcher = watcher_of(root, clock, exclude=out, owns=shard.owns)
    assert watcher.look({out / "a.md", root / "notes.csv"}) == []
    assert watcher.pending == {}
    assert watcher.look() == []
    clock.now += SETTLE
    expected = owned + (["a.md"] if shard.owns(Path("a.md")) else [])
    assert sorted(map(str, watcher.look())) == sorted(expected)


def test_a_file_removed_while_settling_is_forgotten(root: Path, clock: Clock) -> None:
    watcher = watcher_of(root, clock)
    append(root / "a.md", "Texte.\n", clock)
    assert watcher.look() == []
    (root / "a.md").unlink()
    clock.now += SETTLE
    assert watcher.look() == [] and watcher.due() is None


def test_due_says_when_to_look_again(root: Path, clock: Clock) -> None:
    watcher = watcher_of(root, clock)
    assert watcher.due() is None
    append(root / "a.md", "Texte.\n", clock)
    watcher.look()
    clock.now += 0.5
    assert watcher.due() == SETTLE - 0.5


class Script:
    """An event source that plays a script: each wait runs the next step (which may write
    files and names the paths it changed), then moves the clock by the time waited."""

    def __init__(
        self, clock: Clock, stop: threading.Event, steps: list[Callable[[], set[Path]]]
    ) -> None:
        self.clock = clock
        self.stop = stop
        self.steps = steps
        self.waits: list[float] = []

    def wait(self, timeout: float) -> set[Path]:
        self.waits.append(timeout)
        if not self.steps:
            self.stop.set()
            return set()
        changed = self.steps.pop(0)()
        self.clock.now += timeout
        return changed

    def close(self) -> None:
        pass


def test_the_loop_hands_each_file_over_once(root: Path, clock: Clock) -> None:
    append(root / "there.md", "Texte.\n", clock)
    stop = threading.Event()
    handed: list[list[Path]] = []

    def write(name: str, text: str) -> Callable[[], set[Path]]:
        def step() -> set[Path]:
            append(root / name, text, clock)
            return {root / name}

        return step

    steps = [
        write("slow.md.part", "Le maire "),
        write("slow.md.part", "a parlé.\n"),
        lambda: ((root / "slow.md.part").rename(root / "slow.md"), {root / "slow.md"})[1],
        write("direct.md", "Il "),
        write("direct.md", "pleut.\n"),
        set,
        set,
        set,
    ]
    events = Script(clock, stop, steps)
    loop = HotFolder(watcher_of(root, clock), handed.append, events, stop, full_every=60, batch=8)
    loop.run()
    assert handed == [[Path("there.md")], [Path("slow.md")], [Path("direct.md")]]
    assert events.waits[0] == SETTLE  # the first wait ends when there.md may have settled


def test_a_failed_batch_is_tried_again_after_a_backoff(root: Path, clock: Clock) -> None:
    for name in ("a.md", "b.md", "c.md"):
        append(root / name, "Texte.\n", clock)
    stop = threading.Event()
    calls: list[list[Path]] = []
    errors: list[tuple[str, float]] = []
    slept: list[float] = []

    def handle(files: list[Path]) -> None:
        calls.append(files)
        if len(calls) <= 2:
            raise DepecheError("the server does not answer")

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    loop = HotFolder(
        watcher_of(root, clock),
        handle,
        Script(clock, stop, [set, set, set, set]),
        stop,
        full_every=60,
        batch=2,
        on_error=lambda error, wait: errors.append((str(error), wait)),
        sleep=sleep,
    )
    loop.run()
    first = [Path("a.md"), Path("b.md")]
    assert calls == [first, first, first, [Path("c.md")]]
    assert slept == [5.0, 10.0] and [wait for _, wait in errors] == slept


def test_stop_finishes_the_batch_in_progress(root: Path, clock: Clock) -> None:
    for name in ("a.md", "b.md", "c.md"):
        append(root / name, "Texte.\n", clock)
    stop = threading.Event()
    calls: list[list[Path]] = []

    def handle(files: list[Path]) -> None:
        calls.append(files)
        stop.set()  # SIGTERM while this batch is being translated

    HotFolder(
        watcher_of(root, clock), handle, Script(clock, stop, [set]), stop, full_every=60, batch=1
    ).run()
    assert calls == [[Path("a.md")]]
