"""Settings: the one place that reads the environment (variables prefixed `DEPECHE_`)."""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import platformdirs
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import ConfigurationError

PACKAGE = Path(__file__).resolve().parent
# The folder holding the package: a source checkout (editable install), or site-packages.
ROOT = PACKAGE.parent
APP = "depeche"
PREFIX = "DEPECHE_"
# CTranslate2's compute types (its converter's quantizations, and its own defaults).
ComputeType = Literal[
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
]
STORE_SCHEMES = ("sqlite", "postgresql", "postgres")
CACHE_SCHEMES = ("sqlite", "redis", "rediss", "unix")

log = logging.getLogger(__name__)


def source_checkout(root: Path = ROOT) -> bool:
    """Whether `root` is a checkout of depeche's source (the package runs from it, as an
    editable install does) rather than the folder a wheel was installed into."""
    return (root / "pyproject.toml").is_file() and (root / "service").is_dir()


def default_models_dir(data_dir: Path, root: Path = ROOT) -> Path:
    """A checkout's `models/`; anywhere else, `models/` of the data folder. Never a folder
    inside the installed package."""
    return root / "models" if source_checkout(root) else data_dir / "models"


class Settings(BaseSettings):
    """Everything an operator can set. Each field is `DEPECHE_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="DEPECHE_", env_file=None, extra="ignore")

    translation_model: str = Field(
        "Helsinki-NLP/opus-mt-fr-en",
        description="Hub id (pinned in the model manifest) or a local Hugging Face directory.",
    )
    summarization_model: str = Field(
        "sshleifer/distilbart-cnn-12-6",
        description="Hub id (pinned in the model manifest) or a local Hugging Face directory.",
    )
    engine: Literal["ctranslate2", "transformers"] = "ctranslate2"
    device: Literal["cpu", "cuda", "auto"] = "auto"
    compute_type: ComputeType | None = Field(
        None, description="CTranslate2 compute type; unset: int8 on CPU, float16 on GPU."
    )
    beam_size: int | None = Field(
        None, ge=1, le=16, description="Unset: the model's own (4 for opus-mt)."
    )
    threads: int = Field(
        0, ge=0, description="CPU threads of each engine; 0: every core this process may use."
    )
    parallel_batches: int = Field(
        0,
        ge=0,
        description="Engine batches computed at once on CPU, sharing `threads`; 0: one per "
        "thread, which gives the most throughput. A GPU runs one at a time.",
    )
    max_batch_tokens: int = Field(
        2048, ge=64, description="Token budget of one engine batch (padded source tokens)."
    )
    max_batch_size: int = Field(64, ge=1)
    max_batch_spread: float = Field(
        1.5, ge=0, description="Longest / shortest source in one batch, at most (0: any)."
    )
    max_output_ratio: float = Field(
        2.0, gt=0, description="Output length cap: ratio * input tokens + max_output_extra."
    )
    max_output_extra: int = Field(10, ge=0)
    low_confidence: float = Field(
        -1.0,
        le=0,
        description="Segments whose model score (mean log-probability per output token, 0 "
        "being certainty) is under this are flagged low_confidence; -1000: never. How the "
        "default was chosen: bench/RESULTS.md.",
    )
    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir(APP)),
        description="What depeche keeps: the store and, installed from a wheel, the models. "
        "Set, it holds the default cache too (one volume for everything).",
    )
    models_dir: Path = Field(
        default_factory=lambda data: default_models_dir(data["data_dir"]),
        description="Downloads (hub/) and conversions (ctranslate2/); unset: models/ of a "
        "source checkout, else of the data folder.",
    )
    manifest: Path = Field(
        PACKAGE / "models" / "manifest.toml",
        description="The pinned Hub revisions; unset: the one the package ships.",
    )
    offline: bool = Field(
        False, description="Never contact the Hub (HF_HUB_OFFLINE=1 is honoured as well)."
    )
    character_limit: int = Field(
        0,
        ge=0,
        description="Characters each API key may have translated through DeepL's API "
        "(/v2/usage; 456 past it); 0: no limit.",
    )
    glossary: Path | None = Field(
        None,
        description="A glossary file (TSV, or CSV by its .csv suffix) applied to every "
        "translation that names no glossary of its own.",
    )
    max_document_bytes: int = Field(
        20_000_000,
        ge=1024,
        description="Largest document (.docx, .html...) translated whole; a .docx may hold "
        "no more than this unzipped either.",
    )
    max_document_chars: int = Field(
        100_000,
        ge=1,
        description="Characters of text a document may hold (its prose as readers see it, "
        "markup not counted), as DEPECHE_MAX_CHARS_PER_TEXT bounds a text.",
    )
    translate_html_attributes: bool = Field(
        True, description="Translate the alt and title attributes of HTML (readers see them)."
    )
    cache_url: str = Field(
        "sqlite:///cache.sqlite3",
        description="sqlite:///path (relative to the cache folder), sqlite:////abs/path, "
        "redis://host:port/db, or none",
    )
    store_url: str = Field(
        "sqlite:///store.sqlite3",
        description="Where what users keep lives (approved translations, glossaries, "
        "documents, usage): sqlite:///path (relative to data_dir), sqlite:////abs/path, or "
        "postgresql://user:password@host:port/database",
    )
    # -- HTTP service --
    host: str = Field("127.0.0.1", description="Bind address; 0.0.0.0 only when asked for.")
    port: int = Field(8000, ge=1, le=65535)
    api_keys: str = Field("", description="Comma-separated API keys; empty: open.")
    admin_keys: str = Field(
        "",
        description="Comma-separated keys that also see and manage every key's glossaries, "
        "documents and usage (they are valid API keys too).",
    )
    cors_origins: str = Field("", description="Comma-separated origins allowed by CORS.")
    batch_wait_ms: float = Field(
        5.0, ge=0, description="How long the batch queue gathers concurrent requests."
    )
    batching: bool = Field(True, description="Cross-request batching in the service.")
    queue_size: int = Field(
        64,
        ge=1,
        description="Engine requests the service holds at once (waiting or computing); "
        "more are refused at the door with 429.",
    )
    max_chars_per_text: int = Field(100_000, ge=1)
    max_texts_per_request: int = Field(128, ge=1)
    max_body_bytes: int = Field(2_000_000, ge=1024)
    request_timeout_s: float = Field(
        120.0, gt=0, description="Deadline of one request: past it, 503 and the engine stops."
    )
    engine_nice: int = Field(
        10,
        ge=0,
        le=19,
        description="Nice value of the service's engine threads: the event loop keeps answering "
        "(health, refusals) while the engine computes. 0: same priority.",
    )
    read_timeout_s: float = Field(
        5.0,
        gt=0,
        description="Seconds a client has to send its request headers, and again its body; "
        "a slower connection is closed.",
    )
    shutdown_drain_s: float = Field(
        5.0,
        ge=0,
        description="After SIGTERM, seconds the service goes on answering while /readyz says "
        "503, so that load balancers take it out before it stops accepting connections.",
    )
    shutdown_timeout_s: float = Field(
        30.0,
        ge=0,
        description="Then, seconds the requests in flight have to finish before the process "
        "exits anyway.",
    )
    cache_ttl: float = Field(30 * 86400, gt=0, description="Seconds an entry lives.")
    cache_max_bytes: int = Field(1 << 30, ge=1 << 20, description="SQLite cache size cap.")
    # -- running unattended --
    watch_settle_s: float = Field(
        2.0,
        gt=0,
        description="`depeche watch`: seconds a file's size and modification time must stay "
        "the same before it counts as completely written.",
    )
    watch_rescan_s: float = Field(
        60.0,
        gt=0,
        description="`depeche watch` on OS events: seconds between full looks at the folder "
        "as well, for events a file system does not deliver.",
    )
    webhook_secret: SecretStr | None = Field(
        None,
        description="Key signing callbacks (Standard Webhooks), as whsec_ then 24 to 64 "
        "random bytes in base64.",
    )
    webhook_allowed_hosts: str = Field(
        "",
        description="Comma-separated hosts callbacks may go to: names, *.domain, addresses "
        "or networks (CIDR); empty: any.",
    )
    webhook_timeout_s: float = Field(
        15.0, gt=0, description="Seconds each step of a callback attempt may take."
    )
    webhook_retry_s: float = Field(
        3600.0,
        ge=0,
        description="Seconds a callback is tried again, with exponential backoff, before it "
        "counts as failed.",
    )
    job_workers: int = Field(
        1,
        ge=0,
        description="Jobs (POST /v1/jobs) each `depeche serve` process runs at once, beside "
        "its requests; 0: this process runs none (another replica does).",
    )
    job_timeout_s: float = Field(
        3600.0, gt=0, description="Seconds one job may take before it fails (503)."
    )
    job_retention_s: float = Field(
        86400.0,
        gt=0,
        description="Seconds a finished job (its result, its callback's attempts) is kept.",
    )
    lease_s: float = Field(
        60.0,
        gt=0,
        description="Seconds a replica's claim on a job or a feed lasts unless renewed (it is "
        "renewed every third of that while the work goes on): a replica that dies leaves its "
        "work to the others after this long.",
    )
    feeds: Path | None = Field(
        None,
        description="A feeds file (FEEDS.toml, as `depeche feeds` reads) that `depeche serve` "
        "polls, serving the English feeds at /v1/feeds/NAME.",
    )

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            from .webhooks import parse_secret

            try:
                parse_secret(value.get_secret_value())
            except ConfigurationError as exc:
                raise ValueError(str(exc)) from None
        return value

    @field_validator("translation_model", "summarization_model")
    @classmethod
    def _model_folder_exists(cls, value: str, info: ValidationInfo) -> str:
        """A value written as a path (not a Hub id, `Org/name`) must be a folder."""
        if info.field_name == "summarization_model" and value.lower() == "none":
            return value
        path = Path(value).expanduser()
        as_path = value.startswith((".", "/", "~")) or bool(path.suffix) or value.count("/") != 1
        if as_path and not path.is_dir():
            raise ValueError(f"model folder {value} does not exist (a Hub model is Org/name)")
        return value

    @field_validator("cache_url")
    @classmethod
    def _cache_url(cls, value: str) -> str:
        if value in ("", "none") or urlparse(value).scheme in CACHE_SCHEMES:
            return value
        raise ValueError("use sqlite:///path, redis://host:port/db or none")

    @field_validator("store_url")
    @classmethod
    def _store_url(cls, value: str) -> str:
        if urlparse(value).scheme in STORE_SCHEMES:
            return value
        raise ValueError("use sqlite:///path or postgresql://user:password@host:port/database")

    def with_overrides(self, overrides: dict[str, Any]) -> Settings:
        """A copy with `overrides` applied and validated like the environment's values.

        An unknown name or a value of the wrong type raises `ConfigurationError` at once.
        """
        if not overrides:
            return self
        fields = type(self).model_fields
        for name in overrides:
            if name not in fields:
                close = difflib.get_close_matches(name, list(fields), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ConfigurationError(f"unknown setting {name!r}{hint}")
        values = {**self.model_dump(exclude_unset=True), **overrides}
        try:
            return type(self).model_validate(values)
        except ValidationError as exc:
            raise ConfigurationError(describe(exc, prefix="")) from None

    @property
    def cache_dir(self) -> Path:
        """Where a relative `sqlite:///` cache lives: the data folder when one is set
        (`DEPECHE_DATA_DIR`), else the per-user cache folder. Entries may be lost; nothing there
        is kept anywhere else."""
        if "data_dir" in self.model_fields_set:
            return self.data_dir
        return Path(platformdirs.user_cache_dir(APP))

    @property
    def api_key_list(self) -> list[str]:
        """Every key the service accepts: `api_keys` and `admin_keys`."""
        keys = f"{self.api_keys},{self.admin_keys}".split(",")
        return list(dict.fromkeys(key.strip() for key in keys if key.strip()))

    @property
    def admin_key_list(self) -> list[str]:
        """The keys that see and manage everything."""
        return [key.strip() for key in self.admin_keys.split(",") if key.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        """The origins CORS allows (none by default)."""
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def summarization_enabled(self) -> bool:
        """`DEPECHE_SUMMARIZATION_MODEL=none` turns summaries off."""
        return self.summarization_model.lower() != "none"


def describe(error: ValidationError, prefix: str = PREFIX) -> str:
    """One line naming each bad setting, what it accepts, and the value given (a secret's
    value is never shown)."""
    parts = []
    for item in error.errors():
        name = ".".join(str(p) for p in item.get("loc", ()))
        label = f"{prefix}{name.upper()}" if prefix else name
        given = item.get("input")
        shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
        if name in _SECRETS:
            shown = ""
        message = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
        parts.append(f"{label}: {message}{shown}")
    return "; ".join(parts)


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """A line for each `DEPECHE_*` variable that is no setting (a typo would otherwise be
    ignored without a word), naming the setting it most likely meant."""
    names = [PREFIX + name.upper() for name in Settings.model_fields]
    found = []
    for variable in sorted(os.environ if environ is None else environ):
        upper = variable.upper()
        if upper.startswith(PREFIX) and upper not in names:
            close = difflib.get_close_matches(upper, names, n=1, cutoff=0.7)
            hint = f"; did you mean {close[0]}?" if close else ""
            found.append(f"{variable} is not a setting, and is ignored{hint}")
    return found


_SECRETS = {
    name for name, info in Settings.model_fields.items() if "SecretStr" in str(info.annotation)
}


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once; a bad `DEPECHE_*` value is a `ConfigurationError`,
    a `DEPECHE_*` variable that is no setting a logged warning."""
    try:
        settings = Settings()
    except ValidationError as exc:
        raise ConfigurationError(describe(exc)) from None
    for line in unknown_variables():
        log.warning(line)
    return settings
