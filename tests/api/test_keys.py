"""API keys, read once: any scheme's case, the query string, and uploads refused before their
body is parsed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from depeche.api import keys
from depeche.config import Settings
from depeche.errors import InputError, InvalidApiKeyError, MissingApiKeyError
from starlette.requests import Request

from tests.api.live import LiveServer

BRIEF = "La ministre refuse la grève.\n".encode()
BOUNDARY = "depeche-test-boundary"


def upload(url: str, content: bytes, **fields: str) -> httpx.Response:
    """POST /translate_file with the file first and `fields` after it, as LibreTranslate's
    own page sends its key."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n".encode()
        + content
        + b"\r\n"
    ]
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    return httpx.post(f"{url}/translate_file", content=body, headers=headers)


@pytest.fixture(scope="module")
def keyed(api_settings: Settings) -> Iterator[str]:
    with LiveServer(api_settings.model_copy(update={"api_keys": "k1"})) as url:
        yield url


@pytest.mark.parametrize(
    "authorization",
    ["Bearer k1", "bearer k1", "BEARER  k1", "DeepL-Auth-Key k1", "deepl-auth-key k1"],
)
def test_authorization_schemes_are_case_insensitive(keyed: str, authorization: str) -> None:
    answer = httpx.post(
        f"{keyed}/v1/translate", json={"text": "Bonjour."}, headers={"Authorization": authorization}
    )
    assert answer.status_code == 200, answer.text


@pytest.fixture
def parsed_forms(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths whose request bodies were parsed as forms (the server runs in this process)."""
    parsed: list[str] = []
    form = Request.form

    def recorded(self: Request, *args: Any, **kwargs: Any) -> Any:
        parsed.append(self.url.path)
        return form(self, *args, **kwargs)

    monkeypatch.setattr(Request, "form", recorded)
    return parsed


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, 400),
        ({"api_key": "nope"}, 403),
        ({"source": "fr", "target": "en", "api_key": "k1"}, 200),
    ],
)
def test_an_upload_is_refused_before_its_form_is_parsed(
    keyed: str, parsed_forms: list[str], fields: dict[str, str], status: int
) -> None:
    answer = upload(keyed, BRIEF, **fields)
    assert answer.status_code == status, answer.text
    assert parsed_forms == (["/translate_file"] * 2 if status == 200 else [])


def test_a_keyless_upload_is_read_no_further_than_a_request_body(
    api_settings: Settings, parsed_forms: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = api_settings.model_copy(update={"api_keys": "k1", "max_body_bytes": 100_000})
    fed: list[int] = []
    feed = keys._KeyScanner.feed

    def counted(self: keys._KeyScanner, chunk: bytes) -> None:
        fed.append(len(chunk))
        feed(self, chunk)

    monkeypatch.setattr(keys._KeyScanner, "feed", counted)
    big = b"Le maire parle.\n" * 100_000  # 1.6 MB, well within the document limit
    with LiveServer(settings) as url:
        answer = upload(url, big, api_key="k1")  # the key, past the first 100,000 bytes
    # LibreTranslate's answer to a missing key: 400.
    assert answer.status_code == 400 and parsed_forms == [], answer.text
    assert sum(fed) <= 100_000  # the body past the limit was never looked at


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({}, None),
        ({"api_key": None}, None),
        ({"api_key": ""}, None),
        ({"api_key": "k1", "q": "Bonjour"}, "k1"),
        ({"api_key": 3}, InputError),
        ({"api_key": ["k1"]}, InputError),
        ({"api_key": {"k": "k1"}}, InputError),
        ({"api_key": True}, InputError),
        ({"api_key": "k\ud8001"}, InputError),
        ({"api_key": "k\x001"}, InputError),
    ],
)
def test_body_key(data: dict[str, Any], key: str | type[Exception] | None) -> None:
    """A JSON or form body's `api_key`: text or nothing; anything else is the client's error."""
    if isinstance(key, type):
        with pytest.raises(key):
            keys.body_key(data)
    else:
        assert keys.body_key(data) == key


@pytest.mark.parametrize(
    ("headers", "query", "key"),
    [
        ({b"authorization": b"Bearer k1"}, b"", "k1"),
        ({b"authorization": b"DEEPL-AUTH-KEY  k1 "}, b"", "k1"),
        ({b"authorization": b"Basic k1"}, b"", None),  # not a scheme keys come in
        ({b"x-api-key": b" k1"}, b"", "k1"),
        ({}, b"q=x&api_key=k1", "k1"),
        ({b"authorization": b"Bearer k1"}, b"api_key=k2", "k1"),  # a header first
        ({}, b"q=x", None),
        ({}, b"", None),
    ],
)
def test_request_key(headers: dict[bytes, bytes], query: bytes, key: str | None) -> None:
    assert keys.request_key(headers, query) == key


@pytest.mark.parametrize(
    ("key", "error"),
    [("k1", None), ("admin", None), (None, MissingApiKeyError), ("k2", InvalidApiKeyError)],
)
def test_keys_check_against_every_key(key: str | None, error: type[Exception] | None) -> None:
    accepted = keys.Keys(["k1", "admin"], ["admin"])
    if error is None:
        accepted.check(key)
        assert accepted.tenant(key).admin == (key == "admin")
    else:
        with pytest.raises(error):
            accepted.tenant(key)
    keys.Keys([]).check(key)  # an open server takes any key, or none
