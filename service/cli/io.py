"""Reading the CLI's input and writing its output."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError


def read_bytes(name: str) -> bytes:
    """The bytes of file `name` (`-`: standard input)."""
    try:
        return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from None


def write_bytes(name: str, data: bytes) -> None:
    """Write `data` to file `name`."""
    try:
        Path(name).write_bytes(data)
    except OSError as exc:
        raise InputError(f"{name}: cannot write: {exc.strerror}") from None


def read_text(name: str) -> str:
    """The text of file `name` (`-`: standard input); UTF-8, a leading BOM removed."""
    data = read_bytes(name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start})") from None


def write_text(name: str | None, text: str) -> None:
    """Write `text` to file `name`, or to standard output when `name` is None or `-`."""
    if name is None or name == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{name}: cannot write: {exc.strerror}") from None
