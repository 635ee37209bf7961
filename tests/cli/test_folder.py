"""`depeche translate DIR -o OUT`, end to end (the kill test runs the real command)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from depeche.cli import build_parser, main
from depeche.cli.folder import folder_options
from depeche.config import Settings
from depeche.folder import DEFAULT_PATTERNS, Options
from depeche.formats import detect
from depeche.shards import Shard
from depeche.translator import Translator

from tests import wire_items
from tests.api.live import LiveServer
from tests.cli.disk import fill, on_small_disk, read_only
from tests.corpus import french_sentences
from tests.sync import wait_for

SENTENCES = french_sentences()


def article(index: int) -> str:
    body = " ".join(SENTENCES[index * 3 : index * 3 + 3])
    return f"# *Titre {index}*\n\n---\n\n{body}\n\n**Légende {index}**\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    for index, name in enumerate(["a.md", "b.txt", "sub/c.md", "sub/deeper/d.md"]):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(index), encoding="utf-8")
    (root / "sub" / "bad.md").write_bytes(b"caf\xe9 au lait\n")
    (root / "empty.txt").write_text("  \n")
    (root / "notes.html").write_text("<p>Le maire a <b>parlé</b>.</p>", encoding="utf-8")
    (root / "notes.json").write_text('{"ignored": true}')
    return root


@pytest.mark.parametrize(
    ("arguments", "options"),
    [
        (["translate", "in"], Options()),
        (
            ["translate", "in", "--format", "json", "--input-format", "html", "--glob", "*.x"],
            Options(format="json", input_format="html", patterns=("*.x",)),
        ),
        (
            ["translate", "in", "--summarize", "--max-words", "40", "--min-words", "20"],
            Options(summarize=True, max_words=40, min_words=20),
        ),
        (
            ["translate", "in", "--force", "--batch-articles", "4", "--shard", "1/3"],
            Options(force=True, group_size=4, shard=Shard(1, 3)),
        ),
        (["watch", "in", "-o", "out"], Options(group_size=8)),
        (
            ["watch", "in", "-o", "out", "--summarize", "--max-words", "40", "--shard", "0/2"],
            Options(summarize=True, max_words=40, group_size=8, shard=Shard(0, 2)),
        ),
    ],
)
def test_folder_options_from_the_command_line(arguments: list[str], options: Options) -> None:
    args = build_parser().parse_args(arguments)
    assert folder_options(args, force=getattr(args, "force", False)) == options
    assert options.patterns == DEFAULT_PATTERNS or arguments.count("--glob")


def expected(translator: Translator, root: Path, name: str) -> str:
    text = (root / name).read_text(encoding="utf-8")
    return translator.translate_article(text, detect(text, name)).text


def test_nested_folders_mirrored_bad_files_listed(
    env: dict[str, str], tree: Path, translator: Translator, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tree.parent / "out"
    assert main(["translate", str(tree), "-o", str(out), "--quiet"]) == 1
    outputs = sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    # Every article by its own format: b.txt holds markdown, notes.html is HTML.
    assert outputs == ["a.md", "b.txt", "notes.html", "sub/c.md", "sub/deeper/d.md"]
    assert (out / "notes.html").read_text(encoding="utf-8").count("<b>") == 1
    for name in outputs:
        assert (out / name).read_text(encoding="utf-8") == expected(translator, tree, name)
    err = capsys.readouterr().err
    assert "sub/bad.md: not UTF-8" in err and "empty.txt: empty" in err


def test_rerun_skips_what_is_up_to_date(
    env: dict[str, str], tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tree.parent / "out"
    main(["translate", str(tree), "-o", str(out)])
    first = capsys.readouterr().err
    assert "5 translated, 0 up to date, 2 failed" in first
    (tree / "a.md").write_text(article(9), encoding="utf-8")  # one article edited
    main(["translate", str(tree), "-o", str(out)])
    assert "1 translated, 4 up to date, 2 failed" in capsys.readouterr().err
    main(["translate", str(tree), "-o", str(out), "--force"])
    assert "5 translated, 0 up to date" in capsys.readouterr().err


@pytest.mark.parametrize("format", ["json", "jsonl"])
def test_json_formats(
    env: dict[str, str],
    tree: Path,
    format: str,
    translator: Translator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tree / "sub" / "bad.md").unlink()
    (tree / "empty.txt").unlink()
    out = tree.parent / "out"
    if format == "json":
        assert main(["translate", str(tree), "-o", str(out), "--format", "json", "--quiet"]) == 0
        record = json.loads((out / "sub" / "c.json").read_text(encoding="utf-8"))
    else:
        assert main(["translate", str(tree), "--format", "jsonl", "--quiet"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 5
        record = next(r for r in map(json.loads, lines) if r["path"] == "sub/c.md")
    assert record.pop("path") == "sub/c.md"
    # One shape: the record is the article as /v1/articles and the Python API give it.
    text = (tree / "sub" / "c.md").read_text(encoding="utf-8")
    expected = translator.translate_article(text, "markdown").to_dict()
    # Scores agree to float precision: the folder's batches are not the single article's.
    scores = [s.pop("score") for s in record["segments"]]
    assert scores == pytest.approx([s.pop("score") for s in expected["segments"]], abs=1e-5)
    assert record == expected
    assert record["blocks"][0]["kind"] == "heading1"


def test_progress_lines_when_not_a_terminal(
    env: dict[str, str], tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["translate", str(tree), "-o", str(tree.parent / "out"), "--batch-articles", "1"])
    err = capsys.readouterr().err
    assert "8/8 articles" in err and "articles/s" in err and "ETA" in err


def test_killed_mid_run_then_resumed(
    env: dict[str, str], tmp_path: Path, translator: Translator
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    names = [f"article-{i:02}.md" for i in range(60)]
    for index, name in enumerate(names):
        (root / name).write_text(article(index % 100), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "depeche",
        "translate",
        str(root),
        "-o",
        str(out),
        "--batch-articles",
        "1",
        "--quiet",
    ]
    process = subprocess.Popen(command, env={**os.environ, **env})
    wait_for(lambda: len(list(out.glob("article-*.md"))) >= 5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = {p.name for p in out.glob("article-*.md")}
    assert 5 <= len(done_before) < len(names)  # killed mid-way
    for name in done_before:  # complete or absent, never partial
        assert (out / name).read_text(encoding="utf-8") == expected(translator, root, name)
    rerun = subprocess.run(
        command[:-1], env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0
    assert (
        f"{len(done_before)} up to date" in rerun.stderr
        or f"{len(done_before) - 1} up to date" in rerun.stderr
    )  # the last state save may be lost
    assert sorted(p.name for p in out.glob("article-*.md")) == names
    assert not list(out.glob(".*.tmp"))
    for name in names[:3] + names[-3:]:
        assert (out / name).read_text(encoding="utf-8") == expected(translator, root, name)


def test_server_mode(
    env: dict[str, str], tree: Path, settings: Settings, translator: Translator
) -> None:
    (tree / "sub" / "bad.md").unlink()
    (tree / "empty.txt").unlink()
    (tree / "item.xml").write_text(wire_items.NEWSML_MESSAGE, encoding="utf-8")
    served = settings.model_copy(update={"summarization_model": "none"})
    out = tree.parent / "out"
    with LiveServer(served) as url:
        code = main(
            [
                "translate",
                str(tree),
                "-o",
                str(out),
                "--server",
                url,
                "--concurrency",
                "3",
                "--quiet",
            ]
        )
    assert code == 0
    for name in ["a.md", "b.txt", "sub/c.md", "sub/deeper/d.md", "item.xml"]:
        assert (out / name).read_text(encoding="utf-8") == expected(translator, tree, name)


def test_shards_together_do_the_folder_once(
    env: dict[str, str], tree: Path, translator: Translator, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "sub" / "bad.md").unlink()
    (tree / "empty.txt").unlink()
    whole, sharded = tree.parent / "whole", tree.parent / "sharded"
    assert main(["translate", str(tree), "-o", str(whole), "--quiet"]) == 0
    done = []
    for index in range(3):
        arguments = ["translate", str(tree), "-o", str(sharded), "--shard", f"{index}/3"]
        assert main(arguments) == 0
        done.append(int(capsys.readouterr().err.split("translated")[-2].split()[-1]))
    assert sum(done) == 5  # every article once, none twice

    def outputs(root: Path) -> dict[str, str]:
        return {
            str(p.relative_to(root)): p.read_text(encoding="utf-8")
            for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        }

    assert outputs(sharded) == outputs(whole)
    states = sorted(p.name for p in sharded.glob(".depeche-state*"))
    assert states == [f".depeche-state.{k}-of-3.json" for k in range(3)]
    # A rerun of a shard finds its articles up to date.
    assert main(["translate", str(tree), "-o", str(sharded), "--shard", "1/3"]) == 0
    assert f"0 translated, {done[1]} up to date" in capsys.readouterr().err


def test_a_bad_shard_is_one_line_and_exit_2(
    env: dict[str, str], tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["translate", str(tree), "-o", str(tree.parent / "o"), "--shard", "3/3"]) == 2
    assert capsys.readouterr().err.strip() == (
        "depeche: error: shard '3/3': K must be at least 0 and less than N"
    )


@pytest.mark.parametrize("remote", [False, True])
def test_glossary_for_a_folder(
    env: dict[str, str], tree: Path, settings: Settings, translator: Translator, remote: bool
) -> None:
    from depeche.glossary import Glossary

    for name in ("sub/bad.md", "empty.txt", "notes.html"):
        (tree / name).unlink()
    terms = tree.parent / "terms.tsv"
    terms.write_text("Titre\tHEADLINE\n", encoding="utf-8")
    out = tree.parent / "out"
    command = ["translate", str(tree), "-o", str(out), "--quiet", "--glossary", str(terms)]
    served = settings.model_copy(update={"summarization_model": "none"})
    with LiveServer(served) as url:
        assert main(command + (["--server", url] if remote else [])) == 0
    glossary = Glossary.load(terms)
    for name in ["a.md", "b.txt", "sub/c.md", "sub/deeper/d.md"]:
        text = (tree / name).read_text(encoding="utf-8")
        written = (out / name).read_text(encoding="utf-8")
        assert (
            written
            == translator.translate_article(text, detect(text, name), glossary=glossary).text
        )
        assert "HEADLINE" in written
    # Another glossary changes the output: the articles are done again, not skipped.
    terms.write_text("Titre\tTITLE-TERM\n", encoding="utf-8")
    assert main(command) == 0
    assert "TITLE-TERM" in (out / "a.md").read_text(encoding="utf-8")


def test_a_folder_of_news_items_feeds_and_other_files(
    env: dict[str, str], tmp_path: Path, translator: Translator, capsys: pytest.CaptureFixture[str]
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    news = {
        "article.md": article(1),
        "wire/greve.json": wire_items.NINJS_1,
        "wire/crue.json": wire_items.NINJS_3,
        "wire/ecole.xml": wire_items.NEWSML_ITEM,
        "wire/tour.xml": wire_items.NEWSML_MESSAGE,
        "feeds/ouest.rss": wire_items.RSS,
        "feeds/sud.atom": wire_items.ATOM,
    }
    others = {
        "config/settings.json": wire_items.NOT_NEWS_JSON,
        "config/settings.xml": wire_items.NOT_NEWS_XML,
    }
    for name, text in {**news, **others}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert main(["translate", str(root), "-o", str(out)]) == 0
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == sorted([*news, ".depeche-state.json"])
    for name in news:
        assert (out / name).read_text(encoding="utf-8") == expected(translator, root, name)
    err = capsys.readouterr().err
    assert "7 translated, 0 up to date, 0 failed, 2 skipped" in err
    for name in others:
        assert f"depeche: {name}: skipped: not a ninjs item, NewsML-G2 document" in err
    # A rerun finds every item up to date; an XML bomb among them fails alone.
    (root / "wire" / "bomb.xml").write_text(wire_items.BOMB, encoding="utf-8")
    assert main(["translate", str(root), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "0 translated, 7 up to date, 1 failed, 2 skipped" in err
    assert (
        "depeche: wire/bomb.xml: XML entity declarations and external entities are refused" in err
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    ("output", "extra", "code", "message"),
    [
        (".", [], 2, "inside the input folder"),
        ("sub/out", [], 2, "inside the input folder"),
        ("..", [], 2, "inside the input folder"),  # the output would hold the input
        ("b.txt", ["--format", "jsonl"], 2, "inside the input folder"),
        ("sub/new.jsonl", ["--format", "jsonl"], 2, "inside the input folder"),
        ("../a-file", [], 1, "is a file"),
    ],
)
def test_a_folder_run_never_writes_into_its_input(
    env: dict[str, str],
    tree: Path,
    capsys: pytest.CaptureFixture[str],
    output: str,
    extra: list[str],
    code: int,
    message: str,
) -> None:
    (tree.parent / "a-file").write_text("keep me\n")
    before = snapshot(tree.parent)
    assert main(["translate", str(tree), "-o", str(tree / output), "--quiet", *extra]) == code
    [line] = capsys.readouterr().err.splitlines()
    assert message in line
    assert snapshot(tree.parent) == before  # nothing was opened for writing


@pytest.mark.parametrize("disk", ["full", "read-only"])
def test_a_failed_write_stops_the_run_and_keeps_the_outputs(
    env: dict[str, str], tree: Path, disk: str
) -> None:
    mount = tree.parent / "disk"
    out, good = mount / "out", tree.parent / "good"
    script = (
        f"$DEPECHE translate {tree} -o {out} --quiet; cp -r {out} {good}\n"
        + (fill(mount) if disk == "full" else read_only(mount))
        + f"$DEPECHE translate {tree} -o {out} --quiet --force; echo rc=$?\n"
        f"diff -r {out} {good} && echo kept\n"
        f"$DEPECHE translate {tree} --format jsonl -o {mount}/all.jsonl --quiet; echo rc=$?\n"
    )
    printed = on_small_disk(mount, script, size_kb=1024)
    assert printed.count("rc=1") == 2 and "kept" in printed, printed
    errors = [line for line in printed.splitlines() if line.startswith("depeche: error")]
    assert len(errors) == 2 and all("cannot" in line for line in errors), printed
    assert (good / "a.md").is_file()
