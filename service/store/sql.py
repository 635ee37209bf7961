"""What the tables' SQL is written with: the part of a DB-API cursor they use, and
placeholders for lists of parameters, in batches a database accepts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Cursor(Protocol):
    """The part of a DB-API cursor the tables use."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


def marks(count: int) -> str:
    """`?, ?, …` for `count` parameters."""
    return ", ".join("?" * count)


def chunks(items: Sequence[str], size: int = 500) -> list[list[str]]:
    """`items` by at most `size` (SQLite's limit on bound parameters is 999 on old builds)."""
    return [list(items[first : first + size]) for first in range(0, len(items), size)]
