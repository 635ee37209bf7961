"""PostgreSQL, for several replicas (psycopg 3, a pool of connections per process). Imported
only when `DEPECHE_STORE_URL` names PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from ..errors import StoreUnavailableError
from .base import Store, shown
from .sql import Cursor

# Taken by the replica that migrates the schema; any fixed number of depeche's own.
MIGRATION_LOCK = 0x64657065


class _Cursor:
    """A psycopg cursor taking the tables' `?` placeholders."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Cursor:
        self._cursor.execute(sql.replace("?", "%s"), params)
        return self

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


class PostgresStore(Store):
    """A store in the PostgreSQL database of `url` (`postgresql://user:password@host/db`)."""

    dialect = "postgresql"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    @classmethod
    def from_url(cls, url: str, root: Path | None = None) -> PostgresStore:
        return cls(url)

    def __init__(
        self,
        url: str,
        timeout: float = 5.0,
        max_connections: int = 8,
        retry_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(f"postgresql {shown(url)}")
        self.retry_after = retry_after
        self.clock = clock
        self._down_until = 0.0
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            timeout=timeout,
            # A connection the server dropped (a restart, a failover) is replaced, not used.
            check=ConnectionPool.check_connection,
            kwargs={"autocommit": True, "connect_timeout": max(1, int(timeout))},
            open=False,
            name="depeche-store",
        )
        self.pool.open(wait=False)

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        # A server that was just found away is not waited for again by every call (each
        # would wait `timeout`): for `retry_after` seconds, calls fail at once.
        if self.clock() < self._down_until:
            raise StoreUnavailableError(f"the store ({self.where}) cannot be reached")
        try:
            with self.pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout) as exc:
            self._down_until = self.clock() + self.retry_after
            raise StoreUnavailableError(
                f"the store ({self.where}) cannot be reached: {exc}"
            ) from exc
        except psycopg.Error as exc:
            raise StoreUnavailableError(f"the store ({self.where}) failed: {exc}") from exc

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        with self._connection() as conn, conn.cursor() as cursor:
            yield _Cursor(cursor)

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        with self._connection() as conn, conn.transaction(), conn.cursor() as cursor:
            yield _Cursor(cursor)

    def has_table(self, cursor: Cursor, name: str) -> bool:
        row = cursor.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()
        return bool(row[0])

    def lock_schema(self, cursor: Cursor) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))

    def close(self) -> None:
        self.pool.close()
