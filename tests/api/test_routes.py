from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from depeche.config import Settings
from depeche.translator import Translator

ARTICLE = (
    "# *Le conseil vote le budget*\n\n---\n\n**Photo de la mairie**\n\n"
    "Le maire de Lyon a présenté un budget de 25 000 euros. La ministre refuse la grève.\n\n"
    "Un agriculteur du Gers conteste la vente des terrains.\n"
)


@pytest.fixture(scope="module")
def reference(api_settings: Settings) -> Translator:
    return Translator(api_settings, cache_url="none")


def test_translate_one_text_then_a_cache_hit(server: str, reference: Translator) -> None:
    text = "Le tribunal de Nantes examine le rapport annuel."
    first = httpx.post(f"{server}/v1/translate", json={"text": text})
    assert first.status_code == 200
    body = first.json()
    assert body["translations"][0]["text"] == reference.translate([text])[0]
    assert body["translations"][0]["segments"][0]["source"] == text
    assert body["model"] == reference.settings.translation_model
    assert first.headers["X-Cache"] == "miss"
    second = httpx.post(f"{server}/v1/translate", json={"text": text})
    assert second.headers["X-Cache"] == "hit" and second.json() == body


def test_translate_a_list_in_request_order(server: str, reference: Translator) -> None:
    texts = [
        "Une association locale organise le festival d'été.",
        "",
        "Le préfet suspend la vente.",
    ]
    response = httpx.post(f"{server}/v1/translate", json={"text": texts, "format": "markdown"})
    assert [t["text"] for t in response.json()["translations"]] == [
        reference.translate_document(t, "markdown").text for t in texts
    ]


def test_partial_cache_state(server: str) -> None:
    base = "La banque centrale suspend une hausse des salaires. Le club prépare le festival."
    httpx.post(f"{server}/v1/translate", json={"text": base})
    edited = base.replace("festival", "tournoi")
    assert (
        httpx.post(f"{server}/v1/translate", json={"text": edited}).headers["X-Cache"] == "partial"
    )


def test_article_with_title_summary_and_flags(server: str, reference: Translator) -> None:
    response = httpx.post(f"{server}/v1/articles", json={"text": ARTICLE})
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == reference.translate_document(ARTICLE, "markdown").text
    assert body["title"] and "*" not in body["title"]
    assert isinstance(body["summary"], str)
    assert {f["where"] for f in body["flags"]} <= {"segment", "summary"}
    assert all(
        0 <= f["segment"] < len(body["segments"]) for f in body["flags"] if f["where"] == "segment"
    )
    without = httpx.post(f"{server}/v1/articles", json={"text": ARTICLE, "summarize": False})
    assert without.json()["summary"] is None


@pytest.mark.parametrize("source_lang", ["en", "fr"])
def test_summarize(server: str, source_lang: str) -> None:
    text = " ".join(["The council approved the budget after a long debate."] * 40)
    if source_lang == "fr":
        text = " ".join(["Le conseil a approuvé le budget après un long débat."] * 40)
    response = httpx.post(
        f"{server}/v1/summarize", json={"text": text, "source_lang": source_lang, "max_words": 30}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"summary", "flags", "model"} and body["summary"]
    assert response.headers["X-Cache"] in ("hit", "miss", "partial")


def test_concurrent_clients_share_batches(server: str, reference: Translator) -> None:
    texts = [f"Le maire de Lyon a présenté le budget numéro {i}." for i in range(32)]
    with httpx.Client() as client, ThreadPoolExecutor(16) as pool:
        responses = list(
            pool.map(lambda t: client.post(f"{server}/v1/translate", json={"text": t}), texts)
        )
    assert all(r.status_code == 200 for r in responses)
    assert [r.json()["translations"][0]["text"] for r in responses] == reference.translate(texts)
    metrics = httpx.get(f"{server}/metrics").text
    count = _metric(metrics, 'depeche_batch_sentences_count{engine="translation"}')
    total = _metric(metrics, 'depeche_batch_sentences_sum{engine="translation"}')
    assert total / count > 1  # some batches held several requests' sentences


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in the metrics")


def test_operations_endpoints(server: str) -> None:
    assert httpx.get(f"{server}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{server}/readyz").json() == {"status": "ready"}
    models = httpx.get(f"{server}/v1/models").json()["models"]
    assert [m["role"] for m in models] == ["translation", "summarization"]
    assert httpx.get(f"{server}/docs").status_code == 200
    metrics = httpx.get(f"{server}/metrics").text
    for name in (
        "depeche_requests_total",
        "depeche_request_seconds_bucket",
        "depeche_queue_depth",
        "depeche_cache_hits_total",
        "depeche_cache_errors_total",
    ):
        assert name in metrics
