"""Builders for the models the tests and benchmarks use, made with the real classes.

No machine here reaches the Hugging Face Hub, so every model is built locally:

* a tiny Marian model with a SentencePiece tokenizer trained on `tests.corpus`, trained for
  a short while to copy the first words of its input. A random model answers every input alike
  and never stops; this one stops by itself and answers each input differently, so equality
  tests between engines can fail.
* a tiny random BART with a byte-level BPE tokenizer (summarization tests);
* random-weight models with the exact architecture of opus-mt-fr-en and distilbart-cnn-12-6
  (benchmarks: the same compute as the real models).

Built models are cached under `.cache/models/`, keyed by this file, the corpus and the library
versions, so a checkout pays for training once; a file lock makes the test processes running at
once (pytest-xdist's workers) wait for the one that builds a model rather than build it each.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "models"
COPY_WORDS = 4  # the copy task's target: the first words of the source


def _fingerprint(*extra: str) -> str:
    import tokenizers
    import torch
    import transformers

    digest = hashlib.sha256()
    for path in (Path(__file__), Path(__file__).with_name("corpus.py")):
        digest.update(path.read_bytes())
    for part in (transformers.__version__, torch.__version__, tokenizers.__version__, *extra):
        digest.update(part.encode())
    return digest.hexdigest()[:12]


def cached(name: str, build: Callable[[Path], None], *key: str) -> Path:
    """Return `.cache/models/<name>-<fingerprint>`, building it first if it is not there.

    One process builds it; others asking meanwhile wait for it on a lock, then use it."""
    from filelock import FileLock

    target = CACHE / f"{name}-{_fingerprint(*key)}"
    if (target / "config.json").exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(CACHE / f".{target.name}.lock"):
        if (target / "config.json").exists():  # built by another process while this one waited
            return target
        tmp = target.with_name(target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        build(tmp)
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    return target


# --- Marian ---------------------------------------------------------------------------------


def train_sentencepiece(sentences: Sequence[str], vocab_size: int, path: Path) -> None:
    """Train a unigram SentencePiece model, as Marian's `source.spm` / `target.spm` are."""
    import sentencepiece as spm

    with path.open("wb") as model_file:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(sentences),
            model_writer=model_file,
            vocab_size=vocab_size,
            character_coverage=1.0,
            model_type="unigram",
            hard_vocab_limit=False,
            num_threads=2,
            minloglevel=2,
        )


def write_marian_tokenizer(directory: Path, spm_path: Path, vocab_size: int) -> int:
    """Write Marian's tokenizer files; returns the id of `<pad>` (the last one, as in opus-mt).

    `vocab_size` pads the vocabulary with unused pieces so that the embedding matrix has the
    size of the real model's, whatever the SentencePiece model knows.
    """
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(spm_path))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        if piece not in vocab and piece not in ("<s>", "<unk>", "</s>"):
            vocab[piece] = len(vocab)
    filler = 0
    while len(vocab) < vocab_size - 1:
        vocab[f"<unused{filler}>"] = len(vocab)
        filler += 1
    vocab["<pad>"] = len(vocab)
    shutil.copy(spm_path, directory / "source.spm")
    shutil.copy(spm_path, directory / "target.spm")
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    (directory / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "MarianTokenizer",
                "source_lang": "fr",
                "target_lang": "en",
                "model_max_length": 512,
                "separate_vocabs": False,
            }
        )
    )
    return vocab["<pad>"]


def build_marian(
    directory: Path,
    tokenizer_sentences: Sequence[str],
    spm_vocab_size: int,
    *,
    vocab_size: int | None = None,
    d_model: int = 64,
    layers: int = 2,
    heads: int = 4,
    ffn: int = 128,
    seed: int = 0,
) -> None:
    """A random-weight MarianMTModel with its tokenizer, saved in Hugging Face format."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    train_sentencepiece(tokenizer_sentences, spm_vocab_size, directory / "spm.model")
    pad = write_marian_tokenizer(directory, directory / "spm.model", vocab_size or 0)
    (directory / "spm.model").unlink()
    vocab = pad + 1
    config = MarianConfig(
        vocab_size=vocab,
        decoder_vocab_size=vocab,
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        static_position_embeddings=True,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    zero_pad_embedding(model)
    model.generation_config = GenerationConfig(
        num_beams=4,
        max_length=512,
        bad_words_ids=[[pad]],
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        pad_token_id=pad,
    )
    model.save_pretrained(directory)


def zero_pad_embedding(model: object) -> None:
    """Marian decodes from a zero start vector, and CTranslate2 assumes it: keep `<pad>` at zero."""
    import torch

    embeddings = model.get_input_embeddings()  # type: ignore[attr-defined]
    pad = model.config.pad_token_id  # type: ignore[attr-defined]
    with torch.no_grad():
        embeddings.weight[pad].zero_()


def copy_target(sentence: str) -> str:
    """The copy task's answer: the first `COPY_WORDS` words of the source."""
    return " ".join(sentence.split()[:COPY_WORDS])


