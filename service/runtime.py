"""The loaded model: tokenizer, engine and decoding options, and the queue every engine call
goes through.

A `ModelRuntime` is built from settings once (by a pipeline, on first use) and is safe to
share between threads. Generation, alignment and n-best lists are `Task`s of its batch queue
(`queue`), whose workers, one per batch the engine computes at once, are the only threads that
run the engine: in the HTTP service, requests that arrive together share batches
(`Batching`); elsewhere, what a call submits is run at once.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from . import deadline
from .alignment import word_pairs
from .config import Settings
from .engines import DecodingOptions, EngineConfig, load_engine, resolve_device
from .models import load_manifest, resolve
from .queue import UNBOUNDED, Batching, BatchQueue, Task
from .results import Output
from .token_batches import token_batches
from .tokenization import Tokenizer, load_tokenizer

# Bump when the shape of cached output changes, so that old entries are never served.
OUTPUT_VERSION = 2
# Where batches run one at a time, one is cut for length spread only once it holds this many
# sentences.
MIN_SPLIT_SERIAL = 4
# Output ids, whether each ran into its length cap, and the model's score of each.
Result = tuple[list[list[int]], list[bool], list[float]]
# (target word, source word) pairs of one translated sentence.
Alignment = list[tuple[int, int]]


@dataclass
class Stats:
    """Running totals of what the engine did (for benchmarks and metrics)."""

    sentences: int = 0
    batches: int = 0
    output_tokens: int = 0


class ModelRuntime:
    """A tokenizer, an engine and decoding options for one model."""

    def __init__(
        self,
        settings: Settings,
        model: str,
        *,
        beam_size: int | None = None,
        relative_cap: bool = True,
        batching: Batching | None = None,
    ) -> None:
        self.settings = settings
        self.source = resolve(model, settings.models_dir, load_manifest(settings.manifest))
        device = resolve_device(settings.device)
        config = EngineConfig(
            device,
            settings.compute_type,
            settings.threads,
            settings.models_dir,
            parallel_batches=settings.parallel_batches,
        )
        # CTranslate2 reads its weights with the GIL released: the tokenizer loads meanwhile.
        with ThreadPoolExecutor(1, thread_name_prefix="depeche-tokenizer") as side:
            tokenizer = side.submit(load_tokenizer, self.source.path)
            self.engine = load_engine(settings.engine, self.source, tokenizer, config)
            self.tokenizer: Tokenizer = tokenizer.result()
        self.options = DecodingOptions.from_model(
            self.source.path,
            beam_size=beam_size,
            max_output_ratio=settings.max_output_ratio,
            max_output_extra=settings.max_output_extra,
            relative_cap=relative_cap,
        )
        self.input_limit = self.tokenizer.max_length
        self.stats = Stats()
        self._stats_lock = threading.Lock()
        # The HTTP service gathers concurrent requests (`batching`); a library or CLI call is
        # run as soon as a worker is free, and waits as long as it takes.
        self._timeout: float | None = None
        queue_options: dict[str, Any] = {}
        if batching is not None:
            self._timeout = batching.timeout
            queue_options = {
                "wait_ms": batching.wait_ms,
                "max_waiting": batching.max_waiting,
                "max_items": settings.max_batch_size * 8,
                "on_batch": batching.on_batch,
            }
        self._queue = BatchQueue(
            workers=self.engine.parallel_batches,
            **({"max_items": UNBOUNDED} | queue_options),
        )
        # Everything that changes the output, for cache keys.
        self.context: dict[str, Any] = {
            "model": self.source.name,
            "revision": self.source.revision,
            "engine": self.engine.name,
            "compute_type": self.engine.compute_type,
            "device": device,
            "options": asdict(self.options),
            "version": OUTPUT_VERSION,
        }

    @property
    def queue_depth(self) -> int:
        """Requests waiting for the engine."""
        return self._queue.depth

    def _limit(self) -> deadline.Limit | None:
        """The current request's deadline; in the HTTP service, one of its own otherwise."""
        limit = deadline.current()
        if limit is None and self._timeout is not None:
            limit = deadline.after(self._timeout)
        return limit

    def generate(self, ids: list[list[int]], options: DecodingOptions | None = None) -> Result:
        """Output ids of each source, whether it ran into its length cap, and the model's
        score of it (mean log-probability per token)."""
        answers = self._queue.submit(ids, _Generate(self, options or self.options), self._limit())
        return [a[0] for a in answers], [a[1] for a in answers], [a[2] for a in answers]

    def alternatives(self, sources: Sequence[str], count: int) -> list[list[str]]:
        """The `count` best translations of each source sentence, best first, from a beam at
        least `count` wide."""
        ids = self.tokenizer.encode(sources)
        found = self._queue.submit(ids, _Alternatives(self, count), self._limit())
        return [self.tokenizer.decode(hypotheses) for hypotheses in found]

    def align(self, sources: Sequence[str], outputs: Sequence[Output]) -> list[Alignment]:
        """Word alignments, (target word, source word) pairs, of translated sentences; words
        are counted in `sources`, the texts the model read. The engine reads the attention in
        batches within the generation's token budget, and each batch's is reduced to word
        pairs as it comes: a long list of sentences never holds all its attention at once.
        A sentence whose output has no ids (cut into pieces, or an editor's) has none."""
        usable = [i for i, o in enumerate(outputs) if o.ids is not None and o.ids[1]]
        items = [(sources[i], outputs[i]) for i in usable]
        found = self._queue.submit(items, _Align(self), self._limit())
        alignments: list[Alignment] = [[] for _ in outputs]
        for index, pairs in zip(usable, found, strict=True):
            alignments[index] = pairs
        return alignments

    def close(self) -> None:
        """Free the engine (and stop the queue). A batch the engine is computing is not
        waited for: it holds the model until it ends."""
        self._queue.close()
        self.engine.close()


