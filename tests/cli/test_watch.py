"""`depeche watch IN -o OUT`, run as a real process: files landing, kills, restarts, two
watchers on one folder, SIGTERM in the middle of an article."""

from __future__ import annotations

import collections
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from depeche.cli import main
from depeche.config import Settings
from depeche.formats import detect
from depeche.summarizer import Summarizer
from depeche.translator import Translator

from tests.api.live import HeldEngine, LiveServer
from tests.corpus import french_sentences
from tests.sync import wait_for

SENTENCES = french_sentences()
SUMMARY = re.compile(r"^(\d+) translated, (\d+) up to date, (\d+) failed$", re.MULTILINE)
DONE = re.compile(r"^(.+): 1 translated, 0 up to date$", re.MULTILINE)


def article(index: int) -> str:
    body = " ".join(SENTENCES[index * 3 : index * 3 + 3])
    return f"# Titre {index}\n\n{body}\n"


def expected(translator: Translator, root: Path, name: str) -> str:
    text = (root / name).read_text(encoding="utf-8")
    return translator.translate_article(text, detect(text, name)).text


def drop(root: Path, name: str, text: str, staged: str | None = None) -> None:
    """Write a file as an FTP client does: under a temporary name, a part at a time, then
    renamed to its own."""
    final = root / name
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(staged or f"{final.name}.part")
    with temporary.open("w", encoding="utf-8") as stream:
        for line in text.splitlines(keepends=True):
            stream.write(line)
            stream.flush()
            os.fsync(stream.fileno())
    temporary.rename(final)


class Watch:
    """`depeche watch` in a process of its own, its log in a file."""

    def __init__(self, env: dict[str, str], log: Path, *arguments: str) -> None:
        self.log = log
        command = [sys.executable, "-m", "depeche", "watch", *arguments]
        with log.open("w") as stream:
            self.process = subprocess.Popen(
                command, env={**os.environ, **env}, stderr=stream, stdout=subprocess.DEVNULL
            )

    @property
    def text(self) -> str:
        return self.log.read_text()

    def wait_said(self, words: str) -> None:
        wait_for(lambda: words in self.text or self.process.poll() is not None)
        assert words in self.text, self.text

    def terminate(self) -> tuple[int, int, int]:
        """SIGTERM; the exit code must be 0. Returns the summary's counts."""
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=120) == 0, self.text
        done, skipped, failed = (int(n) for n in SUMMARY.findall(self.text)[-1])
        return done, skipped, failed

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def translated(self) -> list[str]:
        """The files this watcher says it translated, in order."""
        return DONE.findall(self.text)


def outputs(out: Path) -> list[str]:
    return sorted(
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name[0] != "."
    )


