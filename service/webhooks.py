"""Webhooks: a JSON payload POSTed to a callback URL, signed as the Standard Webhooks
specification (1.0.0) says, and tried again with backoff until it is accepted or a time
bound runs out.

Each attempt carries `webhook-id` (the same for every attempt of one message: receivers use
it to drop duplicates), `webhook-timestamp` (the attempt's Unix time) and
`webhook-signature`: `v1,` then the base64 HMAC-SHA256 of `id.timestamp.body` keyed with the
secret, which is given in the specification's `whsec_<base64>` form. An answer 2xx is
delivered; 410 means the receiver wants no more (no further attempt); anything else, a
timeout or a connection that fails is tried again. Redirects are not followed (a 3xx fails),
so a callback cannot be bounced to a host that is not allowed.

Callbacks go only to `http` and `https` URLs, and only to the allowed hosts when any are
listed (`DEPECHE_WEBHOOK_ALLOWED_HOSTS`): a name (`hooks.example.com`), every name under a
domain (`*.example.com`), or an address or network (`10.1.2.3`, `192.0.2.0/24`), which an
address written in the URL must fall in. Names are matched as written, not resolved: the
list is the operator's, and so is the trust in its names' DNS.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import json
import random as _random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .backoff import Backoff
from .errors import ConfigurationError, InputError

if TYPE_CHECKING:
    from .config import Settings

SECRET_PREFIX = "whsec_"
# The specification's bounds for a symmetric signing secret.
SECRET_BYTES = (24, 64)
# 5 s, 10 s, 20 s... at most 10 minutes between attempts.
DELIVERY_BACKOFF = Backoff(first=5.0, factor=2.0, cap=600.0, jitter=0.1)


class CallbackRefusedError(InputError):
    """A callback URL depeche will not call: not http(s), or a host that is not allowed."""


def parse_secret(text: str) -> bytes:
    """The key of a `whsec_<base64>` secret; `ConfigurationError` when it is not one."""
    if not text.startswith(SECRET_PREFIX):
        raise ConfigurationError(f"a webhook secret starts with {SECRET_PREFIX}")
    encoded = text[len(SECRET_PREFIX) :]
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(f"a webhook secret is {SECRET_PREFIX} then base64") from None
    low, high = SECRET_BYTES
    if not low <= len(key) <= high:
        raise ConfigurationError(
            f"a webhook secret holds {low} to {high} random bytes (this one {len(key)})"
        )
    return key


def sign(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


class AllowedHosts:
    """The hosts callbacks may go to; no entries: any host."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self.names: set[str] = set()
        self.domains: list[str] = []
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for raw in entries:
            entry = raw.strip().lower().rstrip(".")
            if not entry:
                continue
            if entry.startswith("*."):
                self.domains.append(entry[1:])
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.names.add(entry)

    @classmethod
    def parse(cls, text: str) -> AllowedHosts:
        """From a comma-separated list."""
        return cls(text.split(","))

    @property
    def any(self) -> bool:
        return not (self.names or self.domains or self.networks)

    def allows(self, host: str) -> bool:
        if self.any:
            return True
        host = host.lower().rstrip(".")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return host in self.names or any(host.endswith(d) for d in self.domains)
        return any(address in network for network in self.networks)


def check_callback(url: str, allowed: AllowedHosts) -> str:
    """`url` if depeche may call it back; `CallbackRefusedError` saying why not."""
    import httpx

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise CallbackRefusedError(f"callback {url!r} is not a URL") from None
    if parsed.scheme not in ("http", "https"):
        raise CallbackRefusedError(f"callback {url!r}: only http and https URLs are called")
    if not parsed.host:
        raise CallbackRefusedError(f"callback {url!r} names no host")
    if not allowed.allows(parsed.host):
        raise CallbackRefusedError(f"callback {url!r}: host {parsed.host} is not allowed")
    return url


@dataclass(frozen=True)
class Attempt:
    """One try at delivering a message: when (Unix time, the one signed), the answer's status
    (None when none came), why it failed (None: delivered), and how long it took."""

    number: int
    at: int
    status: int | None
    error: str | None
    seconds: float

    @property
    def delivered(self) -> bool:
        return self.error is None


