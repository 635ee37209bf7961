"""Argument types of the CLI's options: a bad value is one line naming what is accepted."""

from __future__ import annotations

import argparse


def _integer(value: str, least: int, wanted: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not {wanted}") from None
    if number < least:
        raise argparse.ArgumentTypeError(f"{value!r} is not {wanted}")
    return number


def positive(value: str) -> int:
    """An integer of at least 1."""
    return _integer(value, 1, "a whole number of at least 1")


def natural(value: str) -> int:
    """An integer of at least 0."""
    return _integer(value, 0, "a whole number of at least 0")
