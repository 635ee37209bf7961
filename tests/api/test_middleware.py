"""The door, one layer in front of every route: what it refuses is answered in the route's
dialect, counted, and costs the app nothing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from depeche.config import Settings

from tests.api.live import LiveServer


@pytest.fixture(scope="module")
def keyed(api_settings: Settings) -> Iterator[str]:
    with LiveServer(api_settings.model_copy(update={"api_keys": "k1"})) as url:
        yield url


def _count(url: str, route: str, status: int) -> float:
    name = f'depeche_requests_total{{route="{route}",status="{status}"}} '
    metrics = httpx.get(f"{url}/metrics", headers={"X-API-Key": "k1"}).text
    found = [line for line in metrics.splitlines() if line.startswith(name)]
    return float(found[0].split()[-1]) if found else 0.0


@pytest.mark.parametrize(
    ("path", "content", "headers", "status", "body"),
    [
        # No key, a body too large (refused first), in each dialect.
        ("/v1/translate", b" " * 3_000_000, {}, 413, "error"),
        ("/v2/translate", b" " * 3_000_000, {}, 413, "message"),
        ("/translate", b" " * 3_000_000, {}, 413, "error"),
        ("/v1/translate", b"{}", {}, 401, "error"),
        ("/v2/translate", b"{}", {"Authorization": "DeepL-Auth-Key nope"}, 403, "message"),
        ("/v2/nowhere", b"{}", {"X-API-Key": "k1"}, 404, "message"),
    ],
)
def test_a_refusal_at_the_door_is_counted_in_its_routes_dialect(
    keyed: str, path: str, content: bytes, headers: dict[str, str], status: int, body: str
) -> None:
    route = path if status != 404 else "other"
    before = _count(keyed, route, status)
    answer = httpx.post(
        f"{keyed}{path}", content=content, headers={"content-type": "application/json", **headers}
    )
    assert answer.status_code == status and set(answer.json()) == {body}
    assert _count(keyed, route, status) == before + 1
