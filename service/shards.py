"""Shards: a folder's articles split between runs (processes, machines, Kubernetes Job pods)
that share it, each article in one shard, the same on every run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (0-based, as Kubernetes' JOB_COMPLETION_INDEX): the articles
    whose relative path hashes to it. The hash is of the path alone, so the same article
    falls in the same shard on every run and every machine, and `count` shards together hold
    every article exactly once."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N`, 0 <= K < N."""
        try:
            index, count = (int(part) for part in text.split("/"))
        except ValueError:
            raise InputError(f"shard {text!r}: write K/N, e.g. 0/4") from None
        if not 0 <= index < count:
            raise InputError(f"shard {text!r}: K must be at least 0 and less than N")
        return cls(index, count)

    def owns(self, relative: Path) -> bool:
        """Whether the article at `relative` (to the input folder, or its output to the output
        folder: the suffix does not count) is this shard's."""
        digest = hashlib.sha256(relative.with_suffix("").as_posix().encode()).hexdigest()
        return int(digest[:16], 16) % self.count == self.index

    @property
    def suffix(self) -> str:
        """What this shard adds to the names of its run's own files (`.1-of-3`)."""
        return f".{self.index}-of-{self.count}"
