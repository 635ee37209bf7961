"""Editors' corrections over HTTP: /v1/memory and LibreTranslate's /suggest."""

from __future__ import annotations

import httpx
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


def test_libretranslate_suggest(server: str) -> None:
    assert httpx.get(f"{server}/frontend/settings").json()["suggestions"] is True
    answer = httpx.post(
        f"{server}/suggest", data={"q": SENTENCE, "s": FIXED, "source": "fr", "target": "en"}
    )
    assert answer.json() == {"success": True}
    translated = httpx.post(
        f"{server}/translate", data={"q": SENTENCE, "source": "fr", "target": "en"}
    )
    assert translated.json()["translatedText"] == FIXED
    empty = httpx.post(f"{server}/suggest", data={"q": SENTENCE, "s": " "})
    assert empty.status_code == 400 and "error" in empty.json()
    httpx.request("DELETE", f"{server}/v1/memory", json={"sources": [SENTENCE]})
