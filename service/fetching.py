"""Fetching a source that is polled again and again (a feed): conditional GETs, bounded
answers, and when to come back.

The caller keeps the state between polls as plain values (`Validators`, `Schedule`, each
`to_dict`/`from_dict`), so that it can live in a store: a poll sends back the `ETag` and
`Last-Modified` of the previous answer (`If-None-Match`, `If-Modified-Since`) and a source that
has not changed answers 304 without a body. A source that fails (5xx, an unreachable host, a
timeout, an answer over the size limit) raises `FetchError`, and `Schedule` says when to try it
again: exponential backoff, capped, reset by the next success.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from .backoff import Backoff
from .errors import DepecheError

DEFAULT_MAX_BYTES = 10_000_000
# A source that fails is tried again after 1, 2, 4... minutes, at most every hour.
SOURCE_BACKOFF = Backoff(first=60.0, factor=2.0, cap=3600.0, jitter=0.1)


class FetchError(DepecheError):
    """A source that could not be fetched; `retry_after` is what the server asked for, in
    seconds, when it said (429, 503)."""

    def __init__(
        self, message: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Validators:
    """What an answer said about its version, to send back on the next poll."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        """`If-None-Match` and `If-Modified-Since`, for those known."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def updated(self, headers: Any) -> Validators:
        """These, with what an answer's headers give instead (a 304 may carry a new ETag)."""
        return Validators(
            etag=headers.get("ETag") or self.etag,
            last_modified=headers.get("Last-Modified") or self.last_modified,
        )

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> Validators:
        values = values or {}
        return cls(etag=values.get("etag"), last_modified=values.get("last_modified"))


@dataclass(frozen=True)
class Fetched:
    """A changed (or first) answer: its body, the validators for the next poll, the URL it
    came from after redirects, and its media type."""

    body: bytes
    validators: Validators
    url: str
    content_type: str | None = None


@dataclass(frozen=True)
class NotModified:
    """The source has not changed since the validators sent (304)."""

    validators: Validators


class Fetcher:
    """GETs sources with an HTTP client of its own (redirects followed, at most 5).

    `timeout` bounds each step (connecting, each read); `max_seconds` the whole answer, as
    `clock` measures it, so that a server trickling a byte at a time cannot hold a poll;
    `max_bytes` the body as decoded (a compressed answer counts as what it unpacks to).
    """

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        max_seconds: float = 120.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        user_agent: str = "depeche",
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        import httpx

        self.max_seconds = max_seconds
        self.max_bytes = max_bytes
        self.clock = clock
        self.wall = wall
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": user_agent},
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, previous: Validators | None = None) -> Fetched | NotModified:
        """The source at `url`, or `NotModified` when it answers 304 to `previous`'s
        validators; `FetchError` when it cannot be had."""
        import httpx

        previous = previous or Validators()
        start = self.clock()
        try:
            with self.client.stream("GET", url, headers=previous.request_headers()) as response:
                if response.status_code == 304 and previous.request_headers():
                    return NotModified(previous.updated(response.headers))
                if not 200 <= response.status_code < 300 or response.status_code == 206:
                    raise FetchError(
                        f"{url}: {response.status_code} {response.reason_phrase}",
                        status=response.status_code,
                        retry_after=self._retry_after(response.headers.get("Retry-After")),
                    )
                body = self._read(url, response, start)
                return Fetched(
                    body=body,
                    validators=Validators().updated(response.headers),
                    url=str(response.url),
                    content_type=response.headers.get("Content-Type"),
                )
        except httpx.TimeoutException:
            raise FetchError(f"{url}: timed out") from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"{url}: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {exc}") from None

    def _read(self, url: str, response: Any, start: float) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"{url}: {declared} bytes, over the limit of {self.max_bytes}")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{url}: over the limit of {self.max_bytes} bytes")
            if self.clock() - start > self.max_seconds:
                raise FetchError(f"{url}: answer took over {self.max_seconds:g} s")
            chunks.append(chunk)
        return b"".join(chunks)

    def _retry_after(self, value: str | None) -> float | None:
        """Seconds from a `Retry-After` header: a number, or an HTTP date."""
        if not value:
            return None
        if value.strip().isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - self.wall())


@dataclass(frozen=True)
class Schedule:
    """When a polled source is next due and how it has been doing, as plain values."""

    next_at: float = 0.0
    failures: int = 0
    last_error: str | None = None

    def due(self, now: float) -> bool:
        return now >= self.next_at

    def succeeded(self, now: float, interval: float) -> Schedule:
        """After a poll that worked (changed or not): due again in `interval`, failures
        forgotten."""
        return Schedule(next_at=now + interval)

    def failed(
        self,
        now: float,
        error: FetchError,
        backoff: Backoff = SOURCE_BACKOFF,
        random: Callable[[], float] | None = None,
    ) -> Schedule:
        """After a poll that failed: due again after the backoff for this many failures in
        a row, or later if the server asked for more."""
        failures = self.failures + 1
        wait = backoff.delay(failures) if random is None else backoff.delay(failures, random)
        wait = max(wait, error.retry_after or 0.0)
        return replace(self, next_at=now + wait, failures=failures, last_error=str(error))

    def to_dict(self) -> dict[str, Any]:
        return {"next_at": self.next_at, "failures": self.failures, "last_error": self.last_error}

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> Schedule:
        values = values or {}
        return cls(
            next_at=float(values.get("next_at", 0.0)),
            failures=int(values.get("failures", 0)),
            last_error=values.get("last_error"),
        )
