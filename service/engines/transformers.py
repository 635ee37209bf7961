"""The reference engine: the model's own `generate` from Hugging Face transformers."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import AutoModelForSeq2SeqLM

from ..errors import ModelError
from ..libraries import TRANSFORMERS_LOADING, quiet_transformers
from ..models import ModelSource
from .base import DecodingOptions, Engine, EngineConfig, Hypothesis

quiet_transformers()


class TransformersEngine(Engine):
    """`AutoModelForSeq2SeqLM.generate`, batched with padding; float32 on CPU, float16 on GPU."""

    name = "transformers"

    def __init__(self, source: ModelSource, config: EngineConfig) -> None:
        if config.threads:
            torch.set_num_threads(config.threads)
        device = config.device
        dtype = (
            torch.float16
            if device == "cuda" and config.compute_type != "float32"
            else torch.float32
        )
        try:
            with TRANSFORMERS_LOADING:
                # Eager attention: the default (sdpa) returns no cross-attentions, which
                # `align` reads for markup, glossaries and documents.
                model = AutoModelForSeq2SeqLM.from_pretrained(
                    source.path, dtype=dtype, attn_implementation="eager"
                )
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load {source.name} with transformers: {exc}") from exc
        self.model = model.to(device).eval()
        self.compute_type = "float16" if dtype == torch.float16 else "float32"
        self.device = device

    def generate(
        self, batch: Sequence[Sequence[int]], options: DecodingOptions
    ) -> list[Hypothesis]:
        rows = [hypotheses[0] for hypotheses in self._generate(batch, options, 1)]
        outputs = [self._strip(row) for row in rows]
        # The end of sentence counts where the model produced it (not past the length cap).
        ended = [
            [*ids, self.tokenizer.eos_id] if self.tokenizer.eos_id in row[1:] else ids
            for ids, row in zip(outputs, rows, strict=True)
        ]
        scores = self._scores(batch, ended, options)
        return [Hypothesis(ids, score) for ids, score in zip(outputs, scores, strict=True)]

    def alternatives(
        self, batch: Sequence[Sequence[int]], options: DecodingOptions, count: int
    ) -> list[list[list[int]]]:
        return [
            [self._strip(row) for row in rows] for rows in self._generate(batch, options, count)
        ]

    def _generate(
        self, batch: Sequence[Sequence[int]], options: DecodingOptions, count: int
    ) -> list[list[list[int]]]:
        """The `count` best rows `generate` gives each source (decoder start token first)."""
        width = max(len(ids) for ids in batch)
        pad = self.tokenizer.pad_id
        input_ids = torch.tensor([list(ids) + [pad] * (width - len(ids)) for ids in batch])
        mask = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids in batch])
        cap = max(options.output_cap(len(ids)) for ids in batch)
        with torch.inference_mode():
            output = self.model.generate(
                input_ids=input_ids.to(self.device),
                attention_mask=mask.to(self.device),
                do_sample=False,
                num_beams=max(options.beam_size, count),
                num_return_sequences=count,
                length_penalty=options.length_penalty,
                no_repeat_ngram_size=options.no_repeat_ngram_size,
                min_length=options.min_length,
                max_new_tokens=cap + 1,  # + end of sentence
                bad_words_ids=[list(ids) for ids in options.suppress] or None,
            )
        rows = output.tolist()
        return [rows[i * count : (i + 1) * count] for i in range(len(batch))]

    def _scores(
        self,
        sources: Sequence[Sequence[int]],
        targets: Sequence[Sequence[int]],
        options: DecodingOptions,
    ) -> list[float]:
        """The mean log-probability of each target's tokens given its source, by forced
        decoding. Tokens the options suppress with no context (Marian's <pad>) are out of the
        softmax, as they are out of CTranslate2's vocabulary."""
        pad, start = self.tokenizer.pad_id, self.model.config.decoder_start_token_id
        width = max(len(ids) for ids in sources)
        length = max(1, max(len(ids) for ids in targets))
        input_ids = torch.tensor([list(ids) + [pad] * (width - len(ids)) for ids in sources])
        mask = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids in sources])
        labels = torch.tensor([list(ids) + [pad] * (length - len(ids)) for ids in targets])
        decoder_ids = torch.cat([torch.full((len(targets), 1), start), labels[:, :-1]], dim=1)
        with torch.inference_mode():
            logits = self.model(
                input_ids=input_ids.to(self.device),
                attention_mask=mask.to(self.device),
                decoder_input_ids=decoder_ids.to(self.device),
            ).logits.float()
            never = [ids[0] for ids in options.suppress if len(ids) == 1]
            logits[:, :, never] = float("-inf")
            chosen = logits.log_softmax(dim=-1).gather(2, labels.to(self.device).unsqueeze(-1))
        scores = []
        for row, ids in zip(chosen[:, :, 0].tolist(), targets, strict=True):
            scores.append(sum(row[: len(ids)]) / len(ids) if ids else 0.0)
        return scores

    def align(
        self, sources: Sequence[Sequence[int]], targets: Sequence[Sequence[int]]
    ) -> list[list[list[float]]]:
        start = self.model.config.decoder_start_token_id
        attentions = []
        for source, target in zip(sources, targets, strict=True):
            with torch.inference_mode():
                output = self.model(
                    input_ids=torch.tensor([list(source)], device=self.device),
                    decoder_input_ids=torch.tensor([[start, *target]], device=self.device),
                    output_attentions=True,
                )
            # Last layer, heads averaged: row i is the step that produced target[i].
            weights = output.cross_attentions[-1][0].float().mean(dim=0)
            attentions.append(weights[: len(target)].tolist())
        return attentions

    def _strip(self, row: list[int]) -> list[int]:
        # Drop the decoder start token, then everything from the first end of sentence on.
        out = row[1:]
        eos = self.tokenizer.eos_id
        if eos in out:
            return out[: out.index(eos)]
        return [t for t in out if t != self.tokenizer.pad_id]

    def close(self) -> None:
        del self.model
