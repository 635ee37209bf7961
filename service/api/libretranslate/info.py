"""What LibreTranslate's clients read before their first call, open whatever the keys (as
LibreTranslate keeps it): the languages, the settings, the health check."""

from __future__ import annotations

from typing import Any

from ...formats import suffixes
from .. import doors
from ..dependencies import AppSettings
from ..errors import LIBRETRANSLATE

router = doors.router(LIBRETRANSLATE, key="open", tags=["LibreTranslate"])

LANGUAGES = [
    {"code": "fr", "name": "French", "targets": ["en"]},
    {"code": "en", "name": "English", "targets": []},
]


@router.get("/languages", summary="LibreTranslate: languages")
async def languages() -> list[dict[str, Any]]:
    """The language pairs depeche serves."""
    return LANGUAGES


@router.get("/frontend/settings", summary="LibreTranslate: settings")
async def frontend_settings(settings: AppSettings) -> dict[str, Any]:
    """What LibreTranslate's clients read before their first call."""
    return {
        "charLimit": settings.max_chars_per_text,
        "frontendTimeout": int(settings.request_timeout_s * 1000),
        "apiKeys": bool(settings.api_key_list),
        "keyRequired": bool(settings.api_key_list),
        "suggestions": True,
        "filesTranslation": True,
        "supportedFilesFormat": sorted(suffixes()),
        "language": {
            "source": {"code": "fr", "name": "French"},
            "target": {"code": "en", "name": "English"},
        },
    }


@router.get("/health", summary="LibreTranslate: health")
async def health() -> dict[str, str]:
    """LibreTranslate's health check: the process is alive (as `/healthz`)."""
    return {"status": "ok"}
