"""The app as assembled: one concurrency style for its routes."""

from __future__ import annotations

import inspect

from depeche.api.app import create_app
from depeche.config import Settings


def test_every_route_is_async_and_sends_blocking_work_to_the_thread_pool(
    api_settings: Settings,
) -> None:
    # One style: a route reads its body on the event loop (the drop-in routes read theirs by
    # hand) and hands what blocks to the thread pool itself, in one hop. A plain `def` route
    # would cost FastAPI's hop for the call, and another to check its answer.
    app = create_app(api_settings)
    endpoints = {
        template: getattr(route, "endpoint", None) for route, _, template in app.state.doors.routes
    }
    ours = {
        t: e for t, e in endpoints.items() if e is not None and e.__module__.startswith("depeche.")
    }
    assert len(ours) >= 40
    assert [t for t, e in ours.items() if not inspect.iscoroutinefunction(e)] == []
