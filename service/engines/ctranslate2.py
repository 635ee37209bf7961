"""The default engine: CTranslate2 (int8 on CPU, float16 on GPU), and conversion to its format."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ctranslate2

from ..errors import ModelError
from ..models import ModelSource
from .base import DecodingOptions, Engine, EngineConfig, Hypothesis, resolve_parallel_batches

log = logging.getLogger(__name__)


# BART settings the converter reads from the config. The Hub's config.json files carry them;
# a BartConfig made by transformers 5 does not, and these are BART's own values.
_BART_DEFAULTS = {
    "normalize_before": False,
    "normalize_embedding": True,
    "add_final_layer_norm": False,
    "static_position_embeddings": False,
    "add_bias_logits": False,
}


def _converter(path: str) -> Any:
    from ctranslate2.converters import TransformersConverter

    from ..libraries import quiet_transformers

    quiet_transformers()

    class Converter(TransformersConverter):
        def load_model(self, model_class: Any, name: str, **kwargs: Any) -> Any:
            model = super().load_model(model_class, name, **kwargs)
            if model.config.model_type == "bart":
                for attribute, value in _BART_DEFAULTS.items():
                    if not hasattr(model.config, attribute):
                        setattr(model.config, attribute, value)
            return model

    return Converter(path, low_cpu_mem_usage=True)


def converted_path(source: ModelSource, models_dir: Path, compute_type: str) -> Path:
    """Where the CTranslate2 conversion of `source` for `compute_type` lives (keyed by the
    model's content)."""
    return models_dir / "ctranslate2" / f"{source.slug}-{compute_type}"


def default_compute_type(device: str) -> str:
    """What a device computes in when no compute type is set: int8 on CPU, float16 on GPU."""
    return "float16" if device == "cuda" else "int8"


def convert(source: ModelSource, models_dir: Path, compute_type: str) -> Path:
    """Convert `source` to CTranslate2 in `compute_type` once; later calls reuse it.

    The weights are stored in the type they are computed in (a copy per compute type), so
    loading does not quantize again: that would cost time and the memory of both copies at
    every start. Converting needs torch; a container's runtime stage gets converted models.
    """
    target = converted_path(source, models_dir, compute_type)
    if (target / "model.bin").is_file():
        return target
    from ..libraries import TRANSFORMERS_LOADING

    with TRANSFORMERS_LOADING:
        if (target / "model.bin").is_file():  # converted while this thread waited
            return target
        return _convert(source, target, compute_type)


def _convert(source: ModelSource, target: Path, compute_type: str) -> Path:
    try:
        import torch  # noqa: F401 - the converter loads the PyTorch weights
    except ImportError:
        raise ModelError(
            f"{source.name} is not converted for {compute_type} yet and converting needs "
            "torch: pip install 'depeche-mt[torch]', or run `depeche models pull` where it is "
            "installed"
        ) from None
    log.info("converting %s to CTranslate2 (%s) in %s", source.name, compute_type, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        # "default" and "auto" choose at load time: those keep float32 weights, as stored.
        quantization = None if compute_type in ("default", "auto", "float32") else compute_type
        _converter(str(source.path)).convert(str(tmp), quantization=quantization, force=True)
    except Exception as exc:  # the converter raises bare errors for unsupported models
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelError(f"cannot convert {source.name} to CTranslate2: {exc}") from exc
    try:
        tmp.rename(target)
    except OSError:  # another process finished the same conversion first
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def cuda_available() -> bool:
    """Whether CTranslate2 sees a GPU."""
    return ctranslate2.get_cuda_device_count() > 0


def _mean(score: float, length: int, options: DecodingOptions) -> float:
    """The mean log-probability per token of a hypothesis CTranslate2 scored `score`: its
    search ranks by the sum of the tokens' log-probabilities (the end of sentence included)
    over `length` ** the length penalty, `length` counting the end of sentence."""
    if length <= 0:
        return 0.0
    return float(score * length**options.length_penalty / length)


class CTranslate2Engine(Engine):
    """`ctranslate2.Translator.translate_batch` over the converted model."""

    name = "ctranslate2"

    def __init__(self, source: ModelSource, config: EngineConfig) -> None:
        compute_type = config.compute_type or default_compute_type(config.device)
        path = convert(source, config.models_dir, compute_type)
        parallel, threads = resolve_parallel_batches(
            config.device, config.threads, config.parallel_batches
        )
        try:
            self.translator = ctranslate2.Translator(
                str(path),
                device=config.device,
                compute_type=compute_type,
                intra_threads=threads,
                # Replicas share the weights: each parallel batch costs only its working memory.
                inter_threads=parallel,
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load {path} with CTranslate2: {exc}") from exc
        self.compute_type = compute_type
        self.parallel_batches = parallel

    def generate(
        self, batch: Sequence[Sequence[int]], options: DecodingOptions
    ) -> list[Hypothesis]:
        results, longest = self._translate(batch, options, 1, scores=True)
        found = []
        for result in results:
            ids = self.tokenizer.tokens_to_ids(result.hypotheses[0])
            # The end of sentence is dropped from the tokens but counted in the score.
            length = len(ids) + (len(ids) < longest)
            found.append(Hypothesis(ids, _mean(result.scores[0], length, options)))
        return found

    def alternatives(
        self, batch: Sequence[Sequence[int]], options: DecodingOptions, count: int
    ) -> list[list[list[int]]]:
        results, _ = self._translate(batch, options, count)
        return [[self.tokenizer.tokens_to_ids(h) for h in r.hypotheses] for r in results]

    def _translate(
        self,
        batch: Sequence[Sequence[int]],
        options: DecodingOptions,
        count: int,
        scores: bool = False,
    ) -> tuple[list[Any], int]:
        """CTranslate2's results for `batch`, and the most tokens an output may have (one
        that long ran into the cap: it has no end of sentence)."""
        tokens = [self.tokenizer.ids_to_tokens(ids) for ids in batch]
        cap = max(options.output_cap(len(ids)) for ids in batch)
        # Marian's <pad> is not in CTranslate2's vocabulary: it can never be produced there.
        suppress = [
            self.tokenizer.ids_to_tokens(ids)
            for ids in options.suppress
            if self.tokenizer.pad_id not in ids
        ]
        # transformers forces BART's first token (<s>); CTranslate2 gets it as a prefix.
        prefix = None
        if options.forced_bos is not None:
            prefix = [self.tokenizer.ids_to_tokens([options.forced_bos])] * len(tokens)
        results = self.translator.translate_batch(
            tokens,
            target_prefix=prefix,
            beam_size=max(options.beam_size, count),
            num_hypotheses=count,
            length_penalty=options.length_penalty,
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            # transformers counts the decoder start token in min_length; CTranslate2 does not.
            min_decoding_length=max(0, options.min_length - 1),
            max_decoding_length=cap + 1,
            max_input_length=0,  # never truncate silently: long sentences are cut upstream
            suppress_sequences=suppress or None,
            return_scores=scores,
        )
        return results, cap + 1

    def align(
        self, sources: Sequence[Sequence[int]], targets: Sequence[Sequence[int]]
    ) -> list[list[list[float]]]:
        # Forced decoding: the target is given as a prefix, the attention read along the way.
        results = self.translator.translate_batch(
            [self.tokenizer.ids_to_tokens(ids) for ids in sources],
            target_prefix=[self.tokenizer.ids_to_tokens(ids) for ids in targets],
            beam_size=1,
            max_decoding_length=max(len(ids) for ids in targets) + 1,
            max_input_length=0,
            return_attention=True,
        )
        return [
            [list(row) for row in result.attention[0][: len(target)]]
            for result, target in zip(results, targets, strict=True)
        ]

    def close(self) -> None:
        del self.translator
