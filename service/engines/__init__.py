"""Engines: a registry of the implementations of `Engine`, loaded by name.

Each implementation lives in its own module and imports its framework there, so that only the
engine actually used is imported.
"""

from __future__ import annotations

import importlib
from concurrent.futures import Future

from ..errors import ConfigurationError
from ..models import ModelSource
from ..tokenization import Tokenizer
from .base import (
    DecodingOptions,
    Engine,
    EngineConfig,
    Hypothesis,
    resolve_parallel_batches,
    usable_cores,
)

ENGINES: dict[str, str] = {
    "ctranslate2": ".ctranslate2:CTranslate2Engine",
    "transformers": ".transformers:TransformersEngine",
}

__all__ = [
    "ENGINES",
    "DecodingOptions",
    "Engine",
    "EngineConfig",
    "Hypothesis",
    "load_engine",
    "resolve_device",
    "resolve_parallel_batches",
    "usable_cores",
]


def resolve_device(device: str) -> str:
    """`auto` becomes `cuda` where a GPU is visible, else `cpu`; `cuda` without one is an error."""
    if device == "cpu":
        return "cpu"
    from .ctranslate2 import cuda_available

    if cuda_available():
        return "cuda"
    if device == "cuda":
        raise ConfigurationError("DEPECHE_DEVICE=cuda but no GPU is visible")
    return "cpu"


def load_engine(
    name: str,
    source: ModelSource,
    tokenizer: Tokenizer | Future[Tokenizer],
    config: EngineConfig,
) -> Engine:
    """Instantiate the engine registered as `name` on `source`, with the model's `tokenizer`.

    The tokenizer may still be loading in another thread (a future): the engine loads its
    weights meanwhile and waits for it only then.
    """
    try:
        module_name, _, class_name = ENGINES[name].partition(":")
    except KeyError:
        raise ConfigurationError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}") from None
    engine_class: type[Engine] = getattr(importlib.import_module(module_name, __name__), class_name)
    engine = engine_class(source, config)
    engine.tokenizer = tokenizer.result() if isinstance(tokenizer, Future) else tokenizer
    return engine
