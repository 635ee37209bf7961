"""API keys: the one place a request's key is read, and checked against the server's.

A key comes in `Authorization: Bearer …` or `Authorization: DeepL-Auth-Key …` (schemes in any
case), in `X-API-Key`, or as `api_key` in the query string (`request_key`). The middleware
reads it once, at the door, and leaves it in the request's scope (`key_in`).

LibreTranslate's clients may send it as a body field instead (`api_key`), often after the
file of an upload. A multipart body with no key in its headers or query string is read at the
door as it streams, only as far as its `api_key` field and at most a limit of bytes, with
python-multipart's streaming parser (no file is spooled, no form is built), so that the form
is parsed only once the key is good (`read_body_key`). A JSON or form body's field is read with
the route's other fields, then taken here (`body_key`).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.types import Message, Receive, Scope

from ..config import Settings
from ..errors import InputError, InvalidApiKeyError, MissingApiKeyError
from ..store.records import check_text
from ..tenants import Tenant, tenant

FIELD = b"api_key"
_LONGEST_KEY = 4096  # bytes; a longer field is no key
_SCHEMES = ("bearer", "deepl-auth-key")
# Where the middleware leaves the key it read in a request's scope.
KEY = "depeche.key"


def request_key(headers: Mapping[bytes, bytes], query: bytes) -> str | None:
    """The API key a request carries in its headers (`headers`, names in lower case) or its
    query string: `Authorization: Bearer|DeepL-Auth-Key`, `X-API-Key`, `api_key`."""
    authorization = headers.get(b"authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.decode("latin-1").strip().partition(" ")
        if scheme.lower() in _SCHEMES and credentials.strip():
            return credentials.strip()
    if b"x-api-key" in headers:
        return headers[b"x-api-key"].decode("latin-1").strip()
    if not query:
        return None
    values = parse_qs(query.decode("latin-1")).get("api_key")
    return values[0] if values else None


def body_key(data: Mapping[str, Any]) -> str | None:
    """The `api_key` field of a JSON or form body, as LibreTranslate's clients send it
    (None: absent or empty); a field that is not a string is refused."""
    value = data.get("api_key")
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError("api_key must be a string")
    return check_text(value, "api_key")


def key_in(scope: Scope) -> str | None:
    """The key the middleware read for the request of `scope` (None: it carried none)."""
    found = scope.get(KEY)
    return found if isinstance(found, str) else None


class Keys:
    """The keys a server accepts (none: an open server) and those of its admins, read once
    from the settings."""

    def __init__(self, keys: Sequence[str], admin_keys: Sequence[str] = ()) -> None:
        self.keys = list(keys)
        self.admin_keys = list(admin_keys)

    @classmethod
    def of(cls, settings: Settings) -> Keys:
        """The keys `settings` configure."""
        return cls(settings.api_key_list, settings.admin_key_list)

    @property
    def required(self) -> bool:
        """Whether requests need a key at all."""
        return bool(self.keys)

    def check(self, key: str | None) -> None:
        """Raise unless `key` is one of the keys (compared in constant time); no keys: open."""
        if not self.keys:
            return
        if not key:
            raise MissingApiKeyError("an API key is required")
        matched = False
        for candidate in self.keys:  # no early exit: the time taken says nothing of the keys
            matched |= hmac.compare_digest(key.encode(), candidate.encode())
        if not matched:
            raise InvalidApiKeyError("the API key is not valid")

    def tenant(self, key: str | None) -> Tenant:
        """Who `key` speaks for, once checked."""
        self.check(key)
        return tenant(key, self.keys, self.admin_keys)


def multipart_boundary(content_type: bytes) -> bytes | None:
    """The boundary of a `multipart/form-data` body, or None for any other body."""
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        return None
    boundary = options.get(b"boundary")
    return boundary if isinstance(boundary, bytes) and boundary else None


class _KeyScanner:
    """Feeds a multipart body to the parser and keeps the value of its `api_key` field."""

    def __init__(self, boundary: bytes) -> None:
        self.key: str | None = None
        self.broken = False  # not a multipart body the form parser could read either
        self._header = b""
        self._disposition = b""
        self._value: bytearray | None = None  # the api_key field's bytes, while in it
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
            },
        )

    def feed(self, chunk: bytes) -> None:
        if self.broken or self.key is not None:
            return
        try:
            self._parser.write(chunk)
        except MultipartParseError:
            self.broken = True

    def _part_begin(self) -> None:
        self._disposition, self._value = b"", None

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition += data[start:end]

    def _header_end(self) -> None:
        self._header = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if options.get(b"name") == FIELD and b"filename" not in options:
            self._value = bytearray()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._value is not None:
            self._value += data[start:end]
            if len(self._value) > _LONGEST_KEY:
                self._value = None

    def _part_end(self) -> None:
        if self._value is not None:
            self.key = self._value.decode("utf-8", "replace").strip()
            self._value = None


async def read_body_key(
    boundary: bytes, receive: Receive, limit: int
) -> tuple[str | None, list[Message]]:
    """Read the body from `receive` until its `api_key` field has been read, the body ends,
    or `limit` bytes have come without it: (the key or None, the messages read, to be given
    to the app in the same order)."""
    scanner = _KeyScanner(boundary)
    messages: list[Message] = []
    received = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":  # the client went away
            return None, messages
        body = message.get("body", b"")
        scanner.feed(body[: max(0, limit - received)])  # never past the limit
        received += len(body)
        if scanner.key is not None or scanner.broken or received > limit:
            return scanner.key, messages
        if not message.get("more_body", False):
            return None, messages
