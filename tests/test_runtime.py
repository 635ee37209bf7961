"""Parallel batches: engine batches computed at once, with the outputs of one at a time."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from depeche.config import Settings
from depeche.engines import DecodingOptions, Hypothesis
from depeche.queue import Batching
from depeche.results import Output
from depeche.runtime import ModelRuntime

from tests.corpus import french_sentences


class Overlap:
    """Wraps an engine's `generate` to count how many calls run at the same moment.

    The first `together` calls wait for each other inside the engine: they must all be running
    at once, or the barrier breaks and the test fails (a tiny model is quicker than a thread's
    start-up, so without this, overlap would depend on timing).
    """

    def __init__(self, runtime: ModelRuntime, together: int) -> None:
        self.generate = runtime.engine.generate
        self.together = together
        self.barrier = threading.Barrier(together, timeout=30)
        self.calls = 0
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()
        runtime.engine.generate = self  # type: ignore[method-assign]

    def __call__(
        self, batch: Sequence[Sequence[int]], options: DecodingOptions
    ) -> list[Hypothesis]:
        with self.lock:
            self.calls += 1
            first = self.calls <= self.together
            self.running += 1
            self.most = max(self.most, self.running)
        if first:
            self.barrier.wait()
        try:
            return self.generate(batch, options)
        finally:
            with self.lock:
                self.running -= 1


@pytest.mark.parametrize(
    ("engine", "parallel", "together"),
    [
        ("ctranslate2", 1, 1),
        ("ctranslate2", 2, 2),
        ("ctranslate2", 3, 3),
        ("transformers", 2, 1),  # one batch at a time, on every thread
    ],
)
def test_parallel_batches_compute_at_once_with_the_same_outputs(
    settings: Settings, engine: str, parallel: int, together: int
) -> None:
    # Sentences of very different lengths: the batch spread splits them into several batches.
    sentences = french_sentences()[:40]
    settings = settings.model_copy(
        update={
            "engine": engine,
            "threads": 3,
            "parallel_batches": parallel,
            "max_batch_tokens": 64,
        }
    )
    reference = ModelRuntime(
        settings.model_copy(update={"parallel_batches": 1}), settings.translation_model
    )
    runtime = ModelRuntime(settings, settings.translation_model)
    try:
        ids = runtime.tokenizer.encode(sentences)
        expected = reference.generate(ids)
        overlap = Overlap(runtime, together)
        assert runtime.engine.parallel_batches == together
        assert runtime.generate(ids) == expected
        assert overlap.most == together
        assert runtime.stats.sentences == len(sentences)
        assert runtime.stats.batches > together
    finally:
        runtime.close()
        reference.close()


@pytest.mark.parametrize(("parallel", "batches"), [(1, 1), (2, 2)])
def test_a_few_sentences_are_cut_for_spread_only_when_the_pieces_run_at_once(
    settings: Settings, parallel: int, batches: int
) -> None:
    by_length = sorted(french_sentences(), key=len)
    # One long sentence and two short ones, as in a news paragraph.
    sentences = [by_length[-1], by_length[0], by_length[1]]
    settings = settings.model_copy(update={"threads": 2, "parallel_batches": parallel})
    runtime = ModelRuntime(settings, settings.translation_model)
    try:
        ids = runtime.tokenizer.encode(sentences)
        assert max(map(len, ids)) > settings.max_batch_spread * min(map(len, ids))
        runtime.generate(ids)
        assert runtime.stats.batches == batches
    finally:
        runtime.close()


def test_an_engine_of_one_batch_at_a_time_keeps_every_thread(settings: Settings) -> None:
    import torch

    before = torch.get_num_threads()
    settings = settings.model_copy(
        update={"engine": "transformers", "threads": 3, "parallel_batches": 2}
    )
    runtime = ModelRuntime(settings, settings.translation_model)
    try:
        # Not 3 // 2: the threads a second batch would have had are not left idle.
        assert runtime.engine.parallel_batches == 1 and torch.get_num_threads() == 3
    finally:
        runtime.close()
        torch.set_num_threads(before)


def test_attention_is_read_in_batches_within_the_budget(settings: Settings) -> None:
    """Alignment asks the engine for the attention of a few sentences at a time (a group of
    hundreds at once held every matrix, and the engine's working memory for all of them)."""
    from depeche.translator import Translator

    text = "\n".join(f"Le maire https://x.fr/{i} parle." for i in range(100))
    whole = Translator(settings).translate_article(text, "text").text
    small = Translator(settings, max_batch_size=8)
    engine = small.runtime.engine
    align = engine.align
    sizes: list[int] = []

    def counted(sources: Sequence[Sequence[int]], targets: Sequence[Sequence[int]]) -> object:
        sizes.append(len(sources))
        return align(sources, targets)

    engine.align = counted  # type: ignore[method-assign]
    assert small.translate_article(text, "text").text == whole
    assert sum(sizes) == 100 and max(sizes) <= 8


@pytest.mark.parametrize("batching", [False, True])
def test_every_engine_call_runs_on_the_one_pool_of_the_queue(
    settings: Settings, batching: bool
) -> None:
    """Generation, alignment and n-best lists all run on the queue's workers, one per batch
    the engine computes at once, and on no other thread."""
    settings = settings.model_copy(update={"engine": "ctranslate2", "parallel_batches": 2})
    before = set(threading.enumerate())
    gathering = Batching(wait_ms=0, max_waiting=100, timeout=60) if batching else None
    runtime = ModelRuntime(settings, settings.translation_model, batching=gathering)
    seen: set[str] = set()
    for name in ("generate", "align", "alternatives"):
        call = getattr(runtime.engine, name)

        def spy(*args: object, call: Any = call, **kwargs: object) -> Any:
            seen.add(threading.current_thread().name)
            return call(*args, **kwargs)

        setattr(runtime.engine, name, spy)
    try:
        sources = french_sentences()[:12]
        ids = runtime.tokenizer.encode(sources)
        generated, _, _ = runtime.generate(ids)
        outputs = [
            Output(text, ids=(i, g))
            for text, i, g in zip(runtime.tokenizer.decode(generated), ids, generated, strict=True)
        ]
        runtime.align(sources, outputs)
        runtime.alternatives(sources[:2], 2)
        started = {t.name for t in set(threading.enumerate()) - before if t.is_alive()}
        engine_threads = {n for n in started if n.startswith("depeche")}
        assert len(engine_threads) == runtime.engine.parallel_batches == 2
        assert seen and seen <= engine_threads
    finally:
        runtime.close()
