from __future__ import annotations

import time

import pytest

from service import deadline
from service.errors import DeadlineError


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        (None, 10.0, 10.0),  # alone
        (10.0, 60.0, 10.0),  # an inner limit never extends the outer one
        (60.0, 10.0, 10.0),  # but may shorten it
    ],
)
def test_limits_nest_to_the_earliest(outer: float | None, inner: float, expected: float) -> None:
    start = time.monotonic()
    if outer is None:
        with deadline.limit(inner):
            at = deadline.current()
    else:
        with deadline.limit(outer), deadline.limit(inner):
            at = deadline.current()
    assert at is not None and expected <= at - start < expected + 1
    assert deadline.current() is None  # restored on the way out


@pytest.mark.parametrize(("seconds", "raises"), [(60.0, False), (0.0, True)])
def test_check(seconds: float, raises: bool) -> None:
    with deadline.limit(seconds):
        if raises:
            with pytest.raises(DeadlineError):
                deadline.check()
        else:
            deadline.check()


def test_no_deadline_never_raises() -> None:
    deadline.check()
    deadline.check(None)