@dataclass
class Delivery:
    """What became of a message: its id, delivered or not, and every attempt."""

    message_id: str
    delivered: bool = False
    attempts: list[Attempt] = field(default_factory=list)


class WebhookSender:
    """Delivers signed messages; `clock`, `wall`, `sleep` and `random` are the caller's, so
    that tests step through the backoff without waiting for it.

    `timeout` bounds each step of one attempt (connecting, sending, the answer's headers);
    `retry_for` the whole delivery: no attempt starts past it.
    """

    def __init__(
        self,
        secret: str,
        *,
        allowed_hosts: AllowedHosts | None = None,
        timeout: float = 15.0,
        retry_for: float = 3600.0,
        backoff: Backoff = DELIVERY_BACKOFF,
        user_agent: str = "depeche",
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], Any] = time.sleep,
        random: Callable[[], float] = _random.random,
    ) -> None:
        import httpx

        self.key = parse_secret(secret)
        self.allowed = allowed_hosts or AllowedHosts()
        self.retry_for = retry_for
        self.backoff = backoff
        self.clock, self.wall, self.sleep, self.random = clock, wall, sleep, random
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"User-Agent": user_agent}
        )

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> WebhookSender:
        """A sender with the operator's secret, allowed hosts and bounds."""
        if settings.webhook_secret is None:
            raise ConfigurationError("callbacks need DEPECHE_WEBHOOK_SECRET (whsec_...)")
        return cls(
            settings.webhook_secret.get_secret_value(),
            allowed_hosts=AllowedHosts.parse(settings.webhook_allowed_hosts),
            timeout=settings.webhook_timeout_s,
            retry_for=settings.webhook_retry_s,
            **kwargs,
        )

    def close(self) -> None:
        self.client.close()

    def check(self, url: str) -> str:
        """`url` if it may be called back (see `check_callback`)."""
        return check_callback(url, self.allowed)

    def headers(self, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
        """The headers of one attempt."""
        return {
            "Content-Type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(self.key, message_id, timestamp, body),
        }

    def deliver(
        self,
        url: str,
        payload: Any,
        *,
        message_id: str | None = None,
        on_attempt: Callable[[Attempt], None] | None = None,
    ) -> Delivery:
        """POST `payload` (as compact JSON) to `url` until it is accepted, 410 answers, or
        `retry_for` seconds have gone; `on_attempt` hears of each attempt as it ends (to
        record it). A refused URL raises `CallbackRefusedError` before any attempt."""
        self.check(url)
        message_id = message_id or f"msg_{uuid.uuid4().hex}"
        if "." in message_id or not message_id.isascii() or not message_id.strip():
            raise InputError(f"webhook id {message_id!r}: ASCII, no full stop")
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        delivery = Delivery(message_id)
        start = self.clock()
        while True:
            attempt, retry_after = self._attempt(url, message_id, body, len(delivery.attempts))
            delivery.attempts.append(attempt)
            if on_attempt is not None:
                on_attempt(attempt)
            if attempt.delivered:
                delivery.delivered = True
                return delivery
            if attempt.status == 410:
                return delivery
            wait = self.backoff.delay(len(delivery.attempts), self.random)
            wait = max(wait, retry_after or 0.0)
            if self.clock() + wait - start > self.retry_for:
                return delivery
            self.sleep(wait)

    def _attempt(
        self, url: str, message_id: str, body: bytes, done: int
    ) -> tuple[Attempt, float | None]:
        import httpx

        timestamp = int(self.wall())
        began = self.clock()
        status: int | None = None
        retry_after: float | None = None
        try:
            # Streamed, and closed unread: a receiver's answer body is never needed, and a
            # huge one must not be held.
            with self.client.stream(
                "POST", url, content=body, headers=self.headers(message_id, timestamp, body)
            ) as response:
                status = response.status_code
                asked = response.headers.get("Retry-After", "")
                retry_after = float(asked) if asked.strip().isdigit() else None
            error = None if 200 <= status < 300 else f"answered {status}"
        except httpx.TimeoutException:
            error = "timed out"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        attempt = Attempt(done + 1, timestamp, status, error, self.clock() - began)
        return attempt, retry_after
