"""Backends for folder runs: the models in this process, or a depeche service over HTTP."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .article import english_text
from .blocks import Format
from .document import Block, Segment, TranslatedDocument
from .errors import DepecheError
from .summarizer import Summarizer, Summary
from .translator import Translator


class LocalBackend:
    """Translate with the models of this process; articles of a group share engine batches."""

    def __init__(self, translator: Translator, summarizer: Summarizer | None = None) -> None:
        self.translator = translator
        self.summarizer = summarizer

    def fingerprint(self) -> str:
        parts: list[Any] = [self.translator.runtime.context]
        if self.summarizer is not None:
            parts.append(self.summarizer.runtime.context)
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def process(
        self, texts: Sequence[str], formats: Sequence[Format], summarize: bool
    ) -> list[tuple[TranslatedDocument, Summary | None]]:
        documents: list[TranslatedDocument | None] = [None] * len(texts)
        for format in dict.fromkeys(formats):
            indices = [i for i, f in enumerate(formats) if f == format]
            done = self.translator.translate_documents([texts[i] for i in indices], format)
            for index, document in zip(indices, done, strict=True):
                documents[index] = document
        ready = [d for d in documents if d is not None]
        summaries: list[Summary | None] = [None] * len(ready)
        if summarize and self.summarizer is not None:
            summaries = list(self.summarizer.summarize_many([english_text(d) for d in ready]))
        return list(zip(ready, summaries, strict=True))


class RemoteBackend:
    """Send each article to a depeche service's `/v1/articles`, `concurrency` at a time, so
    that a folder can be spread over replicas behind a load balancer."""

    def __init__(
        self, url: str, concurrency: int = 4, api_key: str | None = None, timeout: float = 600
    ) -> None:
        import httpx

        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout)
        self.concurrency = concurrency

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        import httpx

        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise DepecheError(f"{self.client.base_url}: {exc}") from None
        if response.status_code != 200:
            try:
                message = response.json()["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = response.text[:200]
            raise DepecheError(f"{self.client.base_url}{path}: {response.status_code} {message}")
        return response.json()

    def fingerprint(self) -> str:
        models = self._call("GET", "/v1/models")
        return hashlib.sha256(json.dumps(models, sort_keys=True).encode()).hexdigest()

    def process(
        self, texts: Sequence[str], formats: Sequence[Format], summarize: bool
    ) -> list[tuple[TranslatedDocument, Summary | None]]:
        def one(text: str, format: Format) -> tuple[TranslatedDocument, Summary | None]:
            body = self._call(
                "POST",
                "/v1/articles",
                json={"text": text, "format": format, "summarize": summarize},
            )
            document = TranslatedDocument(
                body["text"],
                [Block(b["kind"], 0, 0) for b in body.get("blocks", [])],
                [Segment(**s) for s in body["segments"]],
            )
            summary = None
            if body.get("summary") is not None:
                flags = [f["flag"] for f in body["flags"] if f["where"] == "summary"]
                summary = Summary(body["summary"], flags)
            return document, summary

        with ThreadPoolExecutor(self.concurrency) as pool:
            return list(pool.map(one, texts, formats))
