"""The API key of a LibreTranslate upload, found in its multipart body before the body is
parsed.

LibreTranslate's clients send `api_key` as a form field, often after the file. A request with
no key in its headers or query string has its body read here as it streams, only as far as
its `api_key` field and at most `limit` bytes, with python-multipart's streaming parser (no
file is spooled, no form is built). The route parses the form only once the key is good.
"""

from __future__ import annotations

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.types import Message, Receive

FIELD = b"api_key"
_LONGEST_KEY = 4096  # bytes; a longer field is no key


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
