"""Tokenize: text to token ids and back, as the model's own tokenizer does it.

Serving needs neither torch nor transformers, whose import costs seconds and hundreds of
megabytes: Marian's SentencePiece tokenizer is read with `sentencepiece` and its vocabulary,
and byte-level BPE tokenizers (BART) with Hugging Face `tokenizers`, built as transformers
builds them. Other tokenizers load through transformers. Tests hold each to transformers'
own answers, id for id.

One tokenizer is shared by every thread of the process; every call holds a lock (tokenizing
costs little next to decoding, so the lock is not a bottleneck).
"""

from __future__ import annotations

import json
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ModelError


class Tokenizer(ABC):
    """The model's tokenizer: `encode` gives the ids the encoder reads (ending in `</s>`)."""

    eos_id: int
    pad_id: int
    max_length: int

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @abstractmethod
    def _encode(self, texts: list[str]) -> list[list[int]]: ...

    @abstractmethod
    def _decode(self, ids: list[int]) -> str: ...

    @abstractmethod
    def _ids_to_tokens(self, ids: list[int]) -> list[str]: ...

    @abstractmethod
    def _tokens_to_ids(self, tokens: list[str]) -> list[int]: ...

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, special tokens included."""
        if not texts:
            return []
        with self._lock:
            return self._encode(list(texts))

    def decode(self, ids: Sequence[Sequence[int]]) -> list[str]:
        """Text of each id sequence, special tokens dropped."""
        with self._lock:
            return [self._decode(list(seq)).strip() for seq in ids]

    def ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        """Token strings, as CTranslate2 reads them."""
        with self._lock:
            return self._ids_to_tokens(list(ids))

    def tokens_to_ids(self, tokens: Sequence[str]) -> list[int]:
        """Token ids of CTranslate2's token strings."""
        with self._lock:
            return self._tokens_to_ids(list(tokens))

    def count(self, text: str) -> int:
        """Number of source tokens `text` costs, `</s>` included."""
        return len(self.encode([text])[0])


def load_tokenizer(path: Path) -> Tokenizer:
    """The tokenizer of the model folder `path`, without transformers where it can be."""
    config = _json(path / "tokenizer_config.json") or {}
    kind = str(config.get("tokenizer_class", ""))
    try:
        if kind == "MarianTokenizer" and (path / "source.spm").is_file():
            return SentencePieceTokenizer(path, config)
        if kind in ("BartTokenizer", "BartTokenizerFast", "RobertaTokenizer") and (
            (path / "vocab.json").is_file() and (path / "merges.txt").is_file()
        ):
            return ByteLevelTokenizer(path, config)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ModelError(f"cannot load the tokenizer in {path}: {exc}") from exc
    return TransformersTokenizer(path)


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _max_length(config: dict[str, Any]) -> int:
    return min(int(config.get("model_max_length") or 1 << 16), 1 << 16)


class SentencePieceTokenizer(Tokenizer):
    """Marian's tokenizer: SentencePiece pieces looked up in the model's `vocab.json`."""

    def __init__(self, path: Path, config: dict[str, Any]) -> None:
        super().__init__()
        import sentencepiece

        if config.get("separate_vocabs"):
            raise ValueError("Marian models with separate vocabularies are read by transformers")
        self.vocab: dict[str, int] = _json(path / "vocab.json")
        self.pieces = {index: piece for piece, index in self.vocab.items()}
        self.spm = sentencepiece.SentencePieceProcessor(model_file=str(path / "source.spm"))
        self.unk = str(config.get("unk_token") or "<unk>")
        eos, pad = str(config.get("eos_token") or "</s>"), str(config.get("pad_token") or "<pad>")
        self.eos_id, self.pad_id, self.unk_id = (
            self.vocab[eos],
            self.vocab[pad],
            self.vocab[self.unk],
        )
        # Special tokens written in the text are those tokens, as transformers reads them.
        self.special_tokens = {token: self.vocab[token] for token in (eos, pad, self.unk)}
        self.specials = set(self.special_tokens.values())
        self.split = re.compile("(" + "|".join(map(re.escape, self.special_tokens)) + ")")
        self.max_length = _max_length(config)

    def _encode(self, texts: list[str]) -> list[list[int]]:
        return [self._encode_one(text) for text in texts]

    def _encode_one(self, text: str) -> list[int]:
        ids: list[int] = []
        if text.startswith(">>") and (end := text.find("<<")) != -1:  # a language code
            ids.append(self.vocab.get(text[: end + 2], self.unk_id))
            text = text[end + 2 :]
        for part in self.split.split(text):
            if part in self.special_tokens:
                ids.append(self.special_tokens[part])
            elif part:
                pieces = self.spm.encode(part, out_type=str)
                ids.extend(self.vocab.get(piece, self.unk_id) for piece in pieces)
        ids.append(self.eos_id)
        return ids

    def _decode(self, ids: list[int]) -> str:
        # A shared vocabulary decodes with the source model, as transformers does.
        pieces = [self._piece(i) for i in ids if i not in self.specials]
        return str(self.spm.decode_pieces(pieces)).replace("▁", " ")

    def _piece(self, index: int) -> str:
        return self.pieces.get(index) or self.spm.IdToPiece(index) or self.unk

    def _ids_to_tokens(self, ids: list[int]) -> list[str]:
        return [self._piece(i) for i in ids]

    def _tokens_to_ids(self, tokens: list[str]) -> list[int]:
        return [self.vocab.get(token, self.unk_id) for token in tokens]


