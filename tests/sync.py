"""Waiting for other threads and processes, and a clock the test moves: no test races time."""

from __future__ import annotations

import threading
from collections.abc import Callable

# How long a test waits for something that must happen; only reached when it never does.
PATIENCE = 120.0


def wait_for(condition: Callable[[], bool], seconds: float = PATIENCE) -> None:
    """Until `condition` holds: a state another thread or process reaches, looked at every
    10 ms. Fails the test if it never does."""
    pause = threading.Event()
    for _ in range(int(seconds * 100)):
        if condition():
            return
        pause.wait(0.01)
    raise AssertionError("the condition never held")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
