"""The translation path: document -> blocks -> sentences -> engine -> reassembly.

`Translator` is the Python entry point newsrooms script against, and what the CLI and the
HTTP service call. It loads its model on first use, not when constructed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from service import blocks, sentences
from service.batching import token_batches
from service.config import Settings, get_settings
from service.document import Segment, TranslatedDocument
from service.engines import DecodingOptions, Engine, load_engine, resolve_device
from service.models import ModelSource, load_manifest, resolve
from service.reassembly import reassemble
from service.tokenization import Tokenizer


@dataclass
class _Runtime:
    source: ModelSource
    tokenizer: Tokenizer
    engine: Engine
    options: DecodingOptions
    input_limit: int


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

    # -- translating -------------------------------------------------------------------------

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate plain texts; line layout and paragraph breaks are kept."""
        return [doc.text for doc in self.translate_documents(texts)]

    def translate_document(self, text: str, format: blocks.Format = "text") -> TranslatedDocument:
        """Translate one document, returning its text, blocks and segments."""
        return self.translate_documents([text], format)[0]

    def translate_documents(
        self, texts: Sequence[str], format: blocks.Format = "text"
    ) -> list[TranslatedDocument]:
        """Translate documents together: their sentences share engine batches."""
        parsed = [blocks.parse(text, format) for text in texts]
        found: list[list[Segment]] = []
        for text, doc_blocks in zip(texts, parsed, strict=True):
            doc_segments = []
            for index, block in enumerate(doc_blocks):
                for start, end in block.prose:
                    for a, b in sentences.split(text[start:end]):
                        doc_segments.append(
                            Segment(text[start + a : start + b], "", index, start + a, start + b)
                        )
            found.append(doc_segments)
        translations = self.translate_sentences([s.source for doc in found for s in doc])
        position = 0
        documents = []
        for text, doc_blocks, doc_segments in zip(texts, parsed, found, strict=True):
            for segment in doc_segments:
                segment.translation = translations[position]
                position += 1
            documents.append(
                TranslatedDocument(reassemble(text, doc_segments), doc_blocks, doc_segments)
            )
        return documents

    def translate_sentences(self, batch: Sequence[str]) -> list[str]:
        """Translate sentences one for one. A sentence over the model's input limit is cut at
        clause boundaries and its pieces translated and joined: nothing is dropped."""
        if not batch:
            return []
        runtime = self._load()
        unique = list(dict.fromkeys(batch))
        pieces: list[str] = []
        owners: list[int] = []
        ids: list[list[int]] = []
        for owner, (sentence, encoded) in enumerate(
            zip(unique, runtime.tokenizer.encode(unique), strict=True)
        ):
            if len(encoded) <= runtime.input_limit:
                pieces.append(sentence)
                owners.append(owner)
                ids.append(encoded)
                continue
            for a, b in sentences.split_long(
                sentence, runtime.tokenizer.count, runtime.input_limit
            ):
                pieces.append(sentence[a:b])
                owners.append(owner)
                ids.extend(runtime.tokenizer.encode([sentence[a:b]]))
        outputs = runtime.tokenizer.decode(self._generate(runtime, ids))
        joined: list[list[str]] = [[] for _ in unique]
        for owner, output in zip(owners, outputs, strict=True):
            joined[owner].append(output)
        by_source = {s: " ".join(parts) for s, parts in zip(unique, joined, strict=True)}
        return [by_source[s] for s in batch]

    def _generate(self, runtime: _Runtime, ids: list[list[int]]) -> list[list[int]]:
        settings = self.settings
        outputs: list[list[int]] = [[] for _ in ids]
        lengths = [len(x) for x in ids]
        for batch in token_batches(lengths, settings.max_batch_tokens, settings.max_batch_size):
            with self._engine_lock:
                results = runtime.engine.generate([ids[i] for i in batch], runtime.options)
            for index, result in zip(batch, results, strict=True):
                # The batch decodes to its longest member's cap; each output keeps its own.
                outputs[index] = result[: runtime.options.output_cap(lengths[index])]
        return outputs