@pytest.mark.parametrize("mode", [[], ["--poll", "0.2"]], ids=["events", "polling"])
def test_files_landing_each_come_out_once(
    env: dict[str, str], tmp_path: Path, translator: Translator, mode: list[str]
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    for index in range(2):
        drop(root, f"there-{index}.md", article(index))
    arguments = [str(root), "-o", str(out), "--settle", "0.3", "--batch-articles", "1", *mode]
    watch = Watch(env, tmp_path / "log", *arguments)
    watch.wait_said("watching")
    landed = {
        "new-0.md": None,
        "new-1.txt": "new-1.txt.filepart",
        "sub/new-2.md": ".new-2.md.Xy12Zq",  # rsync's
        "sub/deeper/new-3.html": "new-3.html.tmp",
    }
    for index, (name, staged) in enumerate(landed.items(), start=2):
        text = article(index) if not name.endswith(".html") else f"<p>{SENTENCES[index]}</p>"
        drop(root, name, text, staged)
    (root / "notes.md.part").write_text("pas fini")  # never renamed: never taken
    names = [f"there-{i}.md" for i in range(2)] + list(landed)
    wait_for(lambda: outputs(out) == sorted(names))
    wait_for(lambda: len(watch.translated()) == len(names))
    assert watch.terminate() == (len(names), 0, 0)
    translated = watch.translated()
    assert sorted(translated) == sorted(names)  # each once
    assert translated[:2] == names[:2]  # what was there at start, first
    for name in names:
        assert (out / name).read_text(encoding="utf-8") == expected(translator, root, name)


def test_killed_then_restarted_finishes_the_rest(
    env: dict[str, str], tmp_path: Path, translator: Translator
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    names = [f"article-{i:02}.md" for i in range(60)]
    for index, name in enumerate(names):
        drop(root, name, article(index))
    arguments = [str(root), "-o", str(out), "--settle", "0.2", "--batch-articles", "1"]
    first = Watch(env, tmp_path / "first.log", *arguments)
    wait_for(lambda: len(outputs(out)) >= 5)
    first.kill()
    done_before = outputs(out)
    assert 5 <= len(done_before) < len(names)  # killed mid-way
    for name in done_before:  # complete or absent, never partial
        assert (out / name).read_text(encoding="utf-8") == expected(translator, root, name)
    again = Watch(env, tmp_path / "again.log", *arguments)
    wait_for(lambda: outputs(out) == names)
    wait_for(lambda: f"{names[-1]}: " in again.text)  # the last one, in order
    done, skipped, failed = again.terminate()
    assert done + skipped == len(names) and failed == 0
    # Only what had no output is done again (and the last one, if its state was lost).
    assert len(names) - len(done_before) <= done <= len(names) - len(done_before) + 1
    assert not list(out.glob(".*.tmp"))
    for name in names[:3] + names[-3:]:
        assert (out / name).read_text(encoding="utf-8") == expected(translator, root, name)


def test_two_watchers_on_one_folder_never_double_a_file(
    env: dict[str, str], tmp_path: Path, translator: Translator
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    arguments = [str(root), "-o", str(out), "--settle", "0.2", "--batch-articles", "1"]
    first = Watch(env, tmp_path / "first.log", *arguments)
    first.wait_said("watching")
    second = Watch(env, tmp_path / "second.log", *arguments)
    second.wait_said("waiting: another watcher holds")
    names = [f"article-{i}.md" for i in range(10)]
    for index, name in enumerate(names[:6]):
        drop(root, name, article(index))
    wait_for(lambda: len(first.translated()) == 6)
    first.kill()  # the one at work dies: the other takes over
    second.wait_said("watching")
    for index, name in enumerate(names[6:], start=6):
        drop(root, name, article(index))
    wait_for(lambda: outputs(out) == names)
    wait_for(lambda: len(second.translated()) == 4)
    assert second.terminate() == (4, 6, 0)
    counts = collections.Counter(first.translated() + second.translated())
    assert counts == dict.fromkeys(names, 1)
    for name in names:
        assert (out / name).read_text(encoding="utf-8") == expected(translator, root, name)


def test_shards_share_a_folder(env: dict[str, str], tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    arguments = [str(root), "-o", str(out), "--settle", "0.2", "--batch-articles", "1"]
    watchers = [
        Watch(env, tmp_path / f"{k}.log", *arguments, "--shard", f"{k}/2") for k in range(2)
    ]
    for watch in watchers:
        watch.wait_said("watching")
    names = [f"article-{i}.md" for i in range(10)]
    for index, name in enumerate(names):
        drop(root, name, article(index))
    wait_for(lambda: outputs(out) == names)
    wait_for(lambda: sum(len(w.translated()) for w in watchers) == len(names))
    done = [watch.terminate()[0] for watch in watchers]
    assert sum(done) == len(names) and all(done)
    counts = collections.Counter(watchers[0].translated() + watchers[1].translated())
    assert counts == dict.fromkeys(names, 1)
    assert sorted(p.name for p in out.glob(".depeche-state*")) == [
        ".depeche-state.0-of-2.json",
        ".depeche-state.1-of-2.json",
    ]


def test_summary_lengths_reach_the_summarizer(
    env: dict[str, str],
    tmp_path: Path,
    tiny_bart: Path,
    translator: Translator,
    summarizer: Summarizer,
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    text = "\n\n".join(" ".join(SENTENCES[i : i + 4]) for i in range(0, 40, 4)) + "\n"
    drop(root, "article.md", text)
    document = translator.translate_article(text, "markdown")
    summarizer.summarize_articles([document], max_words=12)
    expected = document.summary
    summarizer.summarize_articles([document])
    assert expected is not None and document.summary is not None
    assert expected.text != document.summary.text  # the limit changes it: it must arrive
    arguments = [str(root), "-o", str(out), "--settle", "0.2", "--format", "json"]
    with_bart = {**env, "DEPECHE_SUMMARIZATION_MODEL": str(tiny_bart)}
    watch = Watch(with_bart, tmp_path / "log", *arguments, "--summarize", "--max-words", "12")
    wait_for(lambda: len(watch.translated()) == 1 or watch.process.poll() is not None)
    assert watch.terminate() == (1, 0, 0)
    written = json.loads((out / "article.json").read_text(encoding="utf-8"))
    assert written["summary"] == expected.text


def test_sigterm_finishes_the_article_in_progress(
    env: dict[str, str], tmp_path: Path, settings: Settings, translator: Translator
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    server = LiveServer(settings.model_copy(update={"summarization_model": "none"}))
    with server as url:
        held = HeldEngine(server.services)
        arguments = [str(root), "-o", str(out), "--settle", "0.2", "--server", url]
        watch = Watch(env, tmp_path / "log", *arguments)
        watch.wait_said("watching")
        drop(root, "a.md", article(0))
        held.wait_entered()  # the article is in the engine
        watch.process.send_signal(signal.SIGTERM)
        assert watch.process.poll() is None  # it waits for the article
        held.gate.set()
        assert watch.process.wait(timeout=120) == 0, watch.text
    assert SUMMARY.findall(watch.text) == [("1", "0", "0")]
    assert (out / "a.md").read_text(encoding="utf-8") == expected(translator, root, "a.md")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing", "-o", "out"], "missing: no such folder"),
        (["in", "-o", "in"], "-o must be another folder than the one watched"),
        (["in", "-o", "out", "--shard", "2/2"], "shard '2/2'"),
        (["in", "-o", "out", "--poll", "0"], "'0' is not a number of seconds above 0"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    try:
        code = main(["watch", *arguments])
    except SystemExit as exit:  # argparse's
        code = int(str(exit.code))
    assert code == 2
    assert message in capsys.readouterr().err
