from __future__ import annotations

from collections.abc import Iterator

import pytest
from depeche import deadline
from depeche.errors import DeadlineError

from tests.sync import Clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """The deadlines' clock, moved by hand."""
    fake = Clock()
    monkeypatch.setattr(deadline, "clock", fake)
    yield fake


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        (None, 10.0, 10.0),  # alone
        (10.0, 60.0, 10.0),  # an inner limit never extends the outer one
        (60.0, 10.0, 10.0),  # but may shorten it
    ],
)
def test_limits_nest_to_the_earliest(
    outer: float | None, inner: float, expected: float, clock: Clock
) -> None:
    start = clock.now
    if outer is None:
        with deadline.limit(inner):
            limit = deadline.current()
    else:
        with deadline.limit(outer), deadline.limit(inner):
            limit = deadline.current()
    assert limit is not None and limit.at - start == expected
    assert deadline.current() is None  # restored on the way out


@pytest.mark.parametrize(
    ("seconds", "cancel", "expired"),
    [(60.0, False, False), (0.0, False, True), (60.0, True, True)],
)
def test_a_limit_expires_with_time_or_when_cancelled(
    seconds: float, cancel: bool, expired: bool, clock: Clock
) -> None:
    with deadline.limit(seconds) as limit:
        if cancel:
            limit.cancelled.set()
        assert limit.expired() is expired
        assert (limit.remaining() == 0) is expired
        if expired:
            with pytest.raises(DeadlineError):
                deadline.check()
        else:
            deadline.check()


def test_a_nested_limit_is_cancelled_with_the_outer_one() -> None:
    with deadline.limit(60) as outer, deadline.limit(30) as inner:
        outer.cancelled.set()
        assert inner.expired()


def test_no_deadline_never_raises() -> None:
    deadline.check()


def test_a_limit_expires_when_its_moment_comes(clock: Clock) -> None:
    with deadline.limit(10) as limit:
        clock.now += 9.5
        assert not limit.expired() and limit.remaining() == 0.5
        deadline.check()
        clock.now += 0.5
        assert limit.expired() and limit.remaining() == 0
        with pytest.raises(DeadlineError):
            deadline.check()
