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


class OutputError(DepecheError):
    """An output cannot be written: a full or read-only disk, a file where a folder is needed.
    Whatever was there before is left as it was."""


class ConfigurationError(DepecheError):
    """A setting is inconsistent (e.g. CUDA asked for on a machine without a GPU)."""


class UnsupportedLanguageError(DepecheError):
    """A language pair depeche does not translate (it does French to English)."""


class PayloadTooLargeError(DepecheError):
    """A request over one of the configured size limits."""


class TextLimitError(PayloadTooLargeError):
    """Texts over the limits of one request: characters per text, texts per request."""


class QueueFullError(DepecheError):
    """Too many requests are waiting for the engine; try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DeadlineError(DepecheError):
    """A request ran past its deadline, or its client went away: nobody waits for the work."""

    def __init__(self, message: str = "the request ran past its deadline") -> None:
        super().__init__(message)


class QuotaExceededError(DepecheError):
    """An API key has used the characters its quota allows (`DEPECHE_CHARACTER_LIMIT`)."""


class SummariesDisabledError(DepecheError):
    """Summaries are turned off on this server (`DEPECHE_SUMMARIZATION_MODEL=none`)."""


class NotReadyError(DepecheError):
    """The models are still loading (or failed to load)."""


class MissingApiKeyError(DepecheError):
    """No API key was given and the service requires one."""


class InvalidApiKeyError(DepecheError):
    """The API key given is not one of the configured keys."""


class StoreUnavailableError(DepecheError):
    """The store (approved translations, glossaries, documents, usage) cannot be reached or
    used."""


class NotFoundError(DepecheError):
    """A glossary, document or other stored thing that does not exist (or no longer)."""


class GlossaryError(InputError):
    """Glossary entries that cannot be read (a bad line, a duplicate term)."""


class ItemError(InputError):
    """A news item or feed that cannot be read as its format: XML that is not well-formed or
    declares entities (never expanded), JSON that is not valid, a field of the wrong type."""


class UnsupportedMediaTypeError(InputError):
    """A request body of a content type the route does not take."""


class IdempotencyKeyReusedError(InputError):
    """An `Idempotency-Key` already used by the same API key for another request."""


class JobNotDoneError(DepecheError):
    """A job's result asked for before the job is done."""
