"""A disk of its own for a few commands: a small tmpfs, mounted in a private mount namespace
(`unshare`: nothing outside the commands sees it), which they can fill or make read-only.
A full or read-only disk, as the kernel gives it: the commands meet the real error."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

# The command that runs depeche in the shell script.
DEPECHE = f"{shlex.quote(sys.executable)} -m depeche"


def on_small_disk(mount: Path, script: str, size_kb: int = 256) -> str:
    """Run the shell `script` with a `size_kb` tmpfs mounted at `mount`, `$DEPECHE` the
    command; what it printed (stdout and stderr)."""
    mount.mkdir(parents=True, exist_ok=True)
    setup = f"set -u\nmount -t tmpfs -o size={size_kb}k tmpfs {shlex.quote(str(mount))}\n"
    done = subprocess.run(
        ["unshare", "--map-root-user", "--mount", "sh", "-c", setup + script],
        capture_output=True,
        text=True,
        env={**os.environ, "DEPECHE": DEPECHE},
        timeout=300,
        check=False,
    )
    return done.stdout + done.stderr


def fill(mount: Path) -> str:
    """The shell commands that fill the disk at `mount` to its last byte."""
    return f"cat /dev/zero > {shlex.quote(str(mount / 'filler'))} 2>/dev/null\n"


def read_only(mount: Path) -> str:
    """The shell commands that make the disk at `mount` read-only."""
    return f"mount -o remount,ro {shlex.quote(str(mount))}\n"
