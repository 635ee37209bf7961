"""Progress of a folder run: a bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class ProgressDisplay:
    """Called with (articles, sentences) as groups finish."""

    def __init__(
        self, total: int, quiet: bool = False, stream: TextIO | None = None, every: float = 5.0
    ) -> None:
        self.total = total
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.every = every
        self.articles = 0
        self.sentences = 0
        self.start = time.monotonic()
        self._last_line = 0.0
        self.bar: Any = None
        if not quiet and self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="article", file=self.stream, dynamic_ncols=True)

    def __call__(self, articles: int, sentences: int) -> None:
        self.articles += articles
        self.sentences += sentences
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.update(articles)
            self.bar.set_postfix(sentences=self.sentences, refresh=False)
            return
        now = time.monotonic()
        if now - self._last_line >= self.every or self.articles >= self.total:
            self._last_line = now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float) -> str:
        """`done/total articles, sentences, rate, ETA` as one log line."""
        elapsed = max(now - self.start, 1e-9)
        rate = self.articles / elapsed
        eta = (self.total - self.articles) / rate if rate else float("inf")
        return (
            f"{self.articles}/{self.total} articles, {self.sentences} sentences, "
            f"{rate:.2f} articles/s, ETA {eta:.0f} s"
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
