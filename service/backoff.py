"""Exponential backoff: how long to wait before trying something that failed again.

Shared by webhook deliveries (`service.webhooks`) and sources polled over HTTP
(`service.fetching`); both take the clock and the randomness from their caller, so that tests
step through a schedule without waiting for it.
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """`first` seconds after the first failure, times `factor` after each further one, never
    more than `cap`. With `jitter` j, each wait is drawn from [w·(1-j), w]: callers that all
    failed at once (a receiver that was down) do not all come back at the same second."""

    first: float = 1.0
    factor: float = 2.0
    cap: float = 300.0
    jitter: float = 0.0

    def __post_init__(self) -> None:
        if self.first <= 0 or self.factor < 1 or self.cap < self.first:
            raise ValueError("backoff: first > 0, factor >= 1 and cap >= first")
        if not 0 <= self.jitter < 1:
            raise ValueError("backoff: jitter in [0, 1)")

    def delay(self, failures: int, random: Callable[[], float] = _random.random) -> float:
        """Seconds to wait after `failures` failures in a row (at least 1)."""
        if failures < 1:
            raise ValueError("backoff: a delay follows at least one failure")
        # The exponent is bounded first: a long outage must not overflow the float.
        exponent = min(failures - 1, 64)
        wait = min(self.cap, self.first * self.factor**exponent)
        if self.jitter:
            wait *= 1 - self.jitter * random()
        return wait
