"""The loaded model: tokenize -> batch -> engine, and alignment for markup.

A `ModelRuntime` is built from settings once (by the translator, on first use) and is safe
to share between threads: engine batches go through a pool of as many threads as the engine
computes batches at once, first come first served.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from . import deadline
from .alignment import word_pairs
from .config import Settings
from .engines import DecodingOptions, EngineConfig, load_engine, resolve_device
from .errors import DeadlineError
from .models import load_manifest, resolve
from .queue import Batching, BatchQueue, OnSentence, Result
from .token_batches import token_batches
from .tokenization import Tokenizer, load_tokenizer

# Bump when the shape of cached output changes, so that old entries are never served.
OUTPUT_VERSION = 2
# Where batches run one at a time, one is cut for length spread only once it holds this many
# sentences.
MIN_SPLIT_SERIAL = 4


@dataclass
class Output:
    """One sentence's translation."""

    text: str
    capped: bool = False
    # Source and output ids, for alignment; None when the sentence was cut into pieces.
    ids: tuple[list[int], list[int]] | None = None
    cached: bool = False
    approved: bool = False  # an editor's approved translation (`approvals`)
    # The model's mean log-probability per output token; None for an editor's translation.
    score: float | None = None


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
        # One thread per batch the engine can compute at once; more would only queue there.
        self._batch_pool = ThreadPoolExecutor(
            self.engine.parallel_batches, thread_name_prefix="depeche-engine"
        )
        self._queue: BatchQueue | None = None
        self._timeout = settings.request_timeout_s
        if batching is not None:
            # Every `generate` goes through one queue shared by all callers (the HTTP service).
            self._queue = BatchQueue(
                self.compute,
                wait_ms=batching.wait_ms,
                max_waiting=batching.max_waiting,
                max_sentences=settings.max_batch_size * 8,
                workers=self.engine.parallel_batches,
                on_batch=batching.on_batch,
            )
            self._timeout = batching.timeout
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
        """Requests waiting in the batch queue (0 without one)."""
        return self._queue.depth if self._queue is not None else 0

    def generate(self, ids: list[list[int]], options: DecodingOptions | None = None) -> Result:
        """Output ids of each source, whether it ran into its length cap, and the model's
        score of it (mean log-probability per token)."""
        options = options or self.options
        limit = deadline.current()
        if self._queue is not None:
            if limit is None:
                limit = deadline.after(self._timeout)
            return self._queue.submit(ids, options, limit)
        return self.compute(ids, options, limit.expired if limit else None)

    def compute(
        self,
        ids: list[list[int]],
        options: DecodingOptions,
        stop: Callable[[], bool] | None = None,
        on_sentence: OnSentence | None = None,
    ) -> Result:
        """Run `ids` through the engine now, in length-sorted batches, some at once, calling
        `on_sentence` as each is done; between batches, stop with `DeadlineError` once `stop()`
        is true. `generate` is the way in for callers; the batch queue calls this."""
        settings = self.settings
        outputs: list[list[int]] = [[] for _ in ids]
        capped = [False] * len(ids)
        scores = [0.0] * len(ids)
        lengths = [len(x) for x in ids]

        def run(batch: list[int]) -> None:
            if stop is not None and stop():  # nobody waits for the rest any more
                raise DeadlineError()
            results = self.engine.generate([ids[i] for i in batch], options)
            kept = 0
            for index, result in zip(batch, results, strict=True):
                # The batch decodes to its longest member's cap; each output keeps its own.
                cap = options.output_cap(lengths[index])
                outputs[index] = result.ids[:cap]
                capped[index] = len(result.ids) >= cap
                scores[index] = result.score
                kept += len(outputs[index])
                if on_sentence is not None:
                    on_sentence(index, outputs[index], capped[index], scores[index])
            with self._stats_lock:
                self.stats.output_tokens += kept
                self.stats.sentences += len(batch)
                self.stats.batches += 1

        budget, size = settings.max_batch_tokens, settings.max_batch_size
        # Parallel batches run side by side: cutting a few sentences off costs no time there.
        # One at a time, they run one after another, and a batch of 3 sentences decodes
        # barely slower than one of 1 (opus-mt's size, beam 4, int8, one core: a paragraph of
        # 3 sentences took 670 ms as 2 batches, 577 ms as one).
        min_split = 1 if self.engine.parallel_batches > 1 else MIN_SPLIT_SERIAL
        batches = token_batches(lengths, budget, size, settings.max_batch_spread, min_split)
        futures = [self._batch_pool.submit(run, batch) for batch in batches]
        try:
            for future in futures:
                future.result()
        finally:
            for future in futures:  # after an error, batches not started yet never start
                future.cancel()
        return outputs, capped, scores

    def alternatives(self, sources: Sequence[str], count: int) -> list[list[str]]:
        """The `count` best translations of each source sentence, best first, from a beam at
        least `count` wide (outside the batch queue: a rare request, asked for by name)."""
        if not sources:
            return []
        deadline.check()
        ids = self.tokenizer.encode(sources)
        found = self._batch_pool.submit(self.engine.alternatives, ids, self.options, count)
        return [self.tokenizer.decode(hypotheses) for hypotheses in found.result()]

    def align(
        self, sources: Sequence[str], outputs: Sequence[Output]
    ) -> list[list[tuple[int, int]]]:
        """Word alignments, (target word, source word) pairs, of translated sentences; words
        are counted in `sources`, the texts the model read. The engine reads the attention in
        batches within the generation's token budget, and each batch's is reduced to word
        pairs as it comes: a long list of sentences never holds all its attention at once."""
        usable = [
            (s, o, o.ids) for s, o in zip(sources, outputs, strict=True) if o.ids and o.ids[1]
        ]
        if not usable:
            return [[] for _ in outputs]
        deadline.check()
        settings = self.settings
        lengths = [len(ids[0]) + len(ids[1]) for _, _, ids in usable]
        batches = token_batches(lengths, settings.max_batch_tokens, settings.max_batch_size)
        futures = [
            self._batch_pool.submit(
                self.engine.align,
                [usable[i][2][0] for i in batch],
                [usable[i][2][1] for i in batch],
            )
            for batch in batches
        ]
        found = {}
        for batch, future in zip(batches, futures, strict=True):
            for index, weights in zip(batch, future.result(), strict=True):
                source, output, (source_ids, target_ids) = usable[index]
                found[id(output)] = word_pairs(
                    weights,
                    self.tokenizer.ids_to_tokens(source_ids),
                    self.tokenizer.ids_to_tokens(target_ids),
                    len(source.split()),
                    len(output.text.split()),
                )
        return [found.get(id(o), []) for o in outputs]

    def close(self) -> None:
        """Free the engine (and stop the batch queue). A batch the engine is computing is not
        waited for: it holds the model until it ends."""
        if self._queue is not None:
            self._queue.close()
        self._batch_pool.shutdown(wait=False, cancel_futures=True)
        self.engine.close()
