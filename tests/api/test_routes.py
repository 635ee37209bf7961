from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from depeche.api.app import create_app
from depeche.api.v1.articles import article_json
from depeche.api.v1.schemas import (
    ArticleResponse,
    FlagOut,
    TranslateResponse,
)
from depeche.config import Settings
from depeche.results import ArticleResult, Block, Segment, Summary
from depeche.summarizer import Summarizer
from depeche.translator import Translator
from pydantic import BaseModel

from tests.corpus import french_sentences

ARTICLE = (
    "# *Le conseil vote le budget*\n\n---\n\n**Photo de la mairie**\n\n"
    "Le maire de Lyon a présenté un budget de 25 000 euros. La ministre refuse la grève.\n\n"
    "Un agriculteur du Gers conteste la vente des terrains.\n"
)


def test_translate_one_text_then_a_cache_hit(server: str, reference: Translator) -> None:
    text = "Le tribunal de Nantes examine le rapport annuel."
    first = httpx.post(f"{server}/v1/translate", json={"text": text})
    assert first.status_code == 200
    body = first.json()
    assert body["translations"][0]["text"] == reference.translate([text])[0]
    assert body["translations"][0]["segments"][0]["source"] == text
    # The model's folder name: no answer shows the server's paths.
    assert body["model"] == Path(reference.settings.translation_model).name
    assert "/" not in body["model"]
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
        reference.translate_article(t, "markdown").text for t in texts
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
    assert body["text"] == reference.translate_article(ARTICLE, "markdown").text
    assert body["title"] and "*" not in body["title"]
    assert isinstance(body["summary"], str)
    sentences = body["summary_sentences"]
    assert " ".join(s["text"] for s in sentences) == " ".join(body["summary"].split())
    assert all(0 <= i < len(body["segments"]) for s in sentences for i in s["segments"])
    assert all(isinstance(s["score"], float) for s in body["segments"] if not s["flags"])
    assert {f["where"] for f in body["flags"]} <= {"segment", "summary"}
    assert all(
        0 <= f["segment"] < len(body["segments"]) for f in body["flags"] if f["where"] == "segment"
    )
    without = httpx.post(f"{server}/v1/articles", json={"text": ARTICLE, "summarize": False})
    assert without.json()["summary"] is None and without.json()["summary_sentences"] is None


GLOSSARY = {"maire": "mayor", "budget": "spending plan"}
ANSWERS = [
    ("/v1/translate", TranslateResponse, {"text": "Le préfet suspend la vente."}),
    ("/v1/translate", TranslateResponse, {"text": ["Le maire de Lyon.", ""], "format": "html"}),
    ("/v1/translate", TranslateResponse, {"text": ARTICLE, "glossary": GLOSSARY}),
    ("/v1/articles", ArticleResponse, {"text": ARTICLE}),
    ("/v1/articles", ArticleResponse, {"text": ARTICLE, "summarize": False}),
    ("/v1/articles", ArticleResponse, {"text": ARTICLE, "glossary": GLOSSARY}),
    ("/v1/articles", ArticleResponse, {"text": "<h1>Le budget</h1><p>Le maire vote.</p>"}),
]


@pytest.mark.parametrize(("path", "model", "request_body"), ANSWERS)
def test_answer_is_what_its_model_documents(
    server: str, path: str, model: type[BaseModel], request_body: dict[str, Any]
) -> None:
    """The route writes its JSON itself, in the thread pool: the first answer and the cache's
    are each exactly what its response model documents (every field, nulls included, nothing
    more), and the same."""
    answers = [httpx.post(f"{server}{path}", json=request_body) for _ in range(2)]
    assert answers[1].headers["X-Cache"] == "hit"
    for response in answers:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert model.model_validate(body).model_dump(mode="json") == body
    assert answers[0].json() == answers[1].json()


def _article(
    summary: Summary | None, segment_flags: list[str], score: float | None = -0.5
) -> ArticleResult:
    source = "Le maire vote."
    block = Block("paragraph", 0, len(source), ((0, len(source)),))
    segment = Segment(source, "The mayor votes.", 0, 0, len(source), segment_flags, score=score)
    return ArticleResult("The mayor votes.", [block], [segment], summary, format="text")


