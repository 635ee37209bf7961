"""Soak under load: steady load and memory, then overload. Prints its figures.

    python bench/soak/load.py [--minutes 10] [--think 8] [--overload-seconds 60]

1. Steady: a single client's p50 first (one request after another, 60 s); then 16 locust users
   for `--minutes` (started 2 a second), each posting a unique paragraph, then pausing for
   `--think` seconds on average (a newsroom's desk, not a flood: overload is the next part).
   Server errors, connection errors, p50/p99 (also without the first minute, while users start).
2. Memory: the server's RSS every 5 s, from the start of the load to 60 s after it stops.
3. Overload: 64 users with no pause against a queue of 16 for `--overload-seconds`, then one
   user for 30 s: every status, Retry-After on each refusal, how fast refusals come back, and
   how soon after the drop latency is back to the single-client p50. Twice: users that ask again
   at once when refused, and users that wait as long as Retry-After says.
The server (`depeche serve`, cache off, so the cache hides nothing) runs on core 0, locust on 1.
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path[0] = str(ROOT)

from bench.soak.server import (  # noqa: E402
    LOAD_CORE,
    Server,
    paragraphs,
    percentile,
    sequential_latencies,
)

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
Row = tuple[float, int, float, str]  # start (epoch s), status (0: no answer), seconds, Retry-After


def locust(
    url: str, env: dict[str, str], users: int = 0, seconds: int = 0, rate: float = 0
) -> list[Row]:
    """Run locust on LOAD_CORE; return every request it made."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder, "requests.csv")
        command = [
            "taskset",
            "-c",
            LOAD_CORE,
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
        ]
        command += ["--headless", "--only-summary", "--host", url, "--loglevel", "WARNING"]
        if users:
            command += ["-u", str(users), "-r", str(rate or users), "-t", f"{seconds}s"]
        subprocess.run(
            command,
            env={**os.environ, **env, "SOAK_LOG": str(log)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,  # locust exits 1 when any request failed; the rows say which
        )
        with log.open() as stream:
            return [(float(a), int(b), float(c), d) for a, b, c, d in csv.reader(stream)]


def describe(rows: list[Row], label: str) -> dict[str, float]:
    statuses = collections.Counter(status for _, status, _, _ in rows)
    ok = [seconds for _, status, seconds, _ in rows if status == 200]
    span = max(s + t for s, _, t, _ in rows) - min(s for s, _, _, _ in rows)
    figures = {
        "requests": len(rows),
        "per_s": len(ok) / span,
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "connection_errors": statuses.get(0, 0),
        "p50": percentile(ok, 50),
        "p99": percentile(ok, 99),
        "max": max(ok),
    }
    print(
        f"{label}: {len(rows)} requests, {figures['per_s']:.2f} answered/s, statuses "
        f"{dict(sorted(statuses.items()))}, p50 {figures['p50']:.2f} s, p99 "
        f"{figures['p99']:.2f} s, max {figures['max']:.2f} s"
    )
    return figures


def steady(minutes: float, think: float) -> None:
    texts = paragraphs()
    with Server(queue_size="64") as server:
        single = sequential_latencies(server.url, texts[2000:], 60)
        single_p50 = statistics.median(single)
        print(
            f"single client: {len(single)} requests, p50 {single_p50:.2f} s, "
            f"p99 {percentile(single, 99):.2f} s (paragraphs differ in length)"
        )
        seconds = int(minutes * 60)
        start = time.monotonic()
        with server.sampled(every=5) as memory:
            load = {"SOAK_THINK": str(think)}
            rows = locust(server.url, load, users=16, seconds=seconds, rate=2)
            stopped = time.monotonic() - start
            time.sleep(60)
        figures = describe(rows, f"steady: 16 users, pausing {think:g} s on average")
        print(
            f"steady: server errors {figures['server_errors']:.0f}, connection errors "
            f"{figures['connection_errors']:.0f}, p99 / single-client p50 = "
            f"{figures['p99'] / single_p50:.2f} (target <= 3)"
        )
        first = min(start for start, _, _, _ in rows)
        settled = describe([r for r in rows if r[0] >= first + 60], "steady, from minute 1 on")
        print(
            f"steady, from minute 1 on: p99 / single-client p50 = {settled['p99'] / single_p50:.2f}"
        )

    def rss_at(t: float) -> float:
        return min(memory, key=lambda sample: abs(sample[0] - t))[1]

    at_2, at_end, after = rss_at(120), rss_at(stopped), rss_at(stopped + 60)
    peak = max(mb for _, mb in memory)
    print(
        f"memory: RSS {rss_at(0):.0f} MB at the start, {at_2:.0f} MB at minute 2, {at_end:.0f} MB "
        f"when the load stopped (minute {stopped / 60:.1f}), {after:.0f} MB 60 s later, peak "
        f"{peak:.0f} MB; growth minute 2 -> end {100 * (at_end - at_2) / at_2:+.1f}% "
        f"(target < 10%), after the load {100 * (after - at_end) / at_end:+.1f}%"
    )


def overload(seconds: int, polite: bool) -> None:
    texts = paragraphs()
    with Server(queue_size="16") as server:
        single_p50 = statistics.median(sequential_latencies(server.url, texts[2500:], 20))
        began = time.time()
        load = {"SOAK_OVERLOAD": f"64,{seconds},1,30", "SOAK_OFFSET": "1000"}
        rows = locust(server.url, {**load, "SOAK_RETRY_AFTER": "1" if polite else "0"})
    kind = "waiting as Retry-After says" if polite else "asking again at once"
    print(f"overload, users {kind}:")
    describe(rows, f"overload: 64 users for {seconds} s against a queue of 16, then 1 user")
    statuses = collections.Counter(status for _, status, _, _ in rows)
    refused = [(seconds_, retry) for _, status, seconds_, retry in rows if status in (429, 503)]
    unexpected = {s: n for s, n in statuses.items() if s not in (200, 429, 503)}
    without_retry = sum(1 for _, retry in refused if not retry)
    print(
        f"overload: answers other than 200/429/503: {unexpected or 'none'}; refusals "
        f"{len(refused)}, without Retry-After {without_retry}; refusal p50 "
        f"{1000 * percentile([s for s, _ in refused], 50):.1f} ms, p99 "
        f"{1000 * percentile([s for s, _ in refused], 99):.1f} ms, max "
        f"{1000 * max(s for s, _ in refused):.1f} ms (target < 100 ms)"
    )
    drop = min(start for start, _, _, _ in rows if start >= began) + seconds
    normal = 1.5 * single_p50
    after = sorted((s, st, t) for s, st, t, _ in rows if s >= drop)
    recovered = next((s + t - drop for s, st, t in after if st == 200 and t <= normal), None)
    settled = [t for s, st, t in after if st == 200 and s >= drop + 10]
    print(
        f"overload: single-client p50 before {single_p50:.2f} s; after the drop, the first answer "
        f"within 1.5x of it came {recovered:.1f} s after the drop (target 10 s); p50 of the "
        f"answers from 10 s on {statistics.median(settled):.2f} s"
        if recovered is not None and settled
        else "overload: latency did not come back within the 30 s after the drop"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--think", type=float, default=8.0)
    parser.add_argument("--overload-seconds", type=int, default=60)
    parser.add_argument("--only", choices=["steady", "overload"])
    args = parser.parse_args()
    if args.only in (None, "steady"):
        steady(args.minutes, args.think)
    if args.only in (None, "overload"):
        overload(args.overload_seconds, polite=False)
        overload(args.overload_seconds, polite=True)


if __name__ == "__main__":
    main()
