"""Tokenize: text to token ids and back, with the model's own tokenizer.

One tokenizer is shared by every thread of the process. Hugging Face fast tokenizers raise
"Already borrowed" when two threads use one at once, so every call holds a lock; tokenizing
costs little next to decoding, so the lock is not a bottleneck.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ModelError


class Tokenizer:
    """The model's tokenizer: `encode` gives the ids the encoder reads (ending in `</s>`)."""

    def __init__(self, path: Path) -> None:
        from transformers import AutoTokenizer

        try:
            self._tokenizer: Any = AutoTokenizer.from_pretrained(path)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load the tokenizer in {path}: {exc}") from exc
        self._lock = threading.Lock()
        self.eos_id: int = self._tokenizer.eos_token_id
        self.pad_id: int = self._tokenizer.pad_token_id
        self.max_length: int = min(int(self._tokenizer.model_max_length), 1 << 16)

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, special tokens included."""
        if not texts:
            return []
        with self._lock:
            return [list(ids) for ids in self._tokenizer(list(texts))["input_ids"]]

    def decode(self, ids: Sequence[Sequence[int]]) -> list[str]:
        """Text of each id sequence, special tokens dropped."""
        with self._lock:
            return [
                self._tokenizer.decode(list(seq), skip_special_tokens=True).strip() for seq in ids
            ]

    def ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        """Token strings, as CTranslate2 reads them."""
        with self._lock:
            return list(self._tokenizer.convert_ids_to_tokens(list(ids)))

    def tokens_to_ids(self, tokens: Sequence[str]) -> list[int]:
        """Token ids of CTranslate2's token strings."""
        with self._lock:
            return list(self._tokenizer.convert_tokens_to_ids(list(tokens)))

    def count(self, text: str) -> int:
        """Number of source tokens `text` costs, `</s>` included."""
        return len(self.encode([text])[0])
