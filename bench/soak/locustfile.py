"""Locust users for the soak scripts: editors posting unique paragraphs to /v1/translate.

Configured by the environment the soak scripts set: SOAK_LOG (a CSV of every request: start,
status, seconds, Retry-After), SOAK_THINK (a user's mean pause between an answer and its next
request, drawn from 0.5x to 1.5x so that users do not fall into step; 0: none),
SOAK_OVERLOAD ("USERS,SECONDS,AFTER_USERS,AFTER_SECONDS": a load shape), SOAK_OFFSET (where in
the corpus to start, so that runs do not repeat each other's inputs), SOAK_RETRY_AFTER (1: a
refused user waits as long as Retry-After says before its next request, as polite clients do).
"""

from __future__ import annotations

import atexit
import csv
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

from locust import FastHttpUser, LoadTestShape, between, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench.soak.server import paragraphs

PARAGRAPHS = paragraphs()
NEXT = itertools.count(int(os.environ.get("SOAK_OFFSET", "0")))
THINK = float(os.environ.get("SOAK_THINK", "0"))
POLITE = os.environ.get("SOAK_RETRY_AFTER") == "1"
_log = open(os.environ["SOAK_LOG"], "w", newline="")  # noqa: SIM115 - closed at exit
atexit.register(_log.close)
_writer = csv.writer(_log)


@events.request.add_listener
def record(
    response: Any, exception: Any, start_time: float, response_time: float, **_: Any
) -> None:
    status = 0 if exception is not None and response is None else response.status_code
    retry_after = response.headers.get("Retry-After", "") if response is not None else ""
    _writer.writerow([f"{start_time:.3f}", status, f"{response_time / 1000:.4f}", retry_after])


class Editor(FastHttpUser):
    """Posts a paragraph, waits for the answer, pauses (SOAK_THINK), and again."""

    wait_time = between(0.5 * THINK, 1.5 * THINK) if THINK else constant(0)
    connection_timeout = 10.0
    network_timeout = 300.0

    @task
    def translate(self) -> None:
        text = PARAGRAPHS[next(NEXT) % len(PARAGRAPHS)]
        with self.client.post("/v1/translate", json={"text": text}, catch_response=True) as r:
            if r.status_code in (429, 503):
                r.success()  # shedding load is the answer expected under overload
                if POLITE:
                    time.sleep(float(r.headers.get("Retry-After") or 1))  # gevent: cooperative


if os.environ.get("SOAK_OVERLOAD"):
    users, seconds, after_users, after_seconds = map(int, os.environ["SOAK_OVERLOAD"].split(","))

    class Overload(LoadTestShape):
        """`users` at once for `seconds`, then `after_users` for `after_seconds`."""

        def tick(self) -> tuple[int, float] | None:
            elapsed = self.get_run_time()
            if elapsed < seconds:
                return users, users
            if elapsed < seconds + after_seconds:
                return after_users, users
            return None
