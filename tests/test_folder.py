from __future__ import annotations

import json
from pathlib import Path

import pytest
from depeche.errors import InputError
from depeche.folder import ArticleFile, Options, Passed, decide, discover, find, output_path, run
from depeche.folder_outputs import State
from depeche.processors import LocalProcessor
from depeche.shards import Shard
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


@pytest.mark.parametrize(
    ("shard", "expected"),
    [
        (None, ["a.md", "b.txt", "sub/c.md", "sub/deeper/d.md"]),
        (Shard(0, 2), ["a.md", "b.txt", "sub/c.md"]),
        (Shard(1, 2), ["sub/deeper/d.md"]),
    ],
)
def test_find_keeps_the_shard_s_files(
    tmp_path: Path, shard: Shard | None, expected: list[str]
) -> None:
    for name in ["a.md", "b.txt", "sub/c.md", "sub/deeper/d.md", "out/e.md", "f.docx"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = find(tmp_path, Options(shard=shard), exclude=tmp_path / "out")
    assert found == [Path(name) for name in expected]


ARTICLE = "Le maire de Lyon a présenté le budget.\n".encode()


@pytest.mark.parametrize(
    ("name", "data", "options", "known", "expected"),
    [
        ("a.md", ARTICLE, Options(), None, ("article", "markdown", "a.md")),
        ("a.txt", ARTICLE, Options(format="json"), None, ("article", "text", "a.json")),
        ("a.md", ARTICLE, Options(), "current", ("up to date", "")),
        ("a.md", ARTICLE, Options(), "stale", ("article", "markdown", "a.md")),
        ("a.txt", b"caf\xe9 au lait", Options(), None, ("failed", "not UTF-8")),
        ("a.txt", b"  \n", Options(), None, ("failed", "empty")),
        ("../a.md", ARTICLE, Options(), None, ("failed", "refusing to write outside")),
        ("settings.json", b'{"x": 1}', Options(), None, ("ignored", "not a ninjs item")),
        (
            "settings.json",
            b'{"x": 1}',
            Options(input_format="text"),
            None,
            ("article", "text", "settings.json"),
        ),
    ],
)
def test_decide_what_to_redo(
    tmp_path: Path,
    name: str,
    data: bytes,
    options: Options,
    known: str | None,
    expected: tuple[str, ...],
) -> None:
    source, out = tmp_path / "in" / "folder", tmp_path / "out"
    (source / name).parent.mkdir(parents=True, exist_ok=True)
    (source / name).write_bytes(data)
    out.mkdir()
    state = State(out)
    if known is not None:
        first = decide(source, out, Path(name), options, "settings", None)
        assert isinstance(first, ArticleFile)
        state.keys[name] = first.key if known == "current" else "another"
        (out / name).write_text("the output")
    verdict = decide(source, out, Path(name), options, "settings", state)
    if expected[0] == "article":
        assert isinstance(verdict, ArticleFile)
        assert (verdict.format, verdict.output) == (expected[1], out / expected[2])
        assert verdict.text == data.decode()
        # Without a state (--force, jsonl) it is done again all the same.
        assert decide(source, out, Path(name), options, "settings", None) == verdict
    else:
        assert isinstance(verdict, Passed) and verdict.outcome == expected[0]
        assert expected[1] in verdict.reason


class Counted(Shard):
    """A shard that counts the paths it is asked about."""

    asked: list[Path]

    def owns(self, relative: Path) -> bool:
        self.asked.append(relative)
        return super().owns(relative)


class Idle:
    """A processor for runs with nothing to translate."""

    def fingerprint(self) -> str:
        return "idle"

    def process(self, texts: object, formats: object, *summary: object) -> list[object]:
        raise AssertionError("nothing to translate")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (Options(), Options(max_words=12), True),  # no summary: lengths change nothing
        (Options(summarize=True), Options(summarize=True, max_words=12), False),
        (Options(summarize=True, max_words=12), Options(summarize=True, max_words=13), False),
        (Options(summarize=True, min_words=50), Options(summarize=True, max_words=50), False),
        (Options(summarize=True), Options(summarize=True, force=True, group_size=1), True),
        (Options(), Options(format="json"), False),
        (Options(), Options(input_format="text"), False),
    ],
)
def test_what_an_output_is_made_from(first: Options, second: Options, same: bool) -> None:
    assert (first.key(Idle()) == second.key(Idle())) == same  # type: ignore[arg-type]


def test_outputs_made_without_summary_lengths_stay_up_to_date() -> None:
    # The key of a state file written before runs took summary lengths.
    assert Options(summarize=True).key(Idle()) == "idle|markdown|None|True"  # type: ignore[arg-type]


def test_a_run_filters_its_shard_once(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    names = [f"article-{n}.md" for n in range(8)]
    for name in names:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text("  \n")  # empty: failed, nothing to translate
    shard = Counted(0, 2)
    object.__setattr__(shard, "asked", [])
    options = Options(shard=shard)
    mine = find(source, options)
    assert shard.asked == [Path(n) for n in names]  # once each, while finding
    shard.asked.clear()
    report = run(source, out, Idle(), options, files=mine)  # type: ignore[arg-type]
    assert shard.asked == []  # found already: not filtered again
    assert sorted(name for name, _ in report.failures) == [str(p) for p in mine]
    report = run(source, out, Idle(), options)  # type: ignore[arg-type]
    assert shard.asked == [Path(n) for n in names]  # found by the run itself: once each
    assert sorted(name for name, _ in report.failures) == [str(p) for p in mine]


def test_a_run_clears_only_its_shard_s_leftover_temporaries(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    names = [f"article-{n}.md" for n in range(8)]
    shard = Shard(0, 2)
    for name in names:  # what killed runs of both shards left behind
        (out / f".{name}.4242.tmp").parent.mkdir(parents=True, exist_ok=True)
        (out / f".{name}.4242.tmp").write_text("half")
    run(source, out, Idle(), Options(shard=shard))  # type: ignore[arg-type]
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
    report = run(source, out, processor, Options(format="json", summarize=True, group_size=8))
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
