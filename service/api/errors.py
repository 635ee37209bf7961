"""The one table mapping errors to HTTP status; every error body is
`{"error": {"type": str, "message": str}}` and never carries a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

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
# LibreTranslate answers these 400 on its routes, and its clients rely on it.
LIBRETRANSLATE_STATUS: dict[type[Exception], int] = {MissingApiKeyError: 400, TextLimitError: 400}
RETRY_AFTER = {429: "1", 503: "5"}


class ErrorInfo(BaseModel):
    type: str
    message: str


class ErrorBody(BaseModel):
    """What every error answers with."""

    error: ErrorInfo


class DeepLErrorBody(BaseModel):
    """What DeepL's routes answer errors with."""

    message: str


class LibreTranslateErrorBody(BaseModel):
    """What LibreTranslate's routes answer errors with."""

    error: str


def _documented(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    statuses: dict[int, list[str]] = {}
    for status, kind in ERRORS.values():
        if status != 500:  # never on purpose
            statuses.setdefault(status, []).append(kind)
    return {
        status: {"model": model, "description": "error types: " + ", ".join(kinds)}
        for status, kinds in sorted(statuses.items())
    }


# The error answers of the table, for the OpenAPI schema of every route that may give them.
RESPONSES = _documented(ErrorBody)
DEEPL_RESPONSES = _documented(DeepLErrorBody)
LIBRETRANSLATE_RESPONSES = _documented(LibreTranslateErrorBody)


# The drop-in APIs answer errors as their own clients read them (a DeepL client shows only
# `message`; a LibreTranslate client only `error`); depeche's own routes, with a type.
LIBRETRANSLATE_PATHS = (
    "/translate",
    "/detect",
    "/languages",
    "/frontend/settings",
    "/translate_file",
    "/suggest",
)
LIBRETRANSLATE_PREFIX = "/download_file/"
DEEPL_PREFIXES = ("/v2/", "/v3/")


def error_body(kind: str, message: str, path: str = "") -> dict[str, Any]:
    """The JSON an error answers with, in the dialect of the API `path` belongs to."""
    if path.startswith(DEEPL_PREFIXES):
        return {"message": message}
    if _libretranslate(path):
        return {"error": message}
    return {"error": {"type": kind, "message": message}}


def _libretranslate(path: str) -> bool:
    return path in LIBRETRANSLATE_PATHS or path.startswith(LIBRETRANSLATE_PREFIX)


def error_response(exc: Exception, path: str = "") -> JSONResponse:
    """The response for `exc` on `path`, from the table (unknown errors are a bare 500)."""
    if isinstance(exc, HTTPException):
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        # Starlette's own headers matter here: a 405 names the allowed methods in Allow.
        return JSONResponse(
            error_body(kind, str(exc.detail), path),
            status_code=exc.status_code,
            headers=exc.headers,
        )
    for cls in type(exc).__mro__:
        if cls in ERRORS:
            status, kind = ERRORS[cls]
            break
    else:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(error_body("internal_error", "internal error", path), status_code=500)
    if _libretranslate(path):
        found = [LIBRETRANSLATE_STATUS[c] for c in type(exc).__mro__ if c in LIBRETRANSLATE_STATUS]
        status = found[0] if found else status
    message = _validation_message(exc) if isinstance(exc, RequestValidationError) else str(exc)
    headers = {"Retry-After": RETRY_AFTER[status]} if status in RETRY_AFTER else None
    if isinstance(exc, QueueFullError):
        headers = {"Retry-After": str(exc.retry_after)}
    return JSONResponse(error_body(kind, message, path), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Route every error through `error_response`."""

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        return error_response(exc, request.url.path)

    # Domain errors are answered here; only the unexpected reach Starlette's last-resort
    # handler (which logs them once) — still through `handle`, so no traceback is sent.
    app.add_exception_handler(DepecheError, handle)
    app.add_exception_handler(Exception, handle)
    app.add_exception_handler(RequestValidationError, handle)
    app.add_exception_handler(HTTPException, handle)
