"""Reading the CLI's input and writing its output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import ConfigurationError, InputError
from ..output import write_atomic


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
    """Write `data` to file `name`, atomically: the file holds its old content or the new."""
    write_atomic(Path(name), data)


def check_not_input(output: str | None, input: str) -> None:
    """Refuse an output that is the input file itself (by path or by link), before either
    is opened."""
    if output in (None, "-") or input == "-":
        return
    assert output is not None
    target, source = Path(output), Path(input)
    same = target.resolve() == source.resolve()
    if not same and target.exists() and source.exists():
        same = os.path.samefile(target, source)
    if same:
        raise ConfigurationError(f"-o {output} is the input file: write the output elsewhere")


def read_text(name: str) -> str:
    """The text of file `name` (`-`: standard input), decoded as every input is
    (`formats.decode`: UTF-8, a leading byte-order mark removed)."""
    from ..formats import decode

    return decode(read_bytes(name), name)


def write_text(name: str | None, text: str) -> None:
    """Write `text` to file `name` (atomically), or to standard output when `name` is None
    or `-`."""
    if name is None or name == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(Path(name), text)
