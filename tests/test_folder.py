from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from depeche.errors import InputError
from depeche.folder import Shard, State, discover, output_path, run, write_atomic
from depeche.processors import LocalProcessor
from depeche.summarizer import Summarizer
from depeche.translator import Translator

from tests.corpus import french_sentences


def test_discover_is_recursive_and_skips_the_output(tmp_path: Path) -> None:
    for name in ["a.md", "b.txt", "c.html", "sub/d.md", "sub/deeper/e.txt", "out/f.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = discover(tmp_path, ["*.md", "*.txt"], exclude=tmp_path / "out")
    assert found == [Path("a.md"), Path("b.txt"), Path("sub/d.md"), Path("sub/deeper/e.txt")]
    assert discover(tmp_path, ["*.html"]) == [Path("c.html")]


@pytest.mark.parametrize(
    ("relative", "format", "expected"),
    [
        ("a.md", "markdown", "a.md"),
        ("sub/b.txt", "text", "sub/b.txt"),
        ("sub/b.md", "json", "sub/b.json"),
    ],
)
def test_output_mirrors_the_input(
    tmp_path: Path, relative: str, format: str, expected: str
) -> None:
    assert output_path(tmp_path, Path(relative), format) == tmp_path / expected  # type: ignore[arg-type]


def test_refuses_to_write_outside_the_output(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    with pytest.raises(InputError):
        output_path(out, Path("../escape.md"), "markdown")
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(InputError):
        output_path(out, Path("linked/a.md"), "markdown")
    (out / "file.md").symlink_to(elsewhere / "target.md")
    with pytest.raises(InputError):
        output_path(out, Path("file.md"), "markdown")


def test_atomic_write_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "a.md"
    write_atomic(target, "contenu")
    write_atomic(target, "nouveau contenu")
    assert target.read_text() == "nouveau contenu"
    assert os.listdir(target.parent) == ["a.md"]


def test_state_survives_a_reload(tmp_path: Path) -> None:
    state = State(tmp_path)
    state.keys["a.md"] = "k1"
    state.save()
    (tmp_path / "a.md").write_text("x")
    again = State(tmp_path)
    assert again.current("a.md", "k1", tmp_path / "a.md")
    assert not again.current("a.md", "k2", tmp_path / "a.md")
    assert not again.current("b.md", "k1", tmp_path / "b.md")


@pytest.mark.parametrize(
    ("text", "shard"),
    [("0/1", Shard(0, 1)), ("3/4", Shard(3, 4)), (" 1/2", Shard(1, 2))],
)
def test_shard_parse(text: str, shard: Shard) -> None:
    assert Shard.parse(text) == shard


@pytest.mark.parametrize("text", ["4/4", "-1/3", "1", "a/b", "1/0", "1/2/3"])
def test_shard_parse_refuses(text: str) -> None:
    with pytest.raises(InputError, match="shard"):
        Shard.parse(text)


def test_shards_split_every_article_once_and_stably() -> None:
    paths = [Path(f"desk-{d}/article-{n:03}.md") for d in range(3) for n in range(200)]
    shards = [Shard(k, 4) for k in range(4)]
    owners = [[s for s in shards if s.owns(p)] for p in paths]
    assert all(len(found) == 1 for found in owners)
    sizes = [sum(1 for found in owners if found[0] == s) for s in shards]
    assert min(sizes) > 100  # spread, not all in one
    # The hash is of the path alone: the same answer every run, and for the output's name.
    assert Shard(0, 4).owns(Path("desk-0/article-000.md")) == Shard(0, 4).owns(
        Path("desk-0/article-000.json")
    )
    assert [s.owns(Path("a/b.md")) for s in shards].index(True) == 1  # pinned: never reshuffled


class Idle:
    """A processor for runs with nothing to translate."""

    def fingerprint(self) -> str:
        return "idle"

    def process(self, texts: object, formats: object, summarize: bool) -> list[object]:
        raise AssertionError("nothing to translate")


def test_a_shard_clears_only_its_own_leftover_temporaries(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    names = [f"article-{n}.md" for n in range(8)]
    shard = Shard(0, 2)
    for name in names:  # what killed runs of both shards left behind
        (out / f".{name}.4242.tmp").parent.mkdir(parents=True, exist_ok=True)
        (out / f".{name}.4242.tmp").write_text("half")
    run(source, out, Idle(), shard=shard)  # type: ignore[arg-type]
    left = {p.name for p in out.glob(".*.tmp")}
    assert left == {f".{n}.4242.tmp" for n in names if not shard.owns(Path(n))}
    assert 0 < len(left) < len(names)


BROKEN = "Le maire annonce une panne."  # a sentence the engine raises on, below


class Broken:
    """Wraps a pipeline's engine: a batch holding text with `mark` raises, as an engine does on
    an input it cannot take; the others are decoded as usual."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, pipeline: Translator | Summarizer) -> None:
        self.runtime = pipeline.runtime
        self.generate = self.runtime.engine.generate
        self.mark = ""
        monkeypatch.setattr(self.runtime.engine, "generate", self)

    def __call__(self, batch: list[list[int]], options: object) -> object:
        if self.mark and any(self.mark in text for text in self.runtime.tokenizer.decode(batch)):
            raise RuntimeError("the engine cannot take this input")
        return self.generate(batch, options)


@pytest.mark.parametrize("failing", ["translation", "summary"])
def test_an_article_the_engine_fails_on_fails_alone(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    translator: Translator,
    summarizer: Summarizer,
    failing: str,
) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    sentences = french_sentences()
    # Long enough for the summarizer's model (a shorter article is its own summary).
    paragraphs = [
        "\n\n".join(" ".join(sentences[i + j : i + j + 4]) for j in range(0, 40, 4))
        for i in range(0, 160, 40)
    ]
    texts = {f"{name}.md": f"{paragraphs[i]}\n" for i, name in enumerate("abc")}
    texts["broken.md"] = f"{paragraphs[3]} {BROKEN}\n"
    for name, text in texts.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    engines = {
        "translation": Broken(monkeypatch, translator),
        "summary": Broken(monkeypatch, summarizer),
    }
    if failing == "translation":
        engines[failing].mark = "panne"
    else:  # the English the summarizer reads
        engines[failing].mark = translator.translate_article(texts["broken.md"]).english_prose()
    processor = LocalProcessor(translator, summarizer)
    report = run(source, out, processor, format="json", summarize=True, group_size=8)
    # Listed as a bad file is; the others of its group are translated and written.
    assert [name for name, _ in report.failures] == ["broken.md"]
    assert "cannot take this input" in report.failures[0][1]
    assert report.done == 3
    for name in "abc":
        written = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        expected = translator.translate_article(texts[f"{name}.md"])
        summarizer.summarize_articles([expected])
        assert written["text"] == expected.text
        assert written["summary"] == expected.summary.text  # type: ignore[union-attr]
    assert not (out / "broken.json").exists()
