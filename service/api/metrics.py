"""Prometheus metrics: requests, latency, batch sizes, queue depth, cache hits and faults,
jobs by state, callback attempts, feed polls and the entries they found."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from ..cache import Cache
from ..errors import StoreUnavailableError

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class _CacheCollector(Collector):
    def __init__(self, caches: Callable[[], list[Cache]]) -> None:
        self.caches = caches

    def collect(self) -> Iterator[CounterMetricFamily]:
        caches = self.caches()
        for name, attribute in (("hits", "hits"), ("misses", "misses"), ("errors", "errors")):
            family = CounterMetricFamily(f"depeche_cache_{name}", f"Cache {name}")
            family.add_metric([], sum(getattr(c, attribute) for c in caches))
            yield family


class _JobsCollector(Collector):
    """Jobs in the store by state, read when scraped (the same figures on every replica)."""

    def __init__(self, counts: Callable[[], dict[str, int]]) -> None:
        self.counts = counts

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            counts = self.counts()
        except StoreUnavailableError:
            return  # no figure rather than a wrong one
        family = GaugeMetricFamily("depeche_jobs", "Jobs in the store, by state", labels=["state"])
        for state, count in counts.items():
            family.add_metric([state], count)
        yield family


class Metrics:
    """The service's metrics, on a registry of their own (one per app); `jobs` gives the
    store's count of jobs by state."""

    def __init__(
        self,
        caches: Callable[[], list[Cache]],
        depth: Callable[[], int],
        jobs: Callable[[], dict[str, int]] | None = None,
    ) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "depeche_requests", "HTTP requests", ["route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "depeche_request_seconds",
            "Request latency",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.batch_sentences = Histogram(
            "depeche_batch_sentences",
            "Sentences per engine batch",
            ["role"],
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )
        queue = Gauge(
            "depeche_queue_depth", "Requests waiting for an engine", registry=self.registry
        )
        queue.set_function(lambda: float(depth()))
        self.registry.register(_CacheCollector(caches))
        if jobs is not None:
            self.registry.register(_JobsCollector(jobs))
        self.jobs_finished = Counter(
            "depeche_jobs_finished",
            "Jobs this process finished, by state",
            ["state"],
            registry=self.registry,
        )
        self.webhook_attempts = Counter(
            "depeche_webhook_attempts",
            "Callback attempts, by outcome (delivered, failed)",
            ["outcome"],
            registry=self.registry,
        )
        self.feed_polls = Counter(
            "depeche_feed_polls",
            "Feed polls, by feed and outcome (new, unchanged, not_modified, failed)",
            ["feed", "outcome"],
            registry=self.registry,
        )
        self.feed_new_items = Counter(
            "depeche_feed_new_items",
            "Feed entries translated, by feed",
            ["feed"],
            registry=self.registry,
        )
