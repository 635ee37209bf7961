"""Where the news of changed files comes from, for a hot folder (`service.watch`): events
from the OS, or none at all (polling, for network volumes, which deliver none)."""

from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class Events(Protocol):
    """Where the news of changed files comes from."""

    def wait(self, timeout: float) -> set[Path]:
        """The paths that changed, waiting at most `timeout` seconds for one (none: empty).
        A folder stands for everything under it: files made in a new folder before the OS
        watches it may be named by the folder alone."""

    def close(self) -> None:
        """Stop listening."""


class Polling:
    """No events: the loop looks at the whole folder on its own schedule."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop

    def wait(self, timeout: float) -> set[Path]:
        self.stop.wait(timeout)
        return set()

    def close(self) -> None:
        pass


class OsEvents:
    """Events from the OS through `watchfiles` (inotify on Linux), gathered by a thread of
    its own; ready once the OS watches the folder (or after `ready_within` seconds). Where
    the OS refuses (too many watches), it polls the folder instead."""

    def __init__(
        self, root: Path, stop: threading.Event, poll_ms: int = 1000, ready_within: float = 30
    ) -> None:
        self.root = root
        self.stop = stop
        self.poll_ms = poll_ms
        self.queue: queue.Queue[set[Path] | None] = queue.Queue()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._listen, name="watch-events", daemon=True)
        self.thread.start()
        self.ready.wait(ready_within)

    def _listen(self) -> None:
        import watchfiles

        polling = False
        while not self.stop.is_set():
            try:
                # Timing out every second says when the watch is in place (the first yield).
                for changes in watchfiles.watch(
                    self.root,
                    watch_filter=None,
                    debounce=500,
                    step=50,
                    stop_event=self.stop,
                    rust_timeout=1000,
                    yield_on_timeout=True,
                    raise_interrupt=False,
                    force_polling=polling,
                    poll_delay_ms=self.poll_ms,
                ):
                    self.ready.set()
                    if changes:
                        self.queue.put({Path(path) for _, path in changes})
            except (OSError, RuntimeError) as exc:
                if polling:
                    raise
                log.warning("no file events from the OS (%s): polling %s instead", exc, self.root)
                polling = True
        self.queue.put(None)  # wakes a waiting loop at once

    def wait(self, timeout: float) -> set[Path]:
        try:
            first = self.queue.get(timeout=timeout)
        except queue.Empty:
            return set()
        changed: set[Path] = set(first or ())
        while True:
            try:
                more = self.queue.get_nowait()
            except queue.Empty:
                return changed
            changed |= more or set()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
