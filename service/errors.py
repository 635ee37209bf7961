"""Domain errors. Each boundary maps them once: the HTTP app in one handler, the CLI in `main`."""

from __future__ import annotations


class DepecheError(Exception):
    """Base of every error depeche raises on purpose; its message is meant for a person."""


class ModelNotFoundError(DepecheError):
    """The configured model is not on disk; the message names the command that fetches it."""


class ModelError(DepecheError):
    """A model exists but cannot be used (unsupported architecture, broken files)."""


class InputError(DepecheError):
    """The input cannot be read or decoded (missing file, not UTF-8)."""


class ConfigurationError(DepecheError):
    """A setting is inconsistent (e.g. CUDA asked for on a machine without a GPU)."""
