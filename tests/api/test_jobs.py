"""Jobs on a live server: answered at once, run by the server's workers, their result what the
synchronous route answers; owned by their key; idempotent; called back, signed, through a
receiver that fails twice; surviving a restart; run once each by two servers on one
PostgreSQL."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from depeche.backoff import Backoff
from depeche.config import Settings
from depeche.documents import translate_document
from depeche.store import connect
from depeche.translator import Translator
from depeche.webhooks import WebhookSender
from pydantic import SecretStr
from standardwebhooks import Webhook

from tests import wire_items
from tests.api.live import HeldEngine, LiveServer
from tests.http_server import Answer, Server, script
from tests.sync import wait_for

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
K1, K2, BOSS = ({"Authorization": f"Bearer {key}"} for key in ("k1", "k2", "boss"))
ARTICLE = {
    "text": "# Le maire de Lyon\n\nLe maire de Lyon a présenté un budget.\n",
    "summarize": False,
}


def job_settings(api_settings: Settings, folder: Path, **update: object) -> Settings:
    """Keys k1, k2 and admin boss, callbacks signed, no summaries (a faster start)."""
    return api_settings.model_copy(
        update={
            "summarization_model": "none",
            "cache_url": "none",
            "store_url": f"sqlite:///{folder}/store.sqlite3",
            "api_keys": "k1,k2",
            "admin_keys": "boss",
            "webhook_secret": SecretStr(SECRET),
            **update,
        }
    )


@pytest.fixture(scope="module")
def jobs_server(api_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = job_settings(api_settings, tmp_path_factory.mktemp("jobs"))
    with LiveServer(settings) as url:
        yield url


def scoreless(article: dict[str, Any]) -> tuple[dict[str, Any], list[float]]:
    """An article's answer without its segments' scores, and the scores: the model's scores
    differ in the last digits with the engine batch a sentence was in."""
    segments = [{k: v for k, v in s.items() if k != "score"} for s in article["segments"]]
    return {**article, "segments": segments}, [s["score"] for s in article["segments"]]


def assert_same_article(found: dict[str, Any], expected: dict[str, Any]) -> None:
    (found_rest, found_scores), (rest, scores) = scoreless(found), scoreless(expected)
    assert found_rest == rest
    assert found_scores == pytest.approx(scores, abs=1e-4)


def finished(url: str, job_id: str, headers: dict[str, str] = K1) -> dict[str, Any]:
    """The job once it has ended (and its callback, if any)."""
    found: dict[str, Any] = {}

    def ended() -> bool:
        found.update(httpx.get(f"{url}/v1/jobs/{job_id}", headers=headers).json())
        return found["state"] in ("done", "failed") and found["delivery"] != "pending"

    wait_for(ended)
    return found


def test_an_article_job_is_answered_at_once_and_ends_with_what_articles_answers(
    jobs_server: str,
) -> None:
    answer = httpx.post(f"{jobs_server}/v1/jobs", json=ARTICLE, headers=K1)
    assert answer.status_code == 202
    job = answer.json()
    assert job["state"] == "queued" and job["kind"] == "article"
    assert answer.headers["location"] == f"/v1/jobs/{job['id']}"
    done = finished(jobs_server, job["id"])
    expected = httpx.post(f"{jobs_server}/v1/articles", json=ARTICLE, headers=K1)
    assert done["state"] == "done" and done["runs"] == 1
    assert_same_article(done["result"], expected.json())
    assert done["result_url"] == f"/v1/jobs/{job['id']}/result"
    result = httpx.get(f"{jobs_server}{done['result_url']}", headers=K1)
    assert result.headers["content-type"] == "application/json"
    assert result.json() == done["result"]


def test_an_item_job_and_a_document_job_end_with_their_routes_answers(
    jobs_server: str, reference: Translator
) -> None:
    rss = {"Content-Type": "application/rss+xml", **K1}
    item = httpx.post(f"{jobs_server}/v1/jobs", content=wire_items.RSS.encode(), headers=rss)
    ninjs = httpx.post(
        f"{jobs_server}/v1/jobs?kind=item",
        content=wire_items.NINJS_2.encode(),
        headers={"Content-Type": "application/json", **K1},
    )
    brief = "# *Le maire de Lyon*\n\nLa ministre **refuse** la grève.\n".encode()
    document = httpx.post(f"{jobs_server}/v1/jobs", files={"file": ("brief.md", brief)}, headers=K1)
    assert {item.status_code, ninjs.status_code, document.status_code} == {202}
    done = finished(jobs_server, item.json()["id"])
    expected = httpx.post(f"{jobs_server}/v1/items", content=wire_items.RSS.encode(), headers=rss)
    assert done["result"] == expected.text and done["content_type"] == "application/rss+xml"
    result = httpx.get(f"{jobs_server}{done['result_url']}", headers=K1)
    assert result.content == expected.content
    assert result.headers["content-type"] == expected.headers["content-type"]
    done = finished(jobs_server, ninjs.json()["id"])
    assert done["kind"] == "item" and done["content_type"] == "application/json"
    assert done["result"] == reference.translate_article(wire_items.NINJS_2, "ninjs").text
    done = finished(jobs_server, document.json()["id"])
    assert done["result"] == {"name": "brief.md", "content_type": "text/markdown; charset=utf-8"}
    result = httpx.get(f"{jobs_server}{done['result_url']}", headers=K1)
    assert result.content == translate_document(reference, brief, "brief.md").data
    assert result.headers["content-disposition"] == "attachment; filename*=UTF-8''brief.md"


def test_a_job_that_fails_ends_with_its_routes_error(jobs_server: str) -> None:
    broken = wire_items.BROKEN_XML.encode()
    headers = {"Content-Type": "application/rss+xml", **K1}
    job = httpx.post(f"{jobs_server}/v1/jobs", content=broken, headers=headers).json()
    done = finished(jobs_server, job["id"])
    expected = httpx.post(f"{jobs_server}/v1/items", content=broken, headers=headers)
    assert done["state"] == "failed" and "result" not in done
    assert (done["status"], {"error": done["error"]}) == (400, expected.json())
    result = httpx.get(f"{jobs_server}/v1/jobs/{job['id']}/result", headers=K1)
    assert (result.status_code, result.json()) == (400, expected.json())


@pytest.mark.parametrize(
    ("request_args", "status", "kind"),
    [
        ({"content": b"hello", "headers": {"Content-Type": "text/plain"}}, 415, None),
        ({"json": {"text": 3}}, 422, "invalid_request"),
        ({"json": {**ARTICLE, "glossary_id": "absent"}}, 404, "not_found"),
        ({"json": {**ARTICLE, "callback_url": "ftp://x/"}}, 400, "invalid_input"),
        ({"files": {"file": ("scan.pdf", b"%PDF")}}, 400, "invalid_input"),
        ({"files": {"other": ("a.md", b"x")}}, 400, "invalid_input"),
    ],
)
def test_a_job_that_cannot_run_is_refused_at_once(
    jobs_server: str, request_args: dict[str, Any], status: int, kind: str | None
) -> None:
    headers = {**K1, **request_args.pop("headers", {})}
    answer = httpx.post(f"{jobs_server}/v1/jobs", headers=headers, **request_args)
    assert answer.status_code == status, answer.text
    if kind is not None:
        assert answer.json()["error"]["type"] == kind


def test_a_job_belongs_to_its_key(jobs_server: str) -> None:
    job = httpx.post(f"{jobs_server}/v1/jobs", json=ARTICLE, headers=K1).json()
    for path in (f"/v1/jobs/{job['id']}", f"/v1/jobs/{job['id']}/result"):
        other = httpx.get(f"{jobs_server}{path}", headers=K2)
        assert other.status_code == 404 and other.json()["error"]["type"] == "not_found"
    assert httpx.get(f"{jobs_server}/v1/jobs/{job['id']}", headers=BOSS).json()["id"] == job["id"]
    assert httpx.get(f"{jobs_server}/v1/jobs/job_absent", headers=K1).status_code == 404
    assert httpx.get(f"{jobs_server}/v1/jobs/{job['id']}").status_code == 401
    finished(jobs_server, job["id"])


def test_an_idempotency_key_gives_the_same_job_for_the_same_request(jobs_server: str) -> None:
    keyed = {"Idempotency-Key": "cms-4711", **K1}
    first = httpx.post(f"{jobs_server}/v1/jobs", json=ARTICLE, headers=keyed)
    again = httpx.post(f"{jobs_server}/v1/jobs", json=ARTICLE, headers=keyed)
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    other = httpx.post(
        f"{jobs_server}/v1/jobs", json={**ARTICLE, "text": "Il pleut."}, headers=keyed
    )
    assert other.status_code == 422
    assert other.json()["error"]["type"] == "idempotency_key_reused"
    theirs = httpx.post(
        f"{jobs_server}/v1/jobs", json=ARTICLE, headers={"Idempotency-Key": "cms-4711", **K2}
    )
    assert theirs.status_code == 202 and theirs.json()["id"] != first.json()["id"]
    done = finished(jobs_server, first.json()["id"])
    replayed = httpx.post(f"{jobs_server}/v1/jobs", json=ARTICLE, headers=keyed).json()
    assert replayed["state"] == "done" and replayed["result"] == done["result"]


def test_callbacks_go_only_to_allowed_hosts_and_need_a_secret(
    api_settings: Settings, tmp_path: Path
) -> None:
    allowed = job_settings(api_settings, tmp_path, webhook_allowed_hosts="hooks.example.com")
    with LiveServer(allowed, wait_ready=False) as url:
        for callback in ("http://127.0.0.1:9/hook", "http://169.254.169.254/", "file:///x"):
            answer = httpx.post(
                f"{url}/v1/jobs", json={**ARTICLE, "callback_url": callback}, headers=K1
            )
            assert answer.status_code == 400, callback
        item = httpx.post(
            f"{url}/v1/jobs?callback_url=http://10.0.0.1/",
            content=wire_items.RSS.encode(),
            headers={"Content-Type": "application/rss+xml", **K1},
        )
        assert item.status_code == 400 and "not allowed" in item.json()["error"]["message"]
        ok = httpx.post(
            f"{url}/v1/jobs",
            json={**ARTICLE, "callback_url": "https://hooks.example.com/depeche"},
            headers=K1,
        )
        assert ok.status_code == 202
    unsigned = job_settings(api_settings, tmp_path, webhook_secret=None)
    with LiveServer(unsigned, wait_ready=False) as url:
        answer = httpx.post(
            f"{url}/v1/jobs", json={**ARTICLE, "callback_url": "https://x.example/"}, headers=K1
        )
        assert answer.status_code == 400 and "DEPECHE_WEBHOOK_SECRET" in answer.text


class Sleeper:
    """The callback's waits between attempts, recorded rather than waited."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_a_callback_that_fails_twice_is_delivered_signed_and_each_attempt_recorded(
    api_settings: Settings, tmp_path: Path
) -> None:
    server = LiveServer(job_settings(api_settings, tmp_path))
    runner = server.app.state.background.jobs
    runner.sender.close()
    sleep = Sleeper()
    runner.sender = WebhookSender(SECRET, backoff=Backoff(first=5.0, factor=2.0), sleep=sleep)
    with Server(script(Answer(500), Answer(502), Answer(204))) as receiver, server as url:
        callback = f"{receiver.url}/depeche?desk=paris"
        job = httpx.post(
            f"{url}/v1/jobs", json={**ARTICLE, "callback_url": callback}, headers=K1
        ).json()
        done = finished(url, job["id"])
        metrics = httpx.get(f"{url}/metrics", headers=K1).text
    assert done["delivery"] == "delivered" and done["callback_url"] == callback
    assert [(d["attempt"], d["status"], d["error"]) for d in done["deliveries"]] == [
        (1, 500, "answered 500"),
        (2, 502, "answered 502"),
        (3, 204, None),
    ]
    assert sleep.slept == [5.0, 10.0]
    assert len(receiver.requests) == 3
    verifier = Webhook(SECRET)
    for request in receiver.requests:
        assert request.path == "/depeche?desk=paris"
        assert request.headers["webhook-id"] == f"msg_{job['id']}"
        payload = verifier.verify(request.body, request.headers)
        assert payload["type"] == "job.done"
        assert payload["data"]["id"] == job["id"]
        assert payload["data"]["result"] == done["result"]
    assert 'depeche_webhook_attempts_total{outcome="failed"} 2.0' in metrics
    assert 'depeche_webhook_attempts_total{outcome="delivered"} 1.0' in metrics
    assert 'depeche_jobs_finished_total{state="done"} 1.0' in metrics
    assert 'depeche_jobs{state="done"} 1.0' in metrics


