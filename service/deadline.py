"""Deadline: until when the current request is worth working on.

The HTTP service gives each request one (`DEPECHE_REQUEST_TIMEOUT_S`), and cancels it when the
client goes away; the data path reads it wherever it waits or starts engine work, so that a
request nobody waits for any more stops costing the engine anything. A context variable carries
it: it follows the request into the worker threads that FastAPI and Starlette copy the context
to. Library and CLI calls have none unless they set one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from .errors import DeadlineError

# The clock every limit is measured on (tests replace it to move time by hand).
clock: Callable[[], float] = time.monotonic


@dataclass(frozen=True)
class Limit:
    """A moment (on `clock`, `time.monotonic` unless replaced) and a switch for a client
    that went away."""

    at: float
    cancelled: threading.Event = field(default_factory=threading.Event)

    def expired(self) -> bool:
        """Past the moment, or cancelled."""
        return self.cancelled.is_set() or clock() >= self.at

    def remaining(self) -> float:
        """Seconds left (0 when expired)."""
        return 0.0 if self.cancelled.is_set() else max(0.0, self.at - clock())


_limit: ContextVar[Limit | None] = ContextVar("depeche_deadline", default=None)


@contextmanager
def limit(seconds: float) -> Iterator[Limit]:
    """Within this block, the work must be done `seconds` from now (or by an earlier deadline).

    The `Limit` it gives can be cancelled (the client disconnected); a nested limit shares the
    cancellation of the one around it.
    """
    outer = _limit.get()
    at = clock() + seconds
    inner = Limit(at) if outer is None else Limit(min(at, outer.at), outer.cancelled)
    token = _limit.set(inner)
    try:
        yield inner
    finally:
        _limit.reset(token)


def current() -> Limit | None:
    """The current request's limit, or None."""
    return _limit.get()


def check(limit: Limit | None = None) -> None:
    """Raise `DeadlineError` if `limit` (default: the current one) has expired."""
    limit = limit or current()
    if limit is not None and limit.expired():
        raise DeadlineError()


def after(seconds: float) -> Limit:
    """A limit `seconds` from now, on its own (not the current request's)."""
    return Limit(clock() + seconds)
