"""The engine interface: token ids in, token ids out, one batch at a time."""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..models import ModelSource
    from ..tokenization import Tokenizer


@dataclass(frozen=True)
class DecodingOptions:
    """How to decode. Defaults come from the model's `generation_config.json`.

    The output cap (`max_output_ratio` * input tokens + `max_output_extra`, at most
    `max_length`) keeps a repetition loop from running to the model's 512 tokens.
    """

    beam_size: int = 1
    length_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    min_length: int = 0
    max_length: int = 512
    max_output_ratio: float = 2.0
    max_output_extra: int = 10
    suppress: tuple[tuple[int, ...], ...] = field(default=())
    forced_bos: int | None = None
    # Translation caps output relative to input; a summary's cap is `max_length` alone.
    relative_cap: bool = True

    def output_cap(self, input_length: int) -> int:
        """Most output tokens (end-of-sentence excluded) for an input of `input_length` ids.

        `max_length` counts the decoder's start token and the end of sentence, as in
        transformers, so at most `max_length - 2` tokens of text come out.
        """
        longest = max(1, self.max_length - 2)
        if not self.relative_cap:
            return longest
        cap = int(self.max_output_ratio * input_length) + self.max_output_extra
        return max(1, min(cap, longest))

    @classmethod
    def from_model(cls, path: Path, **overrides: Any) -> DecodingOptions:
        """Read the model's own generation settings; `overrides` that are not None win."""
        config: dict[str, Any] = {}
        for name in ("config.json", "generation_config.json"):
            file = path / name
            if file.is_file():
                config.update(json.loads(file.read_text(encoding="utf-8")))
        options = cls(
            beam_size=int(config.get("num_beams") or 1),
            length_penalty=float(config.get("length_penalty") or 1.0),
            no_repeat_ngram_size=int(config.get("no_repeat_ngram_size") or 0),
            min_length=int(config.get("min_length") or 0),
            max_length=int(config.get("max_length") or 512),
            suppress=tuple(tuple(ids) for ids in config.get("bad_words_ids") or ()),
            forced_bos=config.get("forced_bos_token_id"),
        )
        chosen: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
        return replace(options, **chosen)


@dataclass(frozen=True)
class Hypothesis:
    """One output of the engine: its ids, without start or end, and the model's own score of
    it, the mean log-probability of its tokens (the end of sentence counted when the model
    produced it), which is what the model thinks of its output: near 0 when it was sure."""

    ids: list[int]
    score: float


@dataclass(frozen=True)
class EngineConfig:
    """Where and how an engine runs. `compute_type` None is the engine's own default (int8 on
    CPU and float16 on GPU for CTranslate2); `models_dir` holds conversions. `threads` are the
    CPU threads of the engine in all (0: every usable core); an engine that can compute
    several batches at once shares them between `parallel_batches` (0: its own choice)."""

    device: str = "cpu"
    compute_type: str | None = None
    threads: int = 0
    models_dir: Path = Path("models")
    parallel_batches: int = 0


class Engine(ABC):
    """A sequence-to-sequence model that decodes batches of token ids.

    Implementations import their framework (torch, ctranslate2) in their own module only, so
    that importing depeche stays light.
    """

    name: ClassVar[str]
    compute_type: str  # as resolved at load (it is part of every cache key)
    tokenizer: Tokenizer  # whose ids it reads and writes; `load_engine` gives it
    # How many `generate` calls may run at once, from as many threads.
    parallel_batches: int = 1

    @abstractmethod
    def __init__(self, source: ModelSource, config: EngineConfig) -> None:
        """Load `source` as `config` says."""

    @abstractmethod
    def generate(
        self, batch: Sequence[Sequence[int]], options: DecodingOptions
    ) -> list[Hypothesis]:
        """Decode each source (ids ending in `</s>`): its best output, scored."""

    @abstractmethod
    def alternatives(
        self, batch: Sequence[Sequence[int]], options: DecodingOptions, count: int
    ) -> list[list[list[int]]]:
        """The `count` best outputs of each source, best first (a beam at least that wide)."""

    @abstractmethod
    def align(
        self, sources: Sequence[Sequence[int]], targets: Sequence[Sequence[int]]
    ) -> list[list[list[float]]]:
        """Cross-attention of each target token over its source tokens (forced decoding)."""

    def close(self) -> None:  # noqa: B027 - engines without resources need nothing here
        """Release the model's memory."""


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, as `taskset` or a container sets it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def resolve_parallel_batches(device: str, threads: int, parallel_batches: int) -> tuple[int, int]:
    """How many batches an engine computes at once, and threads for each.

    On CPU, independent batches on one thread each outrun one batch spread over every thread
    (the matrices of one decoding step are too small to share well), so by default each usable
    core gets a batch of its own. Counting the affinity, not the machine's cores, matters: two
    threads on one allowed core lose a fifth of the speed. A GPU runs one batch at a time.
    """
    if device != "cpu":
        return 1, threads
    total = threads or usable_cores()
    parallel = min(parallel_batches or total, total)
    return parallel, max(1, total // parallel)