@dataclass(frozen=True)
class _Generate(Task[list[int], tuple[list[int], bool, float]]):
    """Generation with `options`: token ids in; output ids, whether they ran into their cap,
    and the model's score out."""

    runtime: ModelRuntime
    options: DecodingOptions

    @property
    def key(self) -> Hashable:
        return ("generate", self.options)

    def batches(self, items: Sequence[list[int]]) -> list[list[int]]:
        settings = self.runtime.settings
        # Parallel batches run side by side: cutting a few sentences off costs no time there.
        # One at a time, they run one after another, and a batch of 3 sentences decodes
        # barely slower than one of 1 (opus-mt's size, beam 4, int8, one core: a paragraph of
        # 3 sentences took 670 ms as 2 batches, 577 ms as one).
        serial = self.runtime.engine.parallel_batches == 1
        return token_batches(
            [len(ids) for ids in items],
            settings.max_batch_tokens,
            settings.max_batch_size,
            settings.max_batch_spread,
            MIN_SPLIT_SERIAL if serial else 1,
        )

    def run(self, items: Sequence[list[int]]) -> list[tuple[list[int], bool, float]]:
        runtime = self.runtime
        answers = []
        for ids, result in zip(items, runtime.engine.generate(items, self.options), strict=True):
            # The batch decodes to its longest member's cap; each output keeps its own.
            cap = self.options.output_cap(len(ids))
            answers.append((result.ids[:cap], len(result.ids) >= cap, result.score))
        with runtime._stats_lock:
            runtime.stats.output_tokens += sum(len(a[0]) for a in answers)
            runtime.stats.sentences += len(items)
            runtime.stats.batches += 1
        return answers


@dataclass(frozen=True)
class _Alternatives(Task[list[int], list[list[int]]]):
    """The `count` best outputs of each source, from the model's own decoding options."""

    runtime: ModelRuntime
    count: int

    @property
    def key(self) -> Hashable:
        return ("alternatives", self.count)

    def batches(self, items: Sequence[list[int]]) -> list[list[int]]:
        settings = self.runtime.settings
        lengths = [len(ids) for ids in items]
        return token_batches(lengths, settings.max_batch_tokens, settings.max_batch_size)

    def run(self, items: Sequence[list[int]]) -> list[list[list[int]]]:
        return self.runtime.engine.alternatives(items, self.runtime.options, self.count)


@dataclass(frozen=True)
class _Align(Task[tuple[str, Output], Alignment]):
    """Word alignments of (source text, its output) pairs, from the model's attention."""

    runtime: ModelRuntime

    @property
    def key(self) -> Hashable:
        return "align"

    def batches(self, items: Sequence[tuple[str, Output]]) -> list[list[int]]:
        settings = self.runtime.settings
        lengths = [len(o.ids[0]) + len(o.ids[1]) if o.ids else 0 for _, o in items]
        return token_batches(lengths, settings.max_batch_tokens, settings.max_batch_size)

    def run(self, items: Sequence[tuple[str, Output]]) -> list[Alignment]:
        tokenizer = self.runtime.tokenizer
        pairs = [o.ids for _, o in items]
        assert all(ids is not None for ids in pairs)
        weights = self.runtime.engine.align(
            [ids[0] for ids in pairs if ids], [ids[1] for ids in pairs if ids]
        )
        return [
            word_pairs(
                matrix,
                tokenizer.ids_to_tokens(o.ids[0]),
                tokenizer.ids_to_tokens(o.ids[1]),
                len(source.split()),
                len(o.text.split()),
            )
            for (source, o), matrix in zip(items, weights, strict=True)
            if o.ids is not None
        ]
