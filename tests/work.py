"""How the work a function does grows with its input: linear, or worse.

The work is the CPU time of the calling thread (`time.thread_time`: other threads and
processes do not count), the least of a few runs. Code linear in its input takes about 10
times as long on an input 10 times as long; quadratic code, about 100 times. Tests compare
the two with a generous factor, never against a clock.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Above this, the work grows faster than the input: 10 for linear, 100 for quadratic.
LINEAR = 20.0


def cpu_seconds(run: Callable[[], object], repeat: int = 3) -> float:
    """The least CPU time of `repeat` runs of `run`, in this thread."""
    best = float("inf")
    gc.disable()  # a collection walks the whole heap: not the function's own work
    try:
        for _ in range(repeat):
            start = time.thread_time()
            run()
            best = min(best, time.thread_time() - start)
    finally:
        gc.enable()
    return best


def growth(make: Callable[[int], T], run: Callable[[T], object], size: int) -> float:
    """How many times more work `run` does on `make(10 * size)` than on `make(size)`."""
    small, large = make(size), make(10 * size)
    run(small)  # first-use costs (imports, compiled patterns) out of the measure
    return cpu_seconds(lambda: run(large), repeat=1) / max(cpu_seconds(lambda: run(small)), 1e-4)
