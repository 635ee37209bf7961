from __future__ import annotations

import json
from pathlib import Path

import pytest
from depeche.cli import main
from depeche.config import Settings, get_settings
from depeche.summarizer import Summarizer
from depeche.translator import Translator

from tests.api.live import LiveServer
from tests.corpus import english_sentences, french_sentences


@pytest.fixture
def bart_env(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tiny_bart: Path) -> None:
    monkeypatch.setenv("DEPECHE_SUMMARIZATION_MODEL", str(tiny_bart))
    get_settings.cache_clear()


def test_summarize_command(
    bart_env: None, tmp_path: Path, summarizer: Summarizer, capsys: pytest.CaptureFixture[str]
) -> None:
    text = " ".join(english_sentences(60))
    source = tmp_path / "english.txt"
    source.write_text(text, encoding="utf-8")
    assert main(["summarize", str(source), "--format", "json", "--max-words", "30"]) == 0
    record = json.loads(capsys.readouterr().out)
    expected = summarizer.summarize(text, max_words=30)
    # The fields of /v1/summarize's answer.
    model = summarizer.runtime.source.name
    assert record == {"summary": expected.text, "flags": expected.flags, "model": model}
    assert main(["summarize", str(source), "--max-words", "30"]) == 0
    assert capsys.readouterr().out == expected.text + "\n"


ARTICLE = (
    "# *Titre*\n\n"
    + "\n\n".join(" ".join(french_sentences()[i : i + 4]) for i in range(0, 40, 4))
    + "\n"
)


@pytest.mark.parametrize(
    ("input", "lengths", "max_words", "min_words"),
    [
        ("file", ["--max-words", "12"], 12, None),
        ("folder", ["--max-words", "12"], 12, None),
        ("server", ["--max-words", "12"], 12, None),
        ("file", ["--min-words", "1000"], None, 1000),
        ("folder", ["--min-words", "1000"], None, 1000),
        ("server", ["--min-words", "1000"], None, 1000),
    ],
)
def test_summary_lengths_reach_the_summarizer(
    bart_env: None,
    tmp_path: Path,
    settings: Settings,
    tiny_bart: Path,
    translator: Translator,
    summarizer: Summarizer,
    capsys: pytest.CaptureFixture[str],
    input: str,
    lengths: list[str],
    max_words: int | None,
    min_words: int | None,
) -> None:
    source = tmp_path / "in" / "article.md"
    source.parent.mkdir()
    source.write_text(ARTICLE, encoding="utf-8")
    document = translator.translate_article(ARTICLE, "markdown")
    summarizer.summarize_articles([document])
    unbounded = document.summary
    summarizer.summarize_articles([document], max_words, min_words)
    expected = document.summary
    assert expected is not None and unbounded is not None
    assert expected.text != unbounded.text  # the limit changes the summary: it must arrive

    command = ["translate", "--summarize", "--format", "json", *lengths]
    if input == "file":
        assert main([*command, str(source)]) == 0
        payload = json.loads(capsys.readouterr().out)
    else:
        out = tmp_path / "out"
        served = settings.model_copy(update={"summarization_model": str(tiny_bart)})
        with LiveServer(served) as url:
            remote = ["--server", url] if input == "server" else []
            assert main([*command, str(source.parent), "-o", str(out), "--quiet", *remote]) == 0
        payload = json.loads((out / "article.json").read_text(encoding="utf-8"))
    assert payload["summary"] == expected.text


def test_translate_with_a_summary(
    bart_env: None,
    tmp_path: Path,
    translator: Translator,
    summarizer: Summarizer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    article = (
        "# *Titre*\n\n"
        + "\n\n".join(" ".join(french_sentences()[i : i + 4]) for i in range(0, 40, 4))
        + "\n"
    )
    source = tmp_path / "article.md"
    source.write_text(article, encoding="utf-8")
    document = translator.translate_article(article, "markdown")
    summarizer.summarize_articles([document])
    expected = document.summary
    assert expected is not None and expected.sentences

    assert main(["translate", str(source), "--summarize", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["text"] == document.text
    assert payload["summary"] == expected.text
    summary_flags = [f["flag"] for f in payload["flags"] if f["where"] == "summary"]
    assert summary_flags == expected.flags
    assert payload["summary_sentences"] == [s.to_dict() for s in expected.sentences]

    assert main(["translate", str(source), "--summarize"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(document.text.rstrip("\n"))
    assert out.endswith(f"\n\n---\n\n**Summary:** {expected.text}\n")
