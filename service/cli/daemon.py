"""What the commands that run until stopped (`watch`, `feeds`) share: SIGTERM as an event, and
their status lines on standard error."""

from __future__ import annotations

import signal
import sys
import threading


def stop_on_sigterm() -> threading.Event:
    """An event set by SIGTERM."""
    stop = threading.Event()

    def handler(signum: int, frame: object) -> None:
        # Set from a thread of its own: the handler runs on the main thread, which may be
        # inside this very event's wait, holding the lock that `set` takes.
        threading.Thread(target=stop.set).start()

    signal.signal(signal.SIGTERM, handler)
    return stop


def say(line: str) -> None:
    """A status line on standard error, flushed at once."""
    print(line, file=sys.stderr, flush=True)
