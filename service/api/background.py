"""What a server runs besides answering requests: its job workers, and the feed poller when
`DEPECHE_FEEDS` names a feeds file. Both wait for the models, and stop before they are freed."""

from __future__ import annotations

import logging
import threading
from functools import partial

from .. import feed_sources
from ..feeds import FeedPoller, PollReport
from ..job_runner import JobRunner, pausing
from ..webhooks import Attempt, WebhookSender
from .metrics import Metrics
from .services import Services
from .v1.job_work import describe, perform

log = logging.getLogger(__name__)

# Seconds the workers are given to end when the server stops (jobs still in an engine batch
# are let go at once: another replica, or the next start, runs them again).
STOP_WAIT_S = 5.0


class Background:
    """The job runner and the feed poller of one server process."""

    def __init__(self, services: Services, metrics: Metrics) -> None:
        settings = services.settings
        self.services = services
        self.metrics = metrics
        self.stop = threading.Event()
        sender = (
            WebhookSender.from_settings(settings, sleep=pausing(self.stop))
            if settings.webhook_secret is not None
            else None
        )
        self.jobs = JobRunner(
            services.store,
            partial(perform, services),
            describe,
            workers=settings.job_workers,
            lease_s=settings.lease_s,
            timeout_s=settings.job_timeout_s,
            retention_s=settings.job_retention_s,
            sender=sender,
            stop=self.stop,
            on_finished=lambda state: metrics.jobs_finished.labels(state).inc(),
            on_attempt=self._attempted,
        )
        self.feeds: FeedPoller | None = None
        if settings.feeds is not None:
            self.feeds = FeedPoller(
                services.store,
                services.translator,
                feed_sources.load(settings.feeds),
                summarizer=services.summarizer,
                lease_s=settings.lease_s,
                on_poll=self._polled,
                stop=self.stop,
            )
        self._poller: threading.Thread | None = None

    def _attempted(self, attempt: Attempt) -> None:
        self.metrics.webhook_attempts.labels("delivered" if attempt.delivered else "failed").inc()

    def _polled(self, report: PollReport) -> None:
        self.metrics.feed_polls.labels(report.feed, report.outcome).inc()
        if report.new:
            self.metrics.feed_new_items.labels(report.feed).inc(report.new)

    def start(self) -> None:
        """Start the workers and the poller; they take work once the models are ready."""
        self.jobs.start(self.services.ready)
        if self.feeds is not None:
            self._poller = threading.Thread(target=self._poll, name="depeche-feeds", daemon=True)
            self._poller.start()

    def _poll(self) -> None:
        assert self.feeds is not None
        while not self.stop.is_set() and not self.services.ready.wait(1.0):
            pass
        if not self.stop.is_set():
            self.feeds.run()

    def close(self) -> None:
        """Stop: jobs in progress go back to the queue, a poll in progress is let go."""
        self.stop.set()
        self.jobs.close(STOP_WAIT_S)
        if self._poller is not None:
            self._poller.join(STOP_WAIT_S)
        if self.feeds is not None:
            self.feeds.close()
        if self.jobs.sender is not None:
            self.jobs.sender.close()
