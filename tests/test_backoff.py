from __future__ import annotations

import pytest
from depeche.backoff import Backoff


@pytest.mark.parametrize(
    ("backoff", "delays"),
    [
        (Backoff(first=1.0, factor=2.0, cap=10.0), [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]),
        (Backoff(first=5.0, factor=3.0, cap=100.0), [5.0, 15.0, 45.0, 100.0, 100.0, 100.0]),
        (Backoff(first=2.0, factor=1.0, cap=2.0), [2.0] * 6),
    ],
)
def test_delays(backoff: Backoff, delays: list[float]) -> None:
    assert [backoff.delay(n) for n in range(1, 7)] == delays


def test_a_long_outage_stays_at_the_cap() -> None:
    assert Backoff(first=1.0, factor=10.0, cap=60.0).delay(10_000) == 60.0


@pytest.mark.parametrize(("draw", "expected"), [(0.0, 8.0), (0.5, 6.0), (1.0, 4.0)])
def test_jitter_shortens_a_wait_by_at_most_its_fraction(draw: float, expected: float) -> None:
    assert Backoff(first=1.0, cap=100.0, jitter=0.5).delay(4, lambda: draw) == expected


@pytest.mark.parametrize(
    "arguments",
    [{"first": 0.0}, {"factor": 0.5}, {"first": 10.0, "cap": 5.0}, {"jitter": 1.0}],
)
def test_bad_backoffs(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="backoff"):
        Backoff(**arguments)


def test_no_delay_before_a_failure() -> None:
    with pytest.raises(ValueError, match="backoff"):
        Backoff().delay(0)
