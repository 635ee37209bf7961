"""Deadline: the moment by which the current request must be answered.

The HTTP service sets one per request (`DEPECHE_REQUEST_TIMEOUT_S`); the data path reads it
wherever it waits or starts engine work, so that a request past its deadline stops costing the
engine anything. A context variable carries it: it follows the request into the worker threads
that FastAPI and Starlette copy the context to. Library and CLI calls have none unless they set one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from service.errors import DeadlineError

_deadline: ContextVar[float | None] = ContextVar("depeche_deadline", default=None)


@contextmanager
def limit(seconds: float) -> Iterator[float]:
    """Within this block, the work must be done `seconds` from now (or by an earlier deadline)."""
    at = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(at if outer is None else min(at, outer))
    try:
        yield at
    finally:
        _deadline.reset(token)


def current() -> float | None:
    """The current deadline (`time.monotonic()` clock), or None."""
    return _deadline.get()


def check(at: float | None = None) -> None:
    """Raise `DeadlineError` if the deadline `at` (default: the current one) has passed."""
    at = current() if at is None else at
    if at is not None and time.monotonic() >= at:
        raise DeadlineError("the request ran past its deadline")
