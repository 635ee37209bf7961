"""Request fields read by hand, as the drop-in APIs' clients send them: a JSON object, a
form, or the query string (some clients send every field there, with an empty body)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request

from ..errors import InputError

STRINGS = {
    "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]
}


def body_schema(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """OpenAPI for a body read by hand, in JSON or as a form."""
    schema = {"type": "object", "properties": properties, "required": required}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
            },
        }
    }


async def fields(request: Request) -> dict[str, Any]:
    """The request's fields: the query string's, then the body's over them (JSON or a form;
    repeated fields become lists)."""
    query: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        query[key.removesuffix("[]")] = (
            values if len(values) > 1 or key.endswith("[]") else values[0]
        )
    return query | await _body(request)


async def _body(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    if "application/json" in content_type:
        try:
            data = await request.json()
        except ValueError:
            raise InputError("the body is not valid JSON") from None
        except RecursionError:  # arrays in arrays past what Python's JSON reader walks
            raise InputError("the body's JSON is nested too deeply") from None
        if not isinstance(data, dict):
            raise InputError("the body must be a JSON object")
        return data
    if "application/x-www-form-urlencoded" in content_type:
        pairs = _urlencoded(await request.body())
    else:
        form = await request.form()
        pairs = [(key, value) for key, value in form.multi_items() if isinstance(value, str)]
    found: dict[str, list[str]] = {}
    for key, value in pairs:  # a file is left to `upload`
        found.setdefault(key, []).append(value)
    return {
        key.removesuffix("[]"): values if len(values) > 1 or key.endswith("[]") else values[0]
        for key, values in found.items()
    }


def _urlencoded(body: bytes) -> list[tuple[str, str]]:
    """A URL-encoded form's fields, read as UTF-8 (raw, as `curl -d` sends it, or
    percent-encoded); Starlette's parser reads raw bytes as Latin-1."""
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise InputError("the form body is not UTF-8") from None


def texts_of(value: Any, name: str) -> tuple[list[str], bool]:
    """(texts, whether a single string was sent)."""
    if isinstance(value, str):
        return [value], True
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value, False
    raise InputError(f"{name} must be a string or a non-empty list of strings")


def glossary_id(data: dict[str, Any]) -> str | None:
    """The stored glossary a request's fields name: `glossary_id`, or `glossary_ids` (a list,
    or comma-separated as forms send it) naming one, since depeche has one language pair (as
    DeepL's clients send it)."""
    single = str(data.get("glossary_id") or "").strip()
    listed = data.get("glossary_ids") or []
    items = listed if isinstance(listed, list) else str(listed).split(",")
    ids = [str(item).strip() for item in items if str(item).strip()]
    if single and ids:
        raise InputError("glossary_id and glossary_ids cannot be used together")
    if len(ids) > 1:
        raise InputError(
            f"glossary_ids names {len(ids)} glossaries for FR to EN: at most one per language pair"
        )
    return single or (ids[0] if ids else None)