@pytest.mark.parametrize(
    "result",
    [
        _article(Summary("The mayor votes.", ["unsupported_number"]), ["names"]),
        _article(Summary("The mayor votes.", [], sentences=[]), []),
        _article(None, ["length_ratio", "names"], score=None),
        _article(None, [], score=float("-inf")),
        _article(None, [], score=float("nan")),
    ],
)
def test_article_json_is_what_its_model_writes(result: ArticleResult) -> None:
    """Every field the model documents, nulls included (a summary's flag on no segment, a
    score that is no number), nothing more."""
    body = json.loads(article_json(result))
    assert body == json.loads(ArticleResponse.model_validate(result.to_dict()).model_dump_json())
    assert set(body) == set(ArticleResponse.model_fields)
    assert all(set(f) == set(FlagOut.model_fields) for f in body["flags"])
    assert [f["flag"] for f in body["flags"]] == [
        *result.segments[0].flags,
        *(result.summary.flags if result.summary else []),
    ]


LONG_ARTICLE = "\n\n".join(" ".join(french_sentences()[i : i + 4]) for i in range(10, 50, 4))


@pytest.mark.parametrize(
    ("lengths", "status"),
    [
        ({"max_words": 12}, 200),
        ({"min_words": 1000}, 200),
        ({"max_words": 12, "min_words": 5}, 200),
        # The bounds of /v1/summarize.
        ({"max_words": 4}, 422),
        ({"max_words": 2001}, 422),
        ({"min_words": 0}, 422),
        ({"min_words": 2001}, 422),
    ],
)
def test_article_summary_lengths(
    server: str,
    reference: Translator,
    summarizer: Summarizer,
    lengths: dict[str, int],
    status: int,
) -> None:
    response = httpx.post(f"{server}/v1/articles", json={"text": LONG_ARTICLE, **lengths})
    assert response.status_code == status
    if status != 200:
        return
    result = reference.translate_article(LONG_ARTICLE, "markdown")
    summarizer.summarize_articles([result])
    unbounded = result.summary
    summarizer.summarize_articles([result], lengths.get("max_words"), lengths.get("min_words"))
    assert result.summary is not None and unbounded is not None
    assert result.summary.text != unbounded.text  # the lengths change it: they must arrive
    assert response.json()["summary"] == result.summary.text
    # The schema documents them as /v1/summarize does.
    schemas = httpx.get(f"{server}/openapi.json").json()["components"]["schemas"]
    for field in ("max_words", "min_words"):
        assert (
            schemas["ArticleRequest"]["properties"][field]
            == (schemas["SummarizeRequest"]["properties"][field])
        )


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
    count = _metric(metrics, 'depeche_batch_sentences_count{role="translation"}')
    total = _metric(metrics, 'depeche_batch_sentences_sum{role="translation"}')
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


@pytest.mark.parametrize(
    ("method", "path", "label", "status"),
    [
        ("POST", "/v1/translate", "/v1/translate", "200"),
        ("POST", "/translate", "/translate", "200"),
        ("GET", "/v1/models", "/v1/models", "200"),
        ("GET", "/static/app.js", "/static", "200"),
        ("GET", "/no/such/page", "other", "404"),
    ],
)
def test_metrics_label_each_route_by_its_template(
    server: str, method: str, path: str, label: str, status: str
) -> None:
    name = f'depeche_requests_total{{route="{label}",status="{status}"}}'
    before = _metric_or_zero(httpx.get(f"{server}/metrics").text, name)
    body = (
        {"text": "Le maire a parlé."}
        if path == "/v1/translate"
        else {"q": "Il pleut.", "source": "fr", "target": "en"}
    )
    sent = httpx.request(method, f"{server}{path}", json=body if method == "POST" else None)
    assert str(sent.status_code) == status
    assert _metric(httpx.get(f"{server}/metrics").text, name) == before + 1


def _metric_or_zero(text: str, name: str) -> float:
    try:
        return _metric(text, name)
    except AssertionError:
        return 0.0


def test_every_route_that_takes_work_is_counted_at_the_door(api_settings: Settings) -> None:
    app = create_app(api_settings)
    admitted = {path for _, door, path in app.state.doors.routes if door.engine}
    schema = app.openapi()["paths"]
    posted = {path for path, operations in schema.items() if "post" in operations}
    # Every POST route runs an engine but these (the store's, the document downloads', the
    # editor's page's layout, and the jobs', which answer at once: the job workers run them);
    # a new one whose door does not say it runs an engine fails here.
    modelless = {
        "/detect",
        "/v2/languages",
        "/v2/usage",
        "/v2/glossaries",
        "/v3/glossaries",
        "/v2/document/{document_id}",
        "/v2/document/{document_id}/result",
        "/suggest",
        "/v1/memory",
        "/v1/memory/suggestions/{suggestion_id}/approve",
        "/v1/jobs",
        "/v1/render",
    }
    assert admitted == posted - modelless
    assert {"/v1/translate", "/v1/articles/stream", "/translate", "/v2/translate"} <= admitted
