"""Editors' corrections over HTTP: /v1/memory and LibreTranslate's /suggest."""

from __future__ import annotations

import json

import httpx
import pytest
from depeche.config import Settings

from tests.api.live import LiveServer

SENTENCE = "La ministre de la Culture refuse la grève."
FIXED = "The Culture minister rejects the strike."


def test_v1_memory_write_read_delete(api_settings: Settings) -> None:
    keyed = api_settings.model_copy(update={"api_keys": "secret"})
    auth = {"Authorization": "Bearer secret"}
    with LiveServer(keyed) as url:
        model = httpx.post(f"{url}/v1/translate", json={"text": SENTENCE}, headers=auth).json()
        entry = {"source": SENTENCE, "translation": FIXED}
        refused = httpx.post(f"{url}/v1/memory", json={"entries": [entry]})
        assert refused.status_code == 401
        written = httpx.post(f"{url}/v1/memory", json={"entries": [entry]}, headers=auth)
        assert written.status_code == 200
        assert written.json()["entries"][0]["who"].startswith("key-")
        answer = httpx.post(f"{url}/v1/translate", json={"text": SENTENCE}, headers=auth).json()
        segment = answer["translations"][0]["segments"][0]
        assert (segment["translation"], segment["memory"]) == (FIXED, "approved")
        listed = httpx.get(f"{url}/v1/memory", headers=auth).json()["entries"]
        assert [(e["source"], e["translation"]) for e in listed] == [(SENTENCE, FIXED)]
        # What GET lists, POST takes back as it is (one field name for the English).
        again = httpx.post(f"{url}/v1/memory", json={"entries": listed}, headers=auth)
        assert again.status_code == 200 and again.json()["entries"][0]["translation"] == FIXED
        deleted = httpx.request(
            "DELETE", f"{url}/v1/memory", json={"sources": [SENTENCE]}, headers=auth
        )
        assert deleted.json() == {"deleted": 1}
        again = httpx.post(f"{url}/v1/translate", json={"text": SENTENCE}, headers=auth).json()
        assert again["translations"][0]["text"] == model["translations"][0]["text"]


SCRIPT = "<script>alert(1)</script> The minister refuses."
PAIR = {"source": "fr", "target": "en"}


def pending(server: str, source: str) -> list[dict[str, str]]:
    """The suggestions of `source` waiting for review (other tests' are there too)."""
    found = httpx.get(f"{server}/v1/memory/suggestions").json()["suggestions"]
    return [s for s in found if s["source"] == source]


def approved(server: str) -> list[tuple[str, str]]:
    entries = httpx.get(f"{server}/v1/memory").json()["entries"]
    return [(e["source"], e["translation"]) for e in entries]


def test_a_suggestion_is_used_only_once_an_editor_approves_it(server: str) -> None:
    assert httpx.get(f"{server}/frontend/settings").json()["suggestions"] is True

    def answers() -> dict[str, str]:
        libre = {"q": SENTENCE, **PAIR}
        deepl = {"text": SENTENCE, "target_lang": "EN-GB"}
        html = {"text": f"<p>{SENTENCE}</p>", "target_lang": "EN-GB", "tag_handling": "html"}
        return {
            "text": httpx.post(f"{server}/translate", data=libre).json()["translatedText"],
            "html": httpx.post(f"{server}/translate", data={**libre, "format": "html"}).json()[
                "translatedText"
            ],
            "deepl": httpx.post(f"{server}/v2/translate", data=deepl).json()["translations"][0][
                "text"
            ],
            "deepl-html": httpx.post(f"{server}/v2/translate", data=html).json()["translations"][0][
                "text"
            ],
        }

    model = answers()
    suggested = httpx.post(f"{server}/suggest", data={"q": SENTENCE, "s": SCRIPT, **PAIR})
    assert suggested.json() == {"success": True}
    assert answers() == model  # pending: used nowhere
    assert SENTENCE not in [source for source, _ in approved(server)]
    [waiting] = pending(server, SENTENCE)
    assert (waiting["translation"], waiting["who"]) == (SCRIPT, "anonymous")

    done = httpx.post(f"{server}/v1/memory/suggestions/{waiting['id']}/approve")
    assert [(e["source"], e["translation"]) for e in done.json()["entries"]] == [(SENTENCE, SCRIPT)]
    after = answers()
    assert after["text"] == after["deepl"] == SCRIPT  # plain text: the approved English
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; The minister refuses."
    assert after["html"] == escaped
    assert after["deepl-html"] == f"<p>{escaped}</p>"
    assert pending(server, SENTENCE) == []
    again = httpx.post(f"{server}/v1/memory/suggestions/{waiting['id']}/approve")
    assert again.status_code == 404
    httpx.request("DELETE", f"{server}/v1/memory", json={"sources": [SENTENCE]})
    assert answers() == model


def test_a_rejected_suggestion_is_never_used(server: str) -> None:
    httpx.post(f"{server}/suggest", json={"q": SENTENCE, "s": FIXED, **PAIR})
    [waiting] = pending(server, SENTENCE)
    rejected = httpx.delete(f"{server}/v1/memory/suggestions/{waiting['id']}")
    assert rejected.json() == {"rejected": True}
    assert pending(server, SENTENCE) == []
    assert httpx.delete(f"{server}/v1/memory/suggestions/{waiting['id']}").status_code == 404
    translated = httpx.post(f"{server}/translate", json={"q": SENTENCE, **PAIR})
    assert translated.json()["translatedText"] != FIXED


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/suggest", {"q": SENTENCE, "s": " ", **PAIR}),
        ("/suggest", {"q": SENTENCE, "s": "\ud800", **PAIR}),
        ("/suggest", {"q": "\ud800", "s": FIXED, **PAIR}),
        ("/v1/memory", {"entries": [{"source": SENTENCE, "translation": "a\ud800"}]}),
        ("/v1/memory", {"entries": [{"source": "\udfff", "translation": FIXED}]}),
    ],
)
def test_what_cannot_be_stored_is_a_4xx_and_nothing_is_stored(
    server: str, route: str, body: dict[str, object]
) -> None:
    before = approved(server), httpx.get(f"{server}/v1/memory/suggestions").json()
    raw = json.dumps(body)  # a lone surrogate is sent as JSON escapes it: "\\ud800"
    answer = httpx.post(
        f"{server}{route}", content=raw, headers={"Content-Type": "application/json"}
    )
    # 422 where the route's schema reads the body: its JSON parser refuses them first.
    assert answer.status_code in (400, 422), answer.text
    assert (approved(server), httpx.get(f"{server}/v1/memory/suggestions").json()) == before