class ByteLevelTokenizer(Tokenizer):
    """BART's byte-level BPE, with Hugging Face `tokenizers` as transformers configures it."""

    def __init__(self, path: Path, config: dict[str, Any]) -> None:
        super().__init__()
        from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

        prefix = bool(config.get("add_prefix_space", False))
        trim = bool(config.get("trim_offsets", True))
        vocab: dict[str, int] = _json(path / "vocab.json")
        model = models.BPE.from_file(
            str(path / "vocab.json"),
            str(path / "merges.txt"),
            dropout=None,
            continuing_subword_prefix="",
            end_of_word_suffix="",
            fuse_unk=False,
        )
        tokenizer = Tokenizer(model)
        tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=prefix)
        tokenizer.decoder = decoders.ByteLevel()
        names = {
            name: str(config.get(f"{name}_token") or default)
            for name, default in (
                ("bos", "<s>"),
                ("eos", "</s>"),
                ("unk", "<unk>"),
                ("pad", "<pad>"),
                ("mask", "<mask>"),
            )
        }
        tokenizer.add_special_tokens(
            [AddedToken(token, special=True, normalized=False) for token in names.values()]
        )
        tokenizer.post_processor = processors.RobertaProcessing(
            (names["eos"], vocab[names["eos"]]), (names["bos"], vocab[names["bos"]]), trim, prefix
        )
        self._tokenizer = tokenizer
        self.eos_id, self.pad_id = vocab[names["eos"]], vocab[names["pad"]]
        self.unk_id = vocab[names["unk"]]
        self.max_length = _max_length(config)

    def _encode(self, texts: list[str]) -> list[list[int]]:
        return [list(e.ids) for e in self._tokenizer.encode_batch(texts)]

    def _decode(self, ids: list[int]) -> str:
        return str(self._tokenizer.decode(ids, skip_special_tokens=True))

    def _ids_to_tokens(self, ids: list[int]) -> list[str]:
        return [self._tokenizer.id_to_token(i) or "" for i in ids]

    def _tokens_to_ids(self, tokens: list[str]) -> list[int]:
        found = (self._tokenizer.token_to_id(t) for t in tokens)
        return [self.unk_id if i is None else int(i) for i in found]


class TransformersTokenizer(Tokenizer):
    """Any other tokenizer, through transformers' `AutoTokenizer` (which imports torch)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        from transformers import AutoTokenizer

        from .libraries import TRANSFORMERS_LOADING, quiet_transformers

        quiet_transformers()
        try:
            with TRANSFORMERS_LOADING:
                self._tokenizer: Any = AutoTokenizer.from_pretrained(path)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load the tokenizer in {path}: {exc}") from exc
        self.eos_id = self._tokenizer.eos_token_id
        self.pad_id = self._tokenizer.pad_token_id
        self.max_length = min(int(self._tokenizer.model_max_length), 1 << 16)

    def _encode(self, texts: list[str]) -> list[list[int]]:
        return [list(ids) for ids in self._tokenizer(texts)["input_ids"]]

    def _decode(self, ids: list[int]) -> str:
        return str(self._tokenizer.decode(ids, skip_special_tokens=True))

    def _ids_to_tokens(self, ids: list[int]) -> list[str]:
        return list(self._tokenizer.convert_ids_to_tokens(ids))

    def _tokens_to_ids(self, tokens: list[str]) -> list[int]:
        return list(self._tokenizer.convert_tokens_to_ids(tokens))
