"""The translation path: article -> blocks -> sentences -> engine -> reassembly.

`Translator` is the Python entry point newsrooms script against, and what the CLI and the
HTTP service call. It loads its model on first use, not when constructed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from service import article, flags, language, markup, sentences
from service.alignment import word_pairs
from service.batching import token_batches
from service.blocks import Format
from service.config import Settings, get_settings
from service.document import TranslatedDocument
from service.engines import DecodingOptions, Engine, load_engine, resolve_device
from service.models import ModelSource, load_manifest, resolve
from service.reassembly import reassemble
from service.tokenization import Tokenizer


@dataclass
class TranslationStats:
    """Running totals of what the engine did (for benchmarks and metrics)."""

    sentences: int = 0
    batches: int = 0
    output_tokens: int = 0


@dataclass
class _Runtime:
    source: ModelSource
    tokenizer: Tokenizer
    engine: Engine
    options: DecodingOptions
    input_limit: int


@dataclass
class _Output:
    text: str
    capped: bool
    # Source and output ids, for alignment; None when the sentence was cut into pieces.
    ids: tuple[list[int], list[int]] | None


class Translator:
    """French to English with the configured Marian model.

    >>> translator = Translator()                      # DEPECHE_* settings
    >>> translator = Translator(model="path/to/hf-dir", engine="transformers")
    >>> translator.translate(["Le maire a parlé.", "Il pleut."])

    Overrides are any `Settings` field (`translation_model` may be given as `model`).
    Safe to share between threads.
    """

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        if "model" in overrides:
            overrides["translation_model"] = overrides.pop("model")
        base = settings or get_settings()
        self.settings = base.model_copy(update=overrides) if overrides else base
        self._runtime: _Runtime | None = None
        self._load_lock = threading.Lock()
        self._engine_lock = threading.Lock()
        self.stats = TranslationStats()

    # -- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        """Load the tokenizer and the engine now rather than on first use."""
        self._load()

    def _load(self) -> _Runtime:
        if self._runtime is not None:
            return self._runtime
        with self._load_lock:
            if self._runtime is None:
                self._runtime = self._build_runtime()
        return self._runtime

    def _build_runtime(self) -> _Runtime:
        settings = self.settings
        source = resolve(
            settings.translation_model, settings.models_dir, load_manifest(settings.manifest)
        )
        tokenizer = Tokenizer(source.path)
        engine = load_engine(
            settings.engine,
            source,
            tokenizer,
            device=resolve_device(settings.device),
            compute_type=settings.compute_type,
            threads=settings.threads,
            models_dir=settings.models_dir,
        )
        options = DecodingOptions.from_model(
            source.path,
            beam_size=settings.beam_size,
            max_output_ratio=settings.max_output_ratio,
            max_output_extra=settings.max_output_extra,
        )
        return _Runtime(source, tokenizer, engine, options, input_limit=tokenizer.max_length)

    @property
    def model(self) -> ModelSource:
        """The model in use (loads it)."""
        return self._load().source

    @property
    def options(self) -> DecodingOptions:
        """The decoding settings in use (loads the model)."""
        return self._load().options

    def close(self) -> None:
        """Free the model; the next call loads it again."""
        with self._load_lock:
            if self._runtime is not None:
                self._runtime.engine.close()
                self._runtime = None

    # -- documents ---------------------------------------------------------------------------

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate plain texts; line layout and paragraph breaks are kept."""
        return [doc.text for doc in self.translate_documents(texts)]

    def translate_document(self, text: str, format: Format = "text") -> TranslatedDocument:
        """Translate one document, returning its text, blocks and segments."""
        return self.translate_documents([text], format)[0]

    def translate_documents(
        self, texts: Sequence[str], format: Format = "text"
    ) -> list[TranslatedDocument]:
        """Translate documents together: their sentences share engine batches.

        English passages are kept as they are; markup is kept around the aligned words;
        every segment gets its flags.
        """
        parsed = [article.segment(text, format) for text in texts]
        drafts = [draft for _, doc_drafts in parsed for draft in doc_drafts]
        prose = [d for d in drafts if d.has_prose]
        english = [d for d in prose if language.is_english(d.inline.plain)]
        for draft in english:
            draft.segment.flags = [flags.ENGLISH]
        kept = {id(d) for d in english}
        to_model = [d for d in prose if id(d) not in kept]
        outputs = self._translate([d.inline.plain for d in to_model])
        needs_alignment = [
            (draft, output)
            for draft, output in zip(to_model, outputs, strict=True)
            if any(not _spans_all(m, draft.inline.plain) for m in draft.inline.marks)
        ]
        alignments = self._align([o for _, o in needs_alignment])
        aligned = {id(d): a for (d, _), a in zip(needs_alignment, alignments, strict=True)}
        for draft, output in zip(to_model, outputs, strict=True):
            segment = draft.segment
            segment.translation = markup.restore(
                output.text, draft.inline, aligned.get(id(draft), [])
            )
            segment.flags = flags.flag(draft.inline.plain, output.text, capped=output.capped)
        return [
            TranslatedDocument(
                reassemble(text, [d.segment for d in doc_drafts]),
                doc_blocks,
                [d.segment for d in doc_drafts],
            )
            for text, (doc_blocks, doc_drafts) in zip(texts, parsed, strict=True)
        ]

    # -- sentences ---------------------------------------------------------------------------

    def translate_sentences(self, batch: Sequence[str]) -> list[str]:
        """Translate sentences one for one. A sentence over the model's input limit is cut at
        clause boundaries and its pieces translated and joined: nothing is dropped."""
        return [output.text for output in self._translate(batch)]

    def _translate(self, batch: Sequence[str]) -> list[_Output]:
        if not batch:
            return []
        runtime = self._load()
        unique = list(dict.fromkeys(batch))
        pieces: list[list[int]] = []
        owners: list[int] = []
        for owner, (sentence, encoded) in enumerate(
            zip(unique, runtime.tokenizer.encode(unique), strict=True)
        ):
            if len(encoded) <= runtime.input_limit:
                pieces.append(encoded)
                owners.append(owner)
                continue
            count = runtime.tokenizer.count
            cuts = sentences.split_long(sentence, count, runtime.input_limit)
            pieces.extend(runtime.tokenizer.encode([sentence[a:b] for a, b in cuts]))
            owners.extend([owner] * len(cuts))
        generated, capped = self._generate(runtime, pieces)
        texts = runtime.tokenizer.decode(generated)
        grouped: list[list[int]] = [[] for _ in unique]
        for index, owner in enumerate(owners):
            grouped[owner].append(index)
        by_source = {}
        for sentence, indices in zip(unique, grouped, strict=True):
            single = len(indices) == 1
            by_source[sentence] = _Output(
                " ".join(texts[i] for i in indices),
                any(capped[i] for i in indices),
                (pieces[indices[0]], generated[indices[0]]) if single else None,
            )
        return [by_source[s] for s in batch]

    def _generate(
        self, runtime: _Runtime, ids: list[list[int]]
    ) -> tuple[list[list[int]], list[bool]]:
        settings = self.settings
        outputs: list[list[int]] = [[] for _ in ids]
        capped = [False] * len(ids)
        lengths = [len(x) for x in ids]
        for batch in token_batches(lengths, settings.max_batch_tokens, settings.max_batch_size):
            with self._engine_lock:
                results = runtime.engine.generate([ids[i] for i in batch], runtime.options)
                for index, result in zip(batch, results, strict=True):
                    # The batch decodes to its longest member's cap; each output keeps its own.
                    cap = runtime.options.output_cap(lengths[index])
                    outputs[index] = result[:cap]
                    capped[index] = len(result) >= cap
                    self.stats.output_tokens += len(outputs[index])
                self.stats.sentences += len(batch)
                self.stats.batches += 1
        return outputs, capped

    def _align(self, outputs: Sequence[_Output]) -> list[list[tuple[int, int]]]:
        """Word alignments (target word, source word) of translated sentences."""
        runtime = self._load() if outputs else None
        usable = [o for o in outputs if o.ids and o.ids[1]]
        if runtime is None or not usable:
            return [[] for _ in outputs]
        with self._engine_lock:
            attention = runtime.engine.align([o.ids[0] for o in usable], [o.ids[1] for o in usable])  # type: ignore[index]
        found = {}
        for output, weights in zip(usable, attention, strict=True):
            source_ids, target_ids = output.ids  # type: ignore[misc]
            source_text = runtime.tokenizer.decode([source_ids])[0]
            found[id(output)] = word_pairs(
                weights,
                runtime.tokenizer.ids_to_tokens(source_ids),
                runtime.tokenizer.ids_to_tokens(target_ids),
                len(source_text.split()),
                len(output.text.split()),
            )
        return [found.get(id(o), []) for o in outputs]


def _spans_all(mark: markup.Mark, plain: str) -> bool:
    """A mark around the whole sentence (a bold caption) needs no alignment."""
    return mark.start <= 0 and mark.end >= len(plain) and not mark.atom
