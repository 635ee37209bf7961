from __future__ import annotations

import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from depeche import deadline, sentences
from depeche.api.services import Services
from depeche.config import Settings

from tests.api.live import HeldEngine, LiveServer
from tests.sync import wait_for


def error_of(response: httpx.Response) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message"}
    assert "Traceback" not in response.text
    return body["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("path", "payload", "status", "kind"),
    [
        ("/v1/translate", {}, 422, "invalid_request"),
        ("/v1/translate", {"text": 5}, 422, "invalid_request"),
        ("/v1/translate", {"text": "x", "format": "pdf"}, 422, "invalid_request"),
        ("/v1/summarize", {"text": "x", "source_lang": "de"}, 422, "invalid_request"),
        ("/v1/translate", {"text": "x" * 100_001}, 413, "payload_too_large"),
        ("/v1/translate", {"text": ["x"] * 129}, 413, "payload_too_large"),
        ("/nowhere", {}, 404, "not_found"),
    ],
)
def test_error_table(server: str, path: str, payload: object, status: int, kind: str) -> None:
    response = httpx.post(f"{server}{path}", json=payload)
    assert response.status_code == status
    assert error_of(response)["type"] == kind


@pytest.mark.parametrize(
    ("path", "payload", "status", "body"),
    [
        (
            "/translate",
            {"q": "Bonjour", "source": "de", "target": "en"},
            400,
            {"error": "de to en: depeche translates fr to en"},
        ),
        (
            "/v2/translate",
            {"text": ["Hallo"], "target_lang": "DE"},
            400,
            {"message": "FR to DE: depeche translates FR to EN"},
        ),
        (
            "/v2/translate",
            {"text": ["Bonjour"], "target_lang": "EN-GB", "formality": "more"},
            400,
            {"message": "'formality' is not supported for target_lang EN-GB"},
        ),
    ],
)
def test_each_drop_in_api_answers_errors_as_its_clients_read_them(
    server: str, path: str, payload: object, status: int, body: dict[str, str]
) -> None:
    response = httpx.post(f"{server}{path}", json=payload)
    assert response.status_code == status and response.json() == body


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/nowhere", {"error": {"type": "not_found", "message": "Not Found"}}),
        ("/v1/nowhere", {"error": {"type": "not_found", "message": "Not Found"}}),
        ("/v2/nowhere", {"message": "Not Found"}),
        ("/v3/glossaries/x/nowhere", {"message": "Not Found"}),
        ("/download_file/x", {"error": "Not Found"}),
    ],
)
def test_a_path_no_route_has_answers_in_its_neighbours_dialect(
    server: str, path: str, body: dict[str, object]
) -> None:
    response = httpx.get(f"{server}{path}")
    assert response.status_code == 404 and response.json() == body


