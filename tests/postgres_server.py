"""A real PostgreSQL server for tests (Debian's package), on a free port of 127.0.0.1, its
socket and data in a temporary folder. One server serves a whole test session; each test gets
a fresh database of its own (`database`).

PostgreSQL refuses to run as root: as root (here, and in CI) the server runs as the
unprivileged `postgres` user Debian's package creates, in a folder that user owns."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from itertools import count
from pathlib import Path

from tests.redis_server import free_port
from tests.sync import wait_for

_numbers = count(1)


def binaries() -> Path:
    """The newest installed PostgreSQL's bin folder."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


class PostgresServer:
    """Start and stop a throwaway PostgreSQL; `database()` makes a fresh database."""

    def __init__(self) -> None:
        self.bin = binaries()
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="depeche-postgres-"))
        self.data = self.directory / "data"
        self.process: subprocess.Popen[bytes] | None = None
        # As root, the server runs as `postgres`, which must own its folder.
        self.user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            self.user = pwd.getpwnam("postgres")
            os.chown(self.directory, self.user.pw_uid, self.user.pw_gid)

    def _command(self, args: Sequence[str]) -> list[str]:
        if self.user is None:
            return list(args)
        return ["setpriv", f"--reuid={self.user.pw_uid}", f"--regid={self.user.pw_gid}",
                "--init-groups", *args]  # fmt: skip

    @property
    def url(self) -> str:
        """The URL of the `postgres` database (the one tests make theirs from)."""
        return self.url_of("postgres")

    def url_of(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """Start the server (made on the first start, found again on the next)."""
        if not self.data.exists():
            self._initdb()
        self._run_postgres()
        wait_for(self._ready)

    def _initdb(self) -> None:
        subprocess.run(
            self._command(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.directory,
        )

    def _run_postgres(self) -> None:
        self.process = subprocess.Popen(
            self._command(
                [
                    str(self.bin / "postgres"),
                    "-D",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-h",
                    "127.0.0.1",
                    "-k",
                    str(self.directory),
                    # A test server: speed over durability.
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                ]
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.directory,
        )

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"postgres exited with {self.process.returncode}")
        done = subprocess.run(
            [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
            check=False,
        )
        return done.returncode == 0

    def database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        name = f"test_{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url_of(name)

    def halt(self) -> None:
        """Stop the server (fast shutdown: its clients are disconnected); `start` again
        would find its data."""
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=60)
            self.process = None

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        self.halt()
        shutil.rmtree(self.directory, ignore_errors=True)