def train_copy_task(directory: Path, sentences: Sequence[str], steps: int = 500) -> None:
    """Train the model in `directory` to copy the first words of its input, in place."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.manual_seed(0)
    tokenizer = MarianTokenizer.from_pretrained(directory)
    model = MarianMTModel.from_pretrained(directory)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    rng = random.Random(0)
    data = list(sentences)
    for _ in range(steps):
        batch = rng.sample(data, 32)
        inputs = tokenizer(
            batch, text_target=[copy_target(s) for s in batch], padding=True, return_tensors="pt"
        )
        labels = inputs["labels"]
        labels[labels == tokenizer.pad_token_id] = -100
        loss = model(**inputs).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        zero_pad_embedding(model)
    model.eval()
    model.save_pretrained(directory)


def tiny_marian() -> Path:
    """The trained tiny Marian model (cached)."""
    from tests.corpus import english_sentences, french_sentences

    def build(directory: Path) -> None:
        french = french_sentences()
        build_marian(directory, french + english_sentences(), spm_vocab_size=400)
        train_copy_task(directory, french)

    return cached("tiny-marian", build)


def random_tiny_marian() -> Path:
    """An untrained tiny Marian model (cached): gibberish that never stops by itself."""
    from tests.corpus import english_sentences, french_sentences

    def build(directory: Path) -> None:
        build_marian(
            directory, french_sentences() + english_sentences(), spm_vocab_size=400, seed=1
        )

    return cached("random-tiny-marian", build)


def opus_mt_fr_en_architecture(corpus: Sequence[str]) -> Path:
    """Random weights, the exact architecture of opus-mt-fr-en (75M parameters).

    The tokenizer is trained on `corpus` (the benchmark's own text, read at run time) and the
    vocabulary padded to opus-mt's 59,514 entries, so tokenization and the output softmax cost
    what they cost with the real model.
    """

    def build(directory: Path) -> None:
        build_marian(
            directory,
            corpus,
            spm_vocab_size=8000,
            vocab_size=59514,
            d_model=512,
            layers=6,
            heads=8,
            ffn=2048,
        )

    corpus_key = hashlib.sha256("\n".join(corpus).encode()).hexdigest()
    return cached("opus-mt-fr-en-random", build, corpus_key)


# --- BART -----------------------------------------------------------------------------------

# Attributes the Hub's BART config.json files carry and CTranslate2's converter reads, though
# a BartConfig made by transformers 5 no longer sets them.
BART_HUB_ATTRIBUTES = {
    "normalize_before": False,
    "normalize_embedding": True,
    "add_final_layer_norm": False,
    "static_position_embeddings": False,
    "add_bias_logits": False,
    "extra_pos_embeddings": 2,
    "scale_embedding": False,
}


def write_bart_tokenizer(directory: Path, sentences: Sequence[str], vocab_size: int) -> int:
    """Train a byte-level BPE tokenizer (BART's kind) and write it; returns its vocabulary size.

    As with Marian, `vocab_size` pads the vocabulary with unused entries to the real size.
    """
    from tokenizers import ByteLevelBPETokenizer

    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        list(sentences),
        vocab_size=min(vocab_size, 4000) - 1,
        min_frequency=2,
        special_tokens=specials,
        show_progress=False,
    )
    bpe.save_model(str(directory))
    vocab = json.loads((directory / "vocab.json").read_text())
    filler = 0
    while len(vocab) < vocab_size - 1:
        vocab[f"<unused{filler}>"] = len(vocab)
        filler += 1
    vocab["<mask>"] = len(vocab)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    (directory / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "BartTokenizer", "model_max_length": 1024})
    )
    return len(vocab)


def build_bart(
    directory: Path,
    sentences: Sequence[str],
    *,
    vocab_size: int = 600,
    d_model: int = 32,
    encoder_layers: int = 2,
    decoder_layers: int = 2,
    heads: int = 2,
    ffn: int = 64,
    seed: int = 0,
) -> None:
    """A random-weight BartForConditionalGeneration with distilbart-cnn's decoding settings."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig

    vocab = write_bart_tokenizer(directory, sentences, vocab_size)
    config = BartConfig(
        vocab_size=vocab,
        d_model=d_model,
        encoder_layers=encoder_layers,
        decoder_layers=decoder_layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=1024,
        activation_function="gelu",
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        dropout=0.0,
        attention_dropout=0.0,
        **BART_HUB_ATTRIBUTES,
    )
    torch.manual_seed(seed)
    model = BartForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(
        num_beams=4,
        length_penalty=2.0,
        min_length=56,
        max_length=142,
        no_repeat_ngram_size=3,
        early_stopping=True,
        decoder_start_token_id=2,
        bos_token_id=0,
        eos_token_id=2,
        pad_token_id=1,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
    )
    model.save_pretrained(directory)


def tiny_bart() -> Path:
    """A tiny random BART (cached)."""
    from tests.corpus import english_sentences

    return cached("tiny-bart", lambda d: build_bart(d, english_sentences(400)))


def distilbart_cnn_architecture(corpus: Sequence[str]) -> Path:
    """Random weights, the exact architecture of distilbart-cnn-12-6 (306M parameters)."""

    def build(directory: Path) -> None:
        build_bart(
            directory,
            corpus,
            vocab_size=50264,
            d_model=1024,
            encoder_layers=12,
            decoder_layers=6,
            heads=16,
            ffn=4096,
        )

    corpus_key = hashlib.sha256("\n".join(corpus).encode()).hexdigest()
    return cached("distilbart-cnn-12-6-random", build, corpus_key)