def test_a_job_caught_by_a_restart_runs_again_on_the_next_server(
    api_settings: Settings, tmp_path: Path
) -> None:
    settings = job_settings(api_settings, tmp_path)
    first = LiveServer(settings)
    with first as url:
        held = HeldEngine(first.services)
        job = httpx.post(f"{url}/v1/jobs", json=ARTICLE, headers=K1).json()
        held.wait_entered()  # the job is in the engine when the server stops
        running = httpx.get(f"{url}/v1/jobs/{job['id']}", headers=K1).json()
        assert running["state"] == "running"
    store = connect(settings.store_url)
    left = store.jobs.get(job["id"], None)
    assert left is not None and (left.state, left.lease) == ("queued", None)
    store.close()
    try:
        with LiveServer(settings) as url:
            done = finished(url, job["id"])
            expected = httpx.post(f"{url}/v1/articles", json=ARTICLE, headers=K1).json()
    finally:
        held.close()  # the first server's worker ends; what it finishes is not its own any more
    assert done["state"] == "done" and done["runs"] == 2
    assert_same_article(done["result"], expected)


def test_two_servers_on_one_postgresql_run_each_job_once(
    api_settings: Settings, postgres_url: str, tmp_path: Path
) -> None:
    settings = job_settings(api_settings, tmp_path, store_url=postgres_url, job_workers=2)
    texts = [f"Le maire de la ville numéro {n} a présenté un budget." for n in range(24)]
    with LiveServer(settings) as one, LiveServer(settings) as two:
        ids = [
            httpx.post(
                f"{(one, two)[n % 2]}/v1/jobs", json={"text": text, "summarize": False}, headers=K1
            ).json()["id"]
            for n, text in enumerate(texts)
        ]
        done = [finished(one, job_id) for job_id in ids]
        expected = [
            httpx.post(f"{two}/v1/articles", json={"text": t, "summarize": False}, headers=K1)
            for t in texts
        ]
    assert [d["state"] for d in done] == ["done"] * len(texts)
    assert [d["runs"] for d in done] == [1] * len(texts)
    for found, answer in zip(done, expected, strict=True):
        assert_same_article(found["result"], answer.json())