def test_body_over_the_limit_is_refused_before_parsing(server: str) -> None:
    response = httpx.post(
        f"{server}/v1/translate",
        content=b"{" + b" " * 3_000_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413 and error_of(response)["type"] == "payload_too_large"

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(40):
            yield b" " * 100_000

    response = httpx.post(
        f"{server}/v1/translate", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_malformed_json_is_422_not_500(server: str) -> None:
    response = httpx.post(
        f"{server}/v1/translate", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_with_api_keys_every_route_but_health_needs_one(api_settings: Settings) -> None:
    keyed = api_settings.model_copy(update={"api_keys": "secret-1"})
    server = LiveServer(keyed)
    documented = {
        (method.upper(), path)
        for path, operations in server.app.openapi()["paths"].items()
        for method in operations
    }
    others = {("GET", p) for p in ("/", "/static/app.js", "/docs", "/openapi.json", "/redoc")}
    health = {("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics")}
    assert len(documented) >= 8 and ("POST", "/v1/articles/stream") in documented
    with server as url:
        for method, path in sorted(documented | others | health):
            response = httpx.request(method, f"{url}{path}", json={"text": "Bonjour."})
            # LibreTranslate leaves what its clients read before any call open.
            open_paths = ("/healthz", "/readyz", "/health", "/languages", "/frontend/settings")
            expected = 200 if path in open_paths else 401
            if path in ("/translate", "/detect", "/translate_file", "/suggest"):
                expected = 400  # LibreTranslate's answer to a missing key
            if path.startswith("/download_file/"):
                expected = 404  # open, as LibreTranslate's: the URL is the file's secret
            if path.startswith("/static/"):
                expected = 200  # the editor's page's script: it sends the key on its calls
            assert response.status_code == expected, (method, path, response.text)
            assert "Traceback" not in response.text


def test_api_keys(api_settings: Settings) -> None:
    with LiveServer(api_settings.model_copy(update={"api_keys": "secret-1,secret-2"})) as url:
        assert httpx.get(f"{url}/healthz").status_code == 200
        assert httpx.get(f"{url}/readyz").status_code == 200
        for path in ("/v1/models", "/metrics", "/docs"):
            assert httpx.get(f"{url}{path}").status_code == 401
        assert httpx.get(f"{url}/languages").status_code == 200
        missing = httpx.post(f"{url}/v1/translate", json={"text": "Bonjour."})
        assert missing.status_code == 401 and error_of(missing)["type"] == "missing_api_key"
        wrong = httpx.post(
            f"{url}/v1/translate",
            json={"text": "Bonjour."},
            headers={"Authorization": "Bearer nope"},
        )
        assert wrong.status_code == 403 and error_of(wrong)["type"] == "invalid_api_key"
        for headers in ({"Authorization": "Bearer secret-2"}, {"X-API-Key": "secret-1"}):
            ok = httpx.post(f"{url}/v1/translate", json={"text": "Bonjour."}, headers=headers)
            assert ok.status_code == 200
        libre = httpx.post(
            f"{url}/translate",
            json={"q": "Bonjour.", "source": "fr", "target": "en", "api_key": "secret-1"},
        )
        assert libre.status_code == 200
        libre_wrong = httpx.post(f"{url}/translate", json={"q": "Bonjour.", "api_key": "x"})
        assert libre_wrong.status_code == 403


def test_not_ready_is_503(api_settings: Settings, tmp_path: Path) -> None:
    missing = api_settings.model_copy(
        update={"translation_model": "Org/missing-model", "models_dir": tmp_path}
    )
    with LiveServer(missing, wait_ready=False) as url:
        assert httpx.get(f"{url}/healthz").status_code == 200
        ready = httpx.get(f"{url}/readyz")
        assert ready.status_code == 503 and "Retry-After" in ready.headers
        response = httpx.post(f"{url}/v1/translate", json={"text": "Bonjour."})
        assert response.status_code == 503 and error_of(response)["type"] == "not_ready"


def test_a_broken_model_is_503_without_internals(api_settings: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text("{ not json")
    settings = api_settings.model_copy(update={"translation_model": str(broken)})
    server = LiveServer(settings, wait_ready=False)
    with server as url:
        wait_for(lambda: server.services.error is not None)  # the load has failed
        response = httpx.get(f"{url}/readyz")
        body = response.text
        assert response.status_code == 503 and "could not be loaded" in body
        assert str(tmp_path) not in body and "Error" not in body and "Traceback" not in body


def test_full_queue_is_429_with_retry_after(api_settings: Settings) -> None:
    slow = api_settings.model_copy(
        update={"queue_size": 1, "batch_wait_ms": 400.0, "cache_url": "none"}
    )
    with LiveServer(slow) as url, ThreadPoolExecutor(8) as pool:
        responses = list(
            pool.map(
                lambda i: httpx.post(
                    f"{url}/v1/translate", json={"text": f"Phrase numéro {i}."}, timeout=30
                ),
                range(8),
            )
        )
    statuses = sorted(r.status_code for r in responses)
    assert 200 in statuses and 429 in statuses and set(statuses) <= {200, 429}
    refused = next(r for r in responses if r.status_code == 429)
    assert refused.headers["Retry-After"] == "1" and error_of(refused)["type"] == "overloaded"


# 50,000 characters without punctuation.
LONG = " ".join(["le maire de lyon a présenté un budget"] * 1400)[:50_000]


def test_long_input_without_punctuation_within_the_deadline(api_settings: Settings) -> None:
    text = LONG
    strict = api_settings.model_copy(update={"request_timeout_s": 5.0, "cache_url": "none"})
    with LiveServer(strict) as url:
        response = httpx.post(f"{url}/v1/translate", json={"text": text}, timeout=60)
        # Answered: translated whole, or stopped at the deadline; never a hang or a 500.
        assert response.status_code in (200, 413, 503)
        if response.status_code == 503:
            assert error_of(response)["type"] == "deadline_exceeded"
        after = httpx.post(f"{url}/v1/translate", json={"text": "Le maire a parlé."}, timeout=60)
        assert after.status_code == 200  # the worker survived


def pieces_of(services: Services, text: str) -> int:
    """How many engine inputs the translator cuts `text` (one sentence) into."""
    runtime = services.translator.runtime
    return len(sentences.split_long(text, runtime.tokenizer.count, runtime.input_limit))


@pytest.mark.parametrize("batching", [True, False])
def test_a_request_past_its_deadline_stops_costing_the_engine(
    busy_settings: Settings, batching: bool
) -> None:
    # One batch at a time: the engine does LONG's batches in order, then the next request's.
    strict = busy_settings.model_copy(
        update={"request_timeout_s": 1.0, "batching": batching, "parallel_batches": 1}
    )
    server = LiveServer(strict)
    with server as url:
        services = server.services
        total = pieces_of(services, LONG)
        response = httpx.post(f"{url}/v1/translate", json={"text": LONG}, timeout=60)
        assert response.status_code == 503 and error_of(response)["type"] == "deadline_exceeded"
        # The next sentence, through the same engine (queue or pool) but with time to spare:
        # served behind whatever LONG left there. Without the stop, all of LONG's pieces
        # would have been computed first.
        with deadline.limit(600):
            assert services.translator.translate(["Le maire a parlé."])[0]
        assert services.translator.stats.sentences < total


def test_a_full_queue_refuses_work_before_reading_it(api_settings: Settings) -> None:
    # One batch at a time: the first request is held in the engine, the second waits; both
    # are held at the door.
    slow = api_settings.model_copy(
        update={"queue_size": 2, "parallel_batches": 1, "cache_url": "none", "batch_wait_ms": 0}
    )
    server = LiveServer(slow)
    with server as url, ThreadPoolExecutor(2) as pool:
        held = HeldEngine(server.services)
        try:
            post = lambda text: httpx.post(f"{url}/v1/translate", json={"text": text}, timeout=60)  # noqa: E731
            running = pool.submit(post, "Le maire a parlé.")
            held.wait_entered()  # the first request is in the engine
            waiting = pool.submit(post, "La ministre refuse la grève.")
            wait_for(lambda: server.services.depth() == 1)  # and the second fills the queue
            # Not JSON at all: parsing it would answer 422; the door answers first.
            refused = httpx.post(
                f"{url}/v1/translate",
                content=b"{not json",
                headers={"Content-Type": "application/json"},
            )
            assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
            assert error_of(refused)["type"] == "overloaded"
        finally:
            held.close()
        assert running.result().status_code == 200 and waiting.result().status_code == 200
        # Once the queue has room, the same bad body is read and refused for what it is.
        assert httpx.post(f"{url}/v1/translate", content=b"{not json").status_code == 422


def test_a_burst_is_counted_at_the_door(busy_settings: Settings) -> None:
    # Eight clients at once, against room for two: the queue is still empty when they all
    # arrive, so only a count kept at the door lets in exactly two.
    slow = busy_settings.model_copy(update={"queue_size": 2})
    long_text = " ".join(["le maire de lyon a présenté un budget"] * 200)
    with LiveServer(slow) as url, ThreadPoolExecutor(8) as pool:
        start = threading.Barrier(8)

        def post(_: int) -> httpx.Response:
            with httpx.Client(timeout=60) as client:
                client.get(f"{url}/healthz")  # connected before the burst
                start.wait()
                return client.post(f"{url}/v1/translate", json={"text": long_text})

        statuses = sorted(r.status_code for r in pool.map(post, range(8)))
    assert statuses == [200] * 2 + [429] * 6


def test_with_summaries_turned_off_articles_still_translate(api_settings: Settings) -> None:
    off = api_settings.model_copy(update={"summarization_model": "none", "cache_url": "none"})
    article = {"text": "*Titre*\n\nLe maire a parlé.\n", "summarize": True}
    with LiveServer(off) as url:
        summary = httpx.post(f"{url}/v1/summarize", json={"text": "The mayor spoke."})
        assert summary.status_code == 404 and "Retry-After" not in summary.headers
        assert error_of(summary)["type"] == "summaries_disabled"
        translated = httpx.post(f"{url}/v1/articles", json=article)
        assert translated.status_code == 200 and translated.json()["summary"] is None
        assert translated.json()["text"].startswith("*")
        streamed = httpx.post(f"{url}/v1/articles/stream", json=article)
        assert streamed.status_code == 200 and '"error"' not in streamed.text


def test_a_client_that_goes_away_stops_costing_the_engine(busy_settings: Settings) -> None:
    settings = busy_settings.model_copy(update={"request_timeout_s": 120.0, "parallel_batches": 1})
    server = LiveServer(settings)
    with server:
        services = server.services
        total = pieces_of(services, LONG)
        held = HeldEngine(services)
        body = json.dumps({"text": LONG}).encode()
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
                sock.sendall(
                    b"POST /v1/translate HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                    % (len(body), body)
                )
                held.wait_entered()  # its work is in the engine; the client hangs up
        finally:
            # About 5 s of work is left; the server notices the hang-up within milliseconds.
            held.close()
        after = httpx.post(
            f"{server.url}/v1/translate", json={"text": "Le maire a parlé."}, timeout=120
        )
        assert after.status_code == 200, after.text
        # Without the cancellation, all of LONG's pieces would have been computed first.
        assert services.translator.stats.sentences < total


@pytest.mark.parametrize(
    ("origins", "origin", "allowed"),
    [
        ("", "https://cms.example", None),  # the default: no CORS at all
        ("https://cms.example", "https://cms.example", "https://cms.example"),
        ("https://cms.example", "https://elsewhere.example", None),
    ],
)
def test_cors_only_for_the_origins_configured(
    api_settings: Settings, origins: str, origin: str, allowed: str | None
) -> None:
    with LiveServer(api_settings.model_copy(update={"cors_origins": origins})) as url:
        preflight = httpx.options(
            f"{url}/v1/translate",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )
        simple = httpx.get(f"{url}/healthz", headers={"Origin": origin})
    for response in (preflight, simple):
        assert response.headers.get("access-control-allow-origin") == allowed


def test_an_undeclared_method_is_405_naming_the_allowed_ones(server: str) -> None:
    response = httpx.request("TRACE", f"{server}/v1/translate")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert error_of(response)["type"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/translate", "ErrorBody"),
        ("/v1/articles", "ErrorBody"),
        ("/translate", "LibreTranslateErrorBody"),
        ("/v2/translate", "DeepLErrorBody"),
    ],
)
def test_the_error_answers_are_in_the_schema(server: str, path: str, body: str) -> None:
    operation = httpx.get(f"{server}/openapi.json").json()["paths"][path]["post"]
    for status in ("400", "401", "403", "413", "422", "429", "503"):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{body}"}


def _raise(*args: object, **kwargs: object) -> None:
    raise RuntimeError("a bug in the engine")


@pytest.mark.parametrize(
    ("path", "body", "answer"),
    [
        (
            "/v1/translate",
            {"text": "Le maire a parlé."},
            {"error": {"type": "internal_error", "message": "internal error"}},
        ),
        (
            "/translate",
            {"q": "Le maire a parlé.", "source": "fr", "target": "en"},
            {"error": "internal error"},
        ),
        (
            "/v2/translate",
            {"text": ["Le maire a parlé."], "target_lang": "EN-GB"},
            {"message": "internal error"},
        ),
    ],
)
def test_an_unexpected_error_is_a_500_that_closes_its_connection(
    api_settings: Settings,
    caplog: pytest.LogCaptureFixture,
    path: str,
    body: dict[str, object],
    answer: dict[str, object],
) -> None:
    server = LiveServer(api_settings.model_copy(update={"cache_url": "none"}))
    with server as url, httpx.Client(base_url=url, timeout=60) as client:
        assert client.get("/healthz").headers.get("connection") != "close"  # kept alive
        engine = server.services.translator.runtime.engine
        generate = engine.generate
        engine.generate = _raise  # type: ignore[method-assign]
        try:
            with caplog.at_level("ERROR"):
                failed = client.post(path, json=body)
        finally:
            engine.generate = generate  # type: ignore[method-assign]
        # In the route's dialect, with no internals, and the connection closed after it.
        assert failed.status_code == 500 and failed.json() == answer
        assert failed.headers["connection"] == "close"
        logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
        assert len(logged) == 1  # once, with its traceback, in the server's log only
        # The same client goes on: its next request (on a new connection) is served.
        assert client.post(path, json=body).status_code == 200


def test_a_client_that_leaves_in_the_middle_of_its_body_is_no_server_error(
    api_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    server = LiveServer(api_settings)
    with server as url, caplog.at_level("ERROR"):
        for path in ("/translate", "/v2/translate", "/v1/translate"):
            with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
                sock.sendall(
                    f"POST {path} HTTP/1.1\r\nHost: x\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    "Content-Length: 1000\r\n\r\nq=Le+maire+a+parl".encode()
                )
            # Counted once the server has seen the client go.
            wait_for(lambda p=path: f'route="{p}"' in httpx.get(f"{url}/metrics").text)  # type: ignore[misc]
        metrics = httpx.get(f"{url}/metrics").text
    counted = [line for line in metrics.splitlines() if line.startswith("depeche_requests_total")]
    assert not [line for line in counted if 'status="500"' in line], counted
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
