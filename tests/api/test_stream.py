from __future__ import annotations

import json

import httpx

ARTICLE = (
    "# *Le conseil vote le budget*\n\n---\n\n"
    + "\n\n".join(
        f"Le maire de {city} a présenté le budget. La ministre refuse la grève."
        for city in ("Lyon", "Nantes", "Lille", "Brest", "Nice", "Metz")
    )
    + "\n"
)


def events(server: str, text: str, summarize: bool = True, **lengths: int) -> list[dict]:
    with httpx.stream(
        "POST",
        f"{server}/v1/articles/stream",
        timeout=120,
        json={"text": text, "summarize": summarize, **lengths},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        return [json.loads(line) for line in response.iter_lines() if line.strip()]


def test_stream_gives_what_articles_gives(server: str) -> None:
    streamed = events(server, ARTICLE)
    kinds = [e["type"] for e in streamed]
    assert kinds[0] == "blocks" and kinds[-2:] == ["summary", "done"]
    assert kinds.count("segments") >= 2  # progress: segments arrive in several groups
    whole = httpx.post(f"{server}/v1/articles", json={"text": ARTICLE}, timeout=120).json()
    segments = [s for e in streamed if e["type"] == "segments" for s in e["segments"]]
    assert segments == whole["segments"]
    # The last line is the whole article, in the shape of /v1/articles.
    assert streamed[-1]["article"] == whole
    summary = streamed[-2]
    assert (summary["summary"], summary["sentences"]) == (
        whole["summary"],
        whole["summary_sentences"],
    )
    assert summary["sentences"] and all("segments" in s for s in summary["sentences"])
    assert [{k: v for k, v in b.items() if k != "source"} for b in streamed[0]["blocks"]] == whole[
        "blocks"
    ]
    assert streamed[0]["blocks"][0]["source"] == "# *Le conseil vote le budget*"


def test_stream_takes_the_summary_lengths(server: str) -> None:
    streamed = events(server, ARTICLE, max_words=12)
    whole = httpx.post(f"{server}/v1/articles", json={"text": ARTICLE, "max_words": 12}).json()
    unbounded = httpx.post(f"{server}/v1/articles", json={"text": ARTICLE}).json()
    assert streamed[-2]["summary"] == whole["summary"] != unbounded["summary"]


def test_stream_from_the_cache(server: str) -> None:
    first = events(server, ARTICLE, summarize=False)
    again = events(server, ARTICLE, summarize=False)
    assert again[-1] == first[-1]
    assert [s for e in again if e["type"] == "segments" for s in e["segments"]] == [
        s for e in first if e["type"] == "segments" for s in e["segments"]
    ]


def test_nesting_deeper_than_read_is_flagged_not_an_error(server: str) -> None:
    """1,000 nested spans (29 KB) are kept as written and flagged, in the stream and whole."""
    text = "<p>Le maire parle. " + "<span>" * 1000 + "Il pleut." + "</span>" * 1000 + "</p>"
    streamed = events(server, text, summarize=False)
    assert [e["type"] for e in streamed][-1] == "done", streamed[-1]
    whole = httpx.post(f"{server}/v1/articles", json={"text": text, "format": "html"}, timeout=120)
    assert whole.status_code == 200
    deep = whole.json()["segments"][-1]
    assert deep["flags"] == ["untranslated"] and deep["reason"]
    assert whole.json()["text"].endswith("<span>" * 1000 + "Il pleut." + "</span>" * 1000 + "</p>")
