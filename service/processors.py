"""Who translates a folder's articles: the models in this process, or a depeche service over
HTTP (`--server`)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, cast

from .errors import DepecheError
from .formats import DocumentFormat, takes_summary
from .glossary import Glossary
from .results import ArticleResult
from .summarizer import Summarizer
from .translator import Translator

log = logging.getLogger(__name__)

# Answers that mean "busy, ask again later": the server says when in Retry-After.
RETRYABLE = (429, 503)


class LocalProcessor:
    """Translate with the models of this process; articles of a group share engine batches."""

    def __init__(self, translator: Translator, summarizer: Summarizer | None = None) -> None:
        self.translator = translator
        self.summarizer = summarizer

    def fingerprint(self) -> str:
        """Everything about the models and settings that changes the output."""
        glossary = self.translator.default_glossary
        parts: list[Any] = [self.translator.runtime.context, glossary and glossary.digest]
        if self.summarizer is not None:
            parts.append(self.summarizer.runtime.context)
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def process(
        self,
        texts: Sequence[str],
        formats: Sequence[DocumentFormat],
        summarize: bool,
        max_words: int | None = None,
        min_words: int | None = None,
    ) -> list[ArticleResult | DepecheError]:
        """Translate (and summarize, `max_words` and `min_words` long) articles, in order; an
        article that fails (a news item
        that is not well-formed, an input the engine raises on) is the error that says why,
        the others go on."""
        results: list[ArticleResult | DepecheError] = [DepecheError()] * len(texts)
        for format in dict.fromkeys(formats):
            indices = [i for i, f in enumerate(formats) if f == format]
            done = self._translate([texts[i] for i in indices], format)
            for index, result in zip(indices, done, strict=True):
                results[index] = result
        if summarize and self.summarizer is not None:
            wanted = [
                i
                for i, r in enumerate(results)
                if isinstance(r, ArticleResult) and takes_summary(r.format)
            ]
            ready = [cast(ArticleResult, results[i]) for i in wanted]
            summarized = self._summarize(ready, max_words, min_words)
            for index, result in zip(wanted, summarized, strict=True):
                results[index] = result
        return results

    def _translate(
        self, texts: Sequence[str], format: DocumentFormat
    ) -> list[ArticleResult | DepecheError]:
        """Together (their sentences share engine batches); when that fails, each alone, so
        that the article that failed fails alone."""
        try:
            return [*self.translator.translate_articles(texts, format)]
        except Exception:  # which article failed, and why, is found translating each alone
            return [_alone(partial(self.translator.translate_article, t, format)) for t in texts]

    def _summarize(
        self, results: list[ArticleResult], max_words: int | None, min_words: int | None
    ) -> list[ArticleResult | DepecheError]:
        """Summaries set on `results` together; when that fails, each alone: an article whose
        summary fails is the error that says why."""
        assert self.summarizer is not None
        try:
            self.summarizer.summarize_articles(results, max_words, min_words)
            return [*results]
        except Exception:
            alone = partial(self._summarize_one, max_words=max_words, min_words=min_words)
            return [_alone(partial(alone, result)) for result in results]

    def _summarize_one(
        self, result: ArticleResult, max_words: int | None, min_words: int | None
    ) -> ArticleResult:
        assert self.summarizer is not None
        self.summarizer.summarize_articles([result], max_words, min_words)
        return result


def _alone(work: Callable[[], ArticleResult]) -> ArticleResult | DepecheError:
    """What `work` makes of one article, or the error that says why it could not: a depeche
    error as it is, anything else (an engine raising on this input) logged and described."""
    try:
        return work()
    except DepecheError as exc:
        return exc
    except Exception as exc:
        log.exception("an article failed")
        return DepecheError(f"{type(exc).__name__}: {exc}")


class RemoteProcessor:
    """Send each article to a depeche service's `/v1/articles`, `concurrency` at a time, so
    that a folder can be spread over replicas behind a load balancer.

    `glossary` goes with each article. A busy server (429, 503) is asked again after the
    seconds its `Retry-After` gives (or an exponential backoff without one), at most
    `retries` times; only then does the article count as failed.
    """

    def __init__(
        self,
        url: str,
        concurrency: int = 4,
        api_key: str | None = None,
        timeout: float = 600,
        retries: int = 6,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        glossary: Glossary | None = None,
    ) -> None:
        import httpx

        self.glossary = glossary
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout)
        self.concurrency = concurrency
        self.retries = retries
        self.max_wait = max_wait
        self.sleep = sleep

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        import httpx

        for attempt in range(self.retries + 1):
            try:
                response = self.client.request(method, path, **kwargs)
            except httpx.HTTPError as exc:
                raise DepecheError(f"{self.client.base_url}: {exc}") from None
            if response.status_code in RETRYABLE and attempt < self.retries:
                wait = self._wait(response.headers.get("Retry-After"), attempt)
                log.info(
                    "%s%s: %s, again in %.1f s",
                    self.client.base_url,
                    path,
                    response.status_code,
                    wait,
                )
                self.sleep(wait)
                continue
            break
        if response.status_code != 200:
            try:
                message = response.json()["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = response.text[:200]
            raise DepecheError(f"{self.client.base_url}{path}: {response.status_code} {message}")
        return response.json()

    def _wait(self, retry_after: str | None, attempt: int) -> float:
        """Seconds to wait: what the server asked for, else 1, 2, 4... seconds; capped."""
        try:
            asked = float(retry_after) if retry_after is not None else None
        except ValueError:  # an HTTP date: not what depeche sends; back off instead
            asked = None
        return min(self.max_wait, asked if asked is not None and asked >= 0 else 2.0**attempt)

    def fingerprint(self) -> str:
        """The server's models and settings, as `/v1/models` describes them."""
        models = self._call("GET", "/v1/models")
        parts = [models, self.glossary and self.glossary.digest]
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def process(
        self,
        texts: Sequence[str],
        formats: Sequence[DocumentFormat],
        summarize: bool,
        max_words: int | None = None,
        min_words: int | None = None,
    ) -> list[ArticleResult | DepecheError]:
        """Translate (and summarize, `max_words` and `min_words` long) articles on the server,
        in order; an article the server did not translate, even after retries, is the error
        that says why."""
        asked: dict[str, Any] = {
            "summarize": summarize,
            "glossary": dict(self.glossary.entries) if self.glossary else None,
        }
        # Only when given: a server that does not know them answers as without them.
        lengths = {"max_words": max_words, "min_words": min_words}
        asked.update({name: words for name, words in lengths.items() if words is not None})
        bodies = [{"text": t, "format": f, **asked} for t, f in zip(texts, formats, strict=True)]
        with ThreadPoolExecutor(self.concurrency) as pool:
            return list(pool.map(self._article, bodies))

    def _article(self, body: dict[str, Any]) -> ArticleResult | DepecheError:
        """One article translated on the server, or the error that says why not (the others
        go on)."""
        try:
            answer = self._call("POST", "/v1/articles", json=body)
        except DepecheError as exc:
            return exc
        return ArticleResult.from_dict(answer, cache="miss")
