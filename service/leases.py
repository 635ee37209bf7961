"""Leases: a replica's claim on shared work (a job, a feed to poll) in the store, which lasts
while the replica renews it. A replica that dies stops renewing, and the others take the work
over once the lease runs out; one that merely stalls finds, at its next renewal, that the work
is no longer its own, and stops."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable

from .errors import StoreUnavailableError

log = logging.getLogger(__name__)


def new_lease() -> str:
    """A token no other claim has."""
    return secrets.token_hex(16)


def holder_name() -> str:
    """Who claims work here, for people reading the store: host, process, and a token (the
    processes of one test, or one host, differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Heartbeat:
    """Renews every lease held here each `every` seconds, in a thread of its own, until
    `stop` is set. `renew` says whether the lease was still held; when it was not, `lost` is
    called (once) and the lease forgotten. A store that cannot be reached is no loss: the
    lease stands until its time runs out, and the next beat tries again."""

    def __init__(self, every: float, stop: threading.Event) -> None:
        self.every = every
        self.stop = stop
        self._held: dict[str, tuple[Callable[[], bool], Callable[[], None]]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def hold(self, key: str, renew: Callable[[], bool], lost: Callable[[], None]) -> None:
        """Renew `key`'s lease from now on."""
        with self._lock:
            self._held[key] = (renew, lost)

    def drop(self, key: str) -> None:
        """Stop renewing `key`'s lease."""
        with self._lock:
            self._held.pop(key, None)

    def beat(self) -> None:
        """Renew each lease once, now."""
        with self._lock:
            held = list(self._held.items())
        for key, (renew, lost) in held:
            try:
                kept = renew()
            except StoreUnavailableError as exc:
                log.warning("could not renew a lease: %s", exc)
                continue
            if not kept:
                self.drop(key)
                lost()

    def start(self) -> None:
        """Beat every `every` seconds until `stop` is set."""

        def run() -> None:
            while not self.stop.wait(self.every):
                self.beat()

        self._thread = threading.Thread(target=run, name="depeche-heartbeat", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
