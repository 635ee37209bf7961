"""The one table mapping errors to HTTP status, and the dialects errors are written in: depeche's
own `{"error": {"type": str, "message": str}}`, DeepL's `{"message": str}`, LibreTranslate's
`{"error": str}`. No error body carries a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.types import Scope

from ..errors import (
    DeadlineError,
    DepecheError,
    IdempotencyKeyReusedError,
    InputError,
    InvalidApiKeyError,
    ItemError,
    JobNotDoneError,
    MissingApiKeyError,
    ModelNotFoundError,
    NotFoundError,
    NotReadyError,
    PayloadTooLargeError,
    QueueFullError,
    QuotaExceededError,
    StoreUnavailableError,
    SummariesDisabledError,
    TextLimitError,
    UnsupportedLanguageError,
    UnsupportedMediaTypeError,
)

log = logging.getLogger(__name__)

ERRORS: dict[type[Exception], tuple[int, str]] = {
    RequestValidationError: (422, "invalid_request"),
    ItemError: (400, "invalid_item"),
    IdempotencyKeyReusedError: (422, "idempotency_key_reused"),
    UnsupportedMediaTypeError: (415, "unsupported_media_type"),
    InputError: (400, "invalid_input"),
    UnsupportedLanguageError: (400, "unsupported_language"),
    MissingApiKeyError: (401, "missing_api_key"),
    InvalidApiKeyError: (403, "invalid_api_key"),
    NotFoundError: (404, "not_found"),
    JobNotDoneError: (409, "job_not_done"),
    PayloadTooLargeError: (413, "payload_too_large"),
    QueueFullError: (429, "overloaded"),
    QuotaExceededError: (456, "quota_exceeded"),  # DeepL's status for it
    # A setting of this server, not a passing state: 404, not a 503 that invites retries.
    SummariesDisabledError: (404, "summaries_disabled"),
    NotReadyError: (503, "not_ready"),
    ModelNotFoundError: (503, "model_not_found"),
    DeadlineError: (503, "deadline_exceeded"),
    StoreUnavailableError: (503, "store_unavailable"),
    DepecheError: (500, "internal_error"),
}
RETRY_AFTER = {429: "1", 503: "5"}


class ErrorInfo(BaseModel):
    type: str
    message: str


class ErrorBody(BaseModel):
    """What depeche's own routes answer errors with."""

    error: ErrorInfo


class DeepLErrorBody(BaseModel):
    """What DeepL's routes answer errors with."""

    message: str


class LibreTranslateErrorBody(BaseModel):
    """What LibreTranslate's routes answer errors with."""

    error: str


class Dialect:
    """How the clients of one API read its errors: the body's shape (`model`, written by
    `body`), and the statuses it answers differently from the table. A DeepL client shows
    only `message`, a LibreTranslate client only `error`; depeche's own routes give a type."""

    def __init__(
        self,
        name: str,
        model: type[BaseModel],
        body: Callable[[str, str], dict[str, Any]],
        statuses: Mapping[type[Exception], int] | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.body = body
        self.statuses = dict(statuses or {})
        # The error answers of the table, for the OpenAPI schema of every route that may
        # give them.
        self.responses = _documented(model)

    def __repr__(self) -> str:
        return f"Dialect({self.name!r})"

    def status(self, exc: Exception, status: int) -> int:
        """The status of `exc` in this dialect (`status`: the table's)."""
        for cls in type(exc).__mro__:
            if cls in self.statuses:
                return self.statuses[cls]
        return status


def _documented(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    statuses: dict[int, list[str]] = {}
    for status, kind in ERRORS.values():
        if status != 500:  # never on purpose
            statuses.setdefault(status, []).append(kind)
    return {
        status: {"model": model, "description": "error types: " + ", ".join(kinds)}
        for status, kinds in sorted(statuses.items())
    }


DEPECHE = Dialect(
    "depeche", ErrorBody, lambda kind, message: {"error": {"type": kind, "message": message}}
)
DEEPL = Dialect("deepl", DeepLErrorBody, lambda kind, message: {"message": message})
# LibreTranslate answers these 400 on its routes, and its clients rely on it.
LIBRETRANSLATE = Dialect(
    "libretranslate",
    LibreTranslateErrorBody,
    lambda kind, message: {"error": message},
    {MissingApiKeyError: 400, TextLimitError: 400},
)


def error_response(exc: Exception, dialect: Dialect = DEPECHE) -> JSONResponse:
    """The response for `exc` in `dialect`, from the table (unknown errors are a bare 500)."""
    if isinstance(exc, HTTPException):
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        # Starlette's own headers matter here: a 405 names the allowed methods in Allow.
        return JSONResponse(
            dialect.body(kind, str(exc.detail)),
            status_code=exc.status_code,
            headers=exc.headers,
        )
    for cls in type(exc).__mro__:
        if cls in ERRORS:
            status, kind = ERRORS[cls]
            break
    else:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(dialect.body("internal_error", "internal error"), status_code=500)
    status = dialect.status(exc, status)
    message = _validation_message(exc) if isinstance(exc, RequestValidationError) else str(exc)
    headers = {"Retry-After": RETRY_AFTER[status]} if status in RETRY_AFTER else None
    if isinstance(exc, QueueFullError):
        headers = {"Retry-After": str(exc.retry_after)}
    return JSONResponse(dialect.body(kind, message), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI, dialect_of: Callable[[Scope], Dialect]) -> None:
    """Route every error through `error_response`, in the dialect of the request's route
    (`dialect_of` its scope)."""

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        return error_response(exc, dialect_of(request.scope))

    # Domain errors are answered here; only the unexpected reach Starlette's last-resort
    # handler (which logs them once) — still through `handle`, so no traceback is sent.
    app.add_exception_handler(DepecheError, handle)
    app.add_exception_handler(Exception, handle)
    app.add_exception_handler(RequestValidationError, handle)
    app.add_exception_handler(HTTPException, handle)
