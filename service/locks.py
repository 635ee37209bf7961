"""Exclusive locks on a file in a shared folder, released by the kernel however the holder
ends (`kill -9` included).

POSIX record locks (`fcntl.lockf`): unlike a claim file made with `O_EXCL`, nothing is left
behind to clean up after a crash, and NFS (v3 through its lock manager, v4 natively), CephFS
and most volumes that Kubernetes mounts on several nodes carry them between machines.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path


class FileLock:
    """An exclusive lock on `path` (created if missing), held until `release` or the end of
    the process. The file says who holds it, for a person looking."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        """Take the lock if no one holds it; whether this process holds it now."""
        if self.fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{socket.gethostname()} {os.getpid()}\n".encode())
        self.fd = fd
        return True

    def wait(
        self,
        stop: threading.Event,
        interval: float,
        on_wait: Callable[[], None] | None = None,
    ) -> bool:
        """Take the lock as soon as its holder lets go, trying every `interval` seconds;
        False when `stop` is set first. `on_wait` hears once that it is held elsewhere."""
        told = False
        while not self.try_acquire():
            if not told and on_wait is not None:
                on_wait()
            told = True
            if stop.wait(interval):
                return False
        return True

    def release(self) -> None:
        if self.fd is not None:
            # Closing the descriptor releases the lock; the file stays for the next holder
            # (removing it would let two processes lock two different files of one name).
            os.close(self.fd)
            self.fd = None
