"""Hot folders: the files that land in a folder, handed over once each is completely written.

A writer may still be at work on a file: appending to it, or writing it under a temporary name
that it renames at the end (FTP clients' `.part`, rsync's `.name.XXXXXX`). Temporary and hidden
names are never taken; any other file is taken once its size and modification time have not
changed for `settle` seconds, across two looks. Events (`service.file_events`) say when to
look; the whole folder is looked at again now and then as well, for events a file system does
not deliver. A file changed after it was handed over is handed over again once it settles.

The clock and the event source are the caller's, so that tests step through time by hand.
"""

from __future__ import annotations

import stat
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .backoff import Backoff
from .errors import DepecheError

if TYPE_CHECKING:
    from .file_events import Events

# Names writers give a file until it is complete (FTP clients, browsers, editors, rsync's own
# are hidden names, which are never taken either).
TEMPORARY_SUFFIXES = (
    ".part",
    ".partial",
    ".tmp",
    ".temp",
    ".crdownload",
    ".download",
    ".filepart",
    ".swp",
    "~",
)
# A batch that failed as a whole (a server that does not answer) is tried again after 5 s,
# 10 s... at most every 5 minutes.
RETRY = Backoff(first=5.0, factor=2.0, cap=300.0)

Signature = tuple[int, int]  # size, modification time (ns)


def temporary(relative: Path) -> bool:
    """Whether `relative` is a hidden or temporary name, or lies in a hidden folder."""
    if any(part.startswith(".") for part in relative.parts):
        return True
    return relative.name.lower().endswith(TEMPORARY_SUFFIXES)


@dataclass
class _Seen:
    signature: Signature
    since: float  # when it was first seen with this signature


class Watcher:
    """Which files under `root` are complete and not yet handed over.

    `owns` keeps only some files (a shard's); `exclude` leaves a folder out (the output, when it
    lies inside the watched folder).
    """

    def __init__(
        self,
        root: Path,
        patterns: Sequence[str],
        settle: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        exclude: Path | None = None,
        owns: Callable[[Path], bool] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.patterns = list(patterns)
        self.settle = settle
        self.clock = clock
        self.exclude = exclude.resolve() if exclude is not None else None
        self.owns = owns
        self.pending: dict[Path, _Seen] = {}
        self.handed: dict[Path, Signature] = {}

    def look(self, changed: Iterable[Path] | None = None) -> list[Path]:
        """Look at the files under the paths an event named (`None`: the whole folder) and
        at those still settling; return the ones complete now (relative to the root), in the
        order they were first seen, each version of a file once."""
        now = self.clock()
        if changed is None:
            candidates = set(self._scan(self.root))
            for gone in set(self.handed) - candidates:
                del self.handed[gone]
        else:
            candidates = set()
            for path in changed:
                candidates.update(self._scan(path))
        ready: list[tuple[float, Path]] = []
        for relative in candidates | set(self.pending):
            signature = self._signature(relative)
            if signature is None:  # gone, or no longer a file
                self.pending.pop(relative, None)
                self.handed.pop(relative, None)
                continue
            if self.handed.get(relative) == signature:
                continue
            seen = self.pending.get(relative)
            if seen is None or seen.signature != signature:
                self.pending[relative] = _Seen(signature, now)
            elif now - seen.since >= self.settle:
                ready.append((seen.since, relative))
        ready.sort()
        for _, relative in ready:
            self.handed[relative] = self.pending.pop(relative).signature
        return [relative for _, relative in ready]

    def retry(self, files: Iterable[Path]) -> None:
        """Take back files that were handed over but not done: they are handed over again at
        the next look (unless they change meanwhile, when they settle again first)."""
        for relative in files:
            signature = self.handed.pop(relative, None)
            if signature is not None:
                self.pending[relative] = _Seen(signature, float("-inf"))

    def due(self) -> float | None:
        """Seconds until the next file settling may be complete; None when none is."""
        if not self.pending:
            return None
        first = min(seen.since for seen in self.pending.values())
        return max(0.0, first + self.settle - self.clock())

    def _scan(self, path: Path) -> Iterable[Path]:
        """The matching files at or under `path`, relative to the root."""
        absolute = path if path.is_absolute() else self.root / path
        if not absolute.is_relative_to(self.root) or self._excluded(absolute):
            return
        if absolute.is_dir():
            for pattern in self.patterns:
                for found in absolute.rglob(pattern):
                    if self._wanted(found):
                        yield found.relative_to(self.root)
        elif self._wanted(absolute):
            yield absolute.relative_to(self.root)

    def _excluded(self, absolute: Path) -> bool:
        return self.exclude is not None and absolute.is_relative_to(self.exclude)

    def _wanted(self, absolute: Path) -> bool:
        relative = absolute.relative_to(self.root)
        if temporary(relative) or not any(relative.match(p) for p in self.patterns):
            return False
        if self._excluded(absolute) or not absolute.is_file():
            return False
        return self.owns is None or self.owns(relative)

    def _signature(self, relative: Path) -> Signature | None:
        try:
            found = (self.root / relative).stat()
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode):
            return None
        return found.st_size, found.st_mtime_ns


class HotFolder:
    """The loop: hand over what is complete, in batches of `batch`, then wait for events or
    for the next file settling, and look again; every `full_every` seconds, at the whole
    folder. A `stop` set finishes the batch in progress and returns.

    `handle` translates a batch; when it raises a `DepecheError` (a server that does not
    answer), the batch is tried again after a backoff (`sleep`: by default, until `stop`), and
    `on_error` hears of it.
    """

    def __init__(
        self,
        watcher: Watcher,
        handle: Callable[[list[Path]], None],
        events: Events,
        stop: threading.Event,
        *,
        full_every: float,
        batch: int = 8,
        on_error: Callable[[DepecheError, float], None] | None = None,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self.watcher = watcher
        self.handle = handle
        self.events = events
        self.stop = stop
        self.full_every = full_every
        self.batch = batch
        self.on_error = on_error
        self.sleep = sleep or stop.wait
        self.clock = watcher.clock
        self.failures = 0
        self.ready: list[Path] = []
        self.next_full = 0.0
        self.started = False

    def start(self) -> None:
        """The first look: what is there already is handed over first, once settled."""
        self.started = True
        self.look(full=True)

    def run(self) -> None:
        """Until `stop` is set."""
        if not self.started:
            self.start()
        while not self.stop.is_set():
            self.step()

    def look(self, full: bool, changed: Iterable[Path] = ()) -> None:
        if full:
            self.next_full = self.clock() + self.full_every
        self.ready += self.watcher.look(None if full else changed)

    def step(self) -> None:
        """Hand over what is ready, then wait and look once."""
        while self.ready and not self.stop.is_set():
            files, self.ready = self.ready[: self.batch], self.ready[self.batch :]
            try:
                self.handle(files)
            except DepecheError as exc:
                self.failures += 1
                wait = RETRY.delay(self.failures)
                self.watcher.retry(files + self.ready)
                self.ready = []
                if self.on_error is not None:
                    self.on_error(exc, wait)
                self.sleep(wait)
                break
            self.failures = 0
        if self.stop.is_set():
            return
        timeout = self.next_full - self.clock()
        due = self.watcher.due()
        if due is not None:
            timeout = min(timeout, due)
        changed = self.events.wait(max(0.0, timeout))
        if not self.stop.is_set():
            self.look(full=self.clock() >= self.next_full, changed=changed)
