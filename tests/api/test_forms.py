"""Fields read by hand (the drop-in routes): whatever the body, a 4xx, never a 5xx."""

from __future__ import annotations

import httpx
import pytest

DEEP = b"[" * 100_000 + b"]" * 100_000  # 200 KB, within the body limit


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        ("/translate", b'{"q": ' + DEEP + b"}", "error"),
        ("/v2/translate", b'{"text": ' + DEEP + b', "target_lang": "EN"}', "message"),
        ("/v2/glossaries", b'{"name": ' + DEEP + b"}", "message"),
    ],
)
def test_json_nested_past_what_is_read_is_400(
    server: str, path: str, body: bytes, error: str
) -> None:
    answer = httpx.post(
        f"{server}{path}", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400 and "nested" in answer.json()[error]
