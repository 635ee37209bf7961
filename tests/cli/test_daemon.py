"""Commands that run until stopped: SIGTERM as an event, status lines on standard error."""

from __future__ import annotations

import os
import signal

import pytest
from depeche.cli.daemon import say, stop_on_sigterm


def test_sigterm_sets_the_event() -> None:
    before = signal.getsignal(signal.SIGTERM)
    try:
        stop = stop_on_sigterm()
        assert not stop.is_set()
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(60)  # set by a thread the handler starts: waited for, not timed
    finally:
        signal.signal(signal.SIGTERM, before)


def test_say_writes_a_line_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    say("watching in")
    assert capsys.readouterr() == ("", "watching in\n")
