"""Signed webhooks, delivered to a real receiver and checked with the `standardwebhooks`
library; backoffs are stepped through on a clock the test moves."""

from __future__ import annotations

import base64
import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from depeche.backoff import Backoff
from depeche.config import Settings, get_settings
from depeche.errors import ConfigurationError
from depeche.webhooks import (
    AllowedHosts,
    Attempt,
    CallbackRefusedError,
    WebhookSender,
    check_callback,
    parse_secret,
    sign,
)
from standardwebhooks import Webhook

from tests.http_server import Answer, Server, script
from tests.sync import Clock

KEY = bytes(range(32))
SECRET = "whsec_" + base64.b64encode(KEY).decode()
PAYLOAD = {"type": "job.done", "data": {"id": "job_1", "text": "Le maire a parlé — «oui»."}}
STEADY = Backoff(first=5.0, factor=2.0, cap=600.0)  # no jitter: the waits are known


class Sleeper:
    """Sleeps by moving the test's clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.now += seconds


def sender(clock: Clock, **kwargs: Any) -> tuple[WebhookSender, Sleeper]:
    sleep = Sleeper(clock)
    options = {"backoff": STEADY, "clock": clock, "sleep": sleep, **kwargs}
    return WebhookSender(SECRET, **options), sleep


def test_fails_twice_then_delivered_signed() -> None:
    clock = Clock()
    hold = threading.Event()
    answers = script(
        Answer(500),
        Answer(204, hold=hold),  # answers only after the attempt has timed out
        Answer(307, headers={"Location": "http://127.0.0.1:1/"}),  # redirects are not followed
        Answer(200, body=b"x" * 100_000),
    )
    attempts: list[Attempt] = []
    with Server(answers) as receiver:
        webhooks, sleep = sender(clock, timeout=0.5)
        delivery = webhooks.deliver(receiver.url + "/hooks", PAYLOAD, on_attempt=attempts.append)
        hold.set()
    assert delivery.delivered and delivery.attempts == attempts
    assert [(a.number, a.status, a.error) for a in attempts] == [
        (1, 500, "answered 500"),
        (2, None, "timed out"),
        (3, 307, "answered 307"),
        (4, 200, None),
    ]
    assert sleep.slept == [5.0, 10.0, 20.0]
    requests = receiver.requests
    assert len(requests) == 4
    verifier = Webhook(SECRET)
    for request, attempt in zip(requests, attempts, strict=True):
        assert request.method == "POST" and request.path == "/hooks"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["webhook-id"] == delivery.message_id  # the same on each attempt
        assert request.headers["webhook-timestamp"] == str(attempt.at)
        assert verifier.verify(request.body, request.headers) == PAYLOAD
    tampered = dict(requests[-1].headers)
    tampered["webhook-id"] = "msg_other"
    with pytest.raises(Exception, match="signature"):
        verifier.verify(requests[-1].body, tampered)


def test_signature_is_the_libraries() -> None:
    body = json.dumps(PAYLOAD, separators=(",", ":"), ensure_ascii=False).encode()
    when = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    theirs = Webhook(SECRET).sign("msg_abc", when, body.decode())
    assert sign(KEY, "msg_abc", int(when.timestamp()), body) == theirs


def test_gives_up_after_the_time_allowed() -> None:
    clock = Clock()
    with Server(script(Answer(503))) as receiver:
        webhooks, sleep = sender(clock, retry_for=60.0)
        delivery = webhooks.deliver(receiver.url, PAYLOAD)
    # Attempts at 0, 5, 15 and 35 s; the next would be at 75 s, past the 60 allowed.
    assert not delivery.delivered
    assert sleep.slept == [5.0, 10.0, 20.0]
    assert len(delivery.attempts) == len(receiver.requests) == 4


def test_retry_after_and_gone() -> None:
    clock = Clock()
    answers = script(Answer(429, headers={"Retry-After": "42"}), Answer(410))
    with Server(answers) as receiver:
        webhooks, sleep = sender(clock)
        delivery = webhooks.deliver(receiver.url, PAYLOAD, message_id="msg_job1")
    assert sleep.slept == [42.0]  # what the receiver asked for, over the backoff's 5 s
    assert [a.status for a in delivery.attempts] == [429, 410]  # 410: no further attempt
    assert not delivery.delivered
    assert receiver.requests[0].headers["webhook-id"] == "msg_job1"


@pytest.mark.parametrize(
    ("allowed", "url", "ok"),
    [
        ("", "https://anything.example/hook", True),
        ("", "http://10.0.0.1:8080/", True),  # no list: any host
        ("", "ftp://example.com/hook", False),
        ("", "file:///etc/passwd", False),
        ("", "javascript:alert(1)", False),
        ("", "https:///nohost", False),
        ("hooks.example.com", "https://hooks.example.com/a", True),
        ("hooks.example.com", "https://HOOKS.example.com./a", True),
        ("hooks.example.com", "https://evil.example.com/a", False),
        ("hooks.example.com", "https://hooks.example.com.evil.net/a", False),
        ("hooks.example.com", "https://hooks.example.com@10.0.0.1/a", False),  # userinfo
        ("hooks.example.com", "http://127.0.0.1/a", False),
        ("*.example.com", "https://a.b.example.com/", True),
        ("*.example.com", "https://example.com/", False),
        ("*.example.com", "https://badexample.com/", False),
        ("192.0.2.0/24, hooks.example.com", "http://192.0.2.7:9000/", True),
        ("192.0.2.0/24", "http://192.0.3.7/", False),
        ("192.0.2.0/24", "http://169.254.169.254/latest/meta-data", False),
        ("::1", "http://[::1]:8000/", True),
    ],
)
def test_callback_urls(allowed: str, url: str, ok: bool) -> None:
    hosts = AllowedHosts.parse(allowed)
    if ok:
        assert check_callback(url, hosts) == url
    else:
        with pytest.raises(CallbackRefusedError):
            check_callback(url, hosts)


def test_a_refused_url_is_never_called() -> None:
    clock = Clock()
    with Server(script(Answer(200))) as receiver:
        webhooks, _ = sender(clock, allowed_hosts=AllowedHosts.parse("hooks.example.com"))
        with pytest.raises(CallbackRefusedError, match="not allowed"):
            webhooks.deliver(receiver.url, PAYLOAD)
        webhooks, _ = sender(clock)
        with pytest.raises(CallbackRefusedError, match="only http and https"):
            webhooks.deliver(receiver.url.replace("http", "ftp"), PAYLOAD)
    assert receiver.requests == []


@pytest.mark.parametrize(
    "secret",
    [
        base64.b64encode(KEY).decode(),  # no prefix
        "whsec_",
        "whsec_not base64!",
        "whsec_" + base64.b64encode(b"short").decode(),
        "whsec_" + base64.b64encode(bytes(65)).decode(),
    ],
)
def test_bad_secrets(secret: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_secret(secret)


def test_secret_without_padding() -> None:
    assert parse_secret(SECRET.rstrip("=")) == KEY == parse_secret(SECRET)


def test_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DEPECHE_WEBHOOK_SECRET", "whsec_c2hvcnQ=")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError) as raised:
        get_settings()
    assert "DEPECHE_WEBHOOK_SECRET" in str(raised.value)
    assert "c2hvcnQ" not in str(raised.value)  # a secret is never echoed
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match="DEPECHE_WEBHOOK_SECRET"):
        WebhookSender.from_settings(Settings(webhook_secret=None))
    settings = Settings(
        webhook_secret=SECRET, webhook_allowed_hosts="hooks.example.com", webhook_retry_s=10
    )
    webhooks = WebhookSender.from_settings(settings)
    assert webhooks.key == KEY and webhooks.retry_for == 10
    assert webhooks.allowed.allows("hooks.example.com") and not webhooks.allowed.allows("x.y")
