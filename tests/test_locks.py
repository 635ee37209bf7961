"""Locks on files in a shared folder: held against other processes, released however the
holder ends."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from depeche.locks import FileLock

HOLDER = """
import sys
from pathlib import Path
from depeche.locks import FileLock
assert FileLock(Path(sys.argv[1])).try_acquire()
print("held", flush=True)
sys.stdin.read()
"""


def test_held_elsewhere_until_the_holder_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    lock = FileLock(path)
    told: list[bool] = []
    stop = threading.Event()
    stop.set()
    assert not lock.wait(stop, 0.01, lambda: told.append(True))  # stopped while waiting
    assert told == [True] and not lock.try_acquire()
    holder.kill()  # SIGKILL: nothing runs on the holder's side
    holder.wait()
    assert lock.try_acquire()
    assert path.read_text().split()[1].isdigit()  # who holds it, for a person looking
    lock.release()
    assert lock.fd is None and path.exists()


def test_waits_for_the_holder_to_let_go(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    lock = FileLock(path)
    told = threading.Event()

    def let_go() -> None:  # once told that the lock is held elsewhere
        told.set()
        assert holder.stdin is not None
        holder.stdin.close()  # the holder reads to the end, then exits

    assert lock.wait(threading.Event(), 0.01, let_go)
    assert told.is_set()
    holder.wait()
    lock.release()
