"""Where a folder run's outputs go: files in the output folder, with the state file that says
what each was made from, or one stream."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from .errors import OutputError
from .output import write_atomic
from .shards import Shard

STATE_FILE = ".depeche-state.json"


class State:
    """Output -> key of what it was made from, in `out_root/.depeche-state.json` (one file a
    shard, so that shards sharing a folder never write the same file)."""

    def __init__(self, out_root: Path, shard: Shard | None = None) -> None:
        name = STATE_FILE.replace(".json", f"{shard.suffix}.json") if shard else STATE_FILE
        self.path = out_root / name
        self.keys: dict[str, str] = {}
        with contextlib.suppress(OSError, ValueError):
            self.keys = dict(json.loads(self.path.read_text(encoding="utf-8")))

    def current(self, name: str, key: str, output: Path) -> bool:
        """Whether `output` exists and was made from what `key` names (it needs no redoing)."""
        return self.keys.get(name) == key and output.is_file()

    def save(self) -> None:
        """Write the state file, atomically."""
        write_atomic(self.path, json.dumps(self.keys, indent=0, sort_keys=True))


class Outputs(Protocol):
    """Where a run's outputs go."""

    def put(self, relative: Path, output: Path, key: str, rendered: str) -> None:
        """The output of the article at `relative` (to the input folder), for `output`, made
        from what `key` says."""

    def done(self) -> None:
        """A group's outputs are all put."""


class Files:
    """Outputs as files in the output folder, with the state file that says what each was
    made from."""

    def __init__(self, state: State) -> None:
        self.state = state

    def put(self, relative: Path, output: Path, key: str, rendered: str) -> None:
        write_atomic(output, rendered)
        self.state.keys[str(relative)] = key

    def done(self) -> None:
        self.state.save()


class Stream:
    """Outputs handed to `sink` (JSON Lines on one stream): no file, no state."""

    def __init__(self, sink: Callable[[Path, str], None]) -> None:
        self.sink = sink

    def put(self, relative: Path, output: Path, key: str, rendered: str) -> None:
        self.sink(relative, rendered)

    def done(self) -> None:
        pass


def open_folder(out_root: Path, shard: Shard | None, clean: bool) -> State:
    """The output folder made if missing, the temporary files a killed run left in it removed
    (`clean`: this shard's only), and its state file."""
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where the folder should be, a read-only disk
        raise OutputError(f"{out_root}: cannot make the output folder: {exc.strerror}") from None
    if clean:
        for leftover in out_root.rglob(".*.tmp"):  # from a run that was killed mid-write
            # Another shard may be writing its own right now: only this shard's go.
            if shard is None or shard.owns(_written_for(leftover).relative_to(out_root)):
                with contextlib.suppress(OSError):  # a read-only disk: left for a later run
                    leftover.unlink(missing_ok=True)
    return State(out_root, shard)


def _written_for(temporary: Path) -> Path:
    """The output a temporary file of `write_atomic` was for (`.name.PID.tmp` -> `name`)."""
    name = temporary.name.removeprefix(".").removesuffix(".tmp")
    return temporary.with_name(name.rsplit(".", 1)[0])
