from __future__ import annotations

import html
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from depeche.cli import main
from depeche.config import get_settings
from depeche.formats import detect, with_summary
from depeche.summarizer import Summarizer
from depeche.translator import Translator

from tests import wire_items
from tests.cli.disk import fill, on_small_disk, read_only

ARTICLE = "Le maire de Lyon a présenté un budget. La ministre refuse la grève.\n\nFin du texte.\n"


def test_translates_a_file_to_stdout(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], translator: Translator
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["translate", str(article)]) == 0
    assert capsys.readouterr().out == translator.translate([ARTICLE])[0]


def test_output_file_and_json_segments(
    env: dict[str, str], tmp_path: Path, translator: Translator
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["translate", str(article), "--format", "json", "-o", str(out)]) == 0
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["text"] == translator.translate([ARTICLE])[0]
    assert [s["source"] for s in payload["segments"]] == [
        "Le maire de Lyon a présenté un budget.",
        "La ministre refuse la grève.",
        "Fin du texte.",
    ]
    assert all(set(s) >= {"source", "translation", "block", "flags"} for s in payload["segments"])
    assert payload["blocks"] == [b.to_dict() for b in translator.translate_article(ARTICLE).blocks]
    assert [b["kind"] for b in payload["blocks"]] == ["paragraph", "paragraph"]


def test_reads_stdin(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    translator: Translator,
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    assert main(["translate", "-"]) == 0
    assert capsys.readouterr().out == translator.translate([ARTICLE])[0]


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_says_so(
    env: dict[str, str], tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "empty.txt"
    article.write_bytes(content)
    assert main(["translate", str(article)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"depeche: error: {article}: empty\n"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("terms.tsv", "Lyon\tLYON-CITY\nune ligne sans tabulation\n", "line 2"),
        ("terms.csv", "Lyon,LYON-CITY\nLyon,LYONS\n", "given twice"),
        ("terms.tsv", "", "no entries"),
    ],
)
def test_a_bad_glossary_names_its_file(
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: str,
    says: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    glossary = tmp_path / name
    glossary.write_text(content, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["translate", str(article), "--glossary", str(glossary)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"depeche: error: glossary {glossary}: ") and says in line


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: (p / "bad.txt").write_bytes(b"caf\xe9\n") and p / "bad.txt", "not UTF-8"),
        (lambda p: p, "a folder needs -o OUTDIR"),
    ],
)
def test_unusable_input_is_one_line_and_exit_2(
    env: dict[str, str], tmp_path: Path, make, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["translate", str(make(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_missing_model_is_one_line_without_traceback(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    environment = {
        **os.environ,
        "DEPECHE_MODELS_DIR": str(tmp_path / "empty"),
        "DEPECHE_CACHE_URL": "none",
    }
    environment.pop("DEPECHE_TRANSLATION_MODEL", None)
    done = subprocess.run(
        [sys.executable, "-m", "depeche", "translate", str(article)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert done.returncode == 1
    assert "depeche models pull" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_markdown_files_keep_their_structure(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.md"
    article.write_text("# *Titre*\n\n---\n\n**Légende**\n\nLe maire a parlé.\n", encoding="utf-8")
    assert main(["translate", str(article)]) == 0
    out = capsys.readouterr().out
    lines = out.split("\n")
    assert lines[0].startswith("# *") and lines[0].endswith("*")
    assert lines[2] == "---" and lines[4].startswith("**") and lines[4].endswith("**")


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "article.md"


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_markdown_in_a_txt_file_or_on_stdin_keeps_its_markdown(
    env: dict[str, str],
    source: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    translator: Translator,
    tmp_path: Path,
) -> None:
    # The example article as feeds deliver it: markdown in a .txt file.
    scraped = tmp_path / "article.txt"
    shutil.copyfile(EXAMPLE, scraped)
    text = scraped.read_text(encoding="utf-8")
    if source == "stdin":
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["translate", str(scraped) if source == "file" else "-"]) == 0
    out = capsys.readouterr().out
    assert out == translator.translate_article(text, "markdown").text
    # The markers stay: an italic title, rules, bold lines (caption, footer).
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or stripped in ("---", "***"):
            assert any(o.strip()[:3] == stripped[:3] for o in out.splitlines()), line
    assert out.count("**") == text.count("**") and out.count("# ") == text.count("# ")


def test_an_html_file_comes_out_as_html(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], translator: Translator
) -> None:
    page = tmp_path / "page.html"
    html = (
        "<!DOCTYPE html>\n<html><head><script>var a = 'Le maire';</script></head>\n"
        "<body><h1>Le budget</h1><p>Le maire de <b>Lyon</b> a parlé.</p></body></html>\n"
    )
    page.write_text(html, encoding="utf-8")
    assert main(["translate", str(page)]) == 0
    out = capsys.readouterr().out
    assert out == translator.translate_article(html, "html").text
    assert out.startswith("<!DOCTYPE html>\n<html><head><script>var a = 'Le maire';</script>")
    assert out.count("<b>") == 1 and out.count("</b>") == 1 and out.endswith("</html>\n")


def test_plain_text_list_markers_stay_out_of_the_model(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("1) La baisse des impôts.\n• Une puce ronde.\n", encoding="utf-8")
    assert main(["translate", str(notes), "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [s["source"] for s in record["segments"]] == [
        "La baisse des impôts.",
        "Une puce ronde.",
    ]
    assert record["text"].startswith("1) ") and "\n• " in record["text"]


def test_glossary_file(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], translator: Translator
) -> None:
    from depeche.glossary import Glossary

    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    terms = tmp_path / "terms.csv"
    terms.write_text("Lyon,LYON-CITY\n", encoding="utf-8")
    assert main(["translate", str(article), "--glossary", str(terms)]) == 0
    out = capsys.readouterr().out
    assert out == translator.translate([ARTICLE], glossary=Glossary.load(terms))[0]
    assert "LYON-CITY" in out


def test_docx_to_docx(env: dict[str, str], tmp_path: Path, translator: Translator) -> None:
    from depeche.documents import translate_document
    from depeche.formats.docx import DocxDocument

    from tests.docx_files import article

    source, target = tmp_path / "report.docx", tmp_path / "report.en.docx"
    source.write_bytes(article())
    assert main(["translate", str(source), "-o", str(target)]) == 0
    expected = translate_document(translator, article(), "report.docx").data
    assert DocxDocument(target.read_bytes()).fragments == DocxDocument(expected).fragments


def test_docx_needs_an_output_file(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert main(["translate", str(source)]) == 2
    assert "-o OUTPUT.docx" in capsys.readouterr().err
    assert main(["translate", str(source), "-o", str(tmp_path / "out.docx")]) != 0
    assert "encrypted" in capsys.readouterr().err


NEWS = {
    "item.json": wire_items.NINJS_2,
    "item.xml": wire_items.NEWSML_ITEM,
    "message.xml": wire_items.NEWSML_MESSAGE,
    "feed.rss": wire_items.RSS,
    "feed.atom": wire_items.ATOM,
}


@pytest.mark.parametrize("name", sorted(NEWS))
def test_news_items_and_feeds_come_out_in_their_format(
    env: dict[str, str],
    tmp_path: Path,
    name: str,
    translator: Translator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / name
    path.write_text(NEWS[name], encoding="utf-8")
    assert main(["translate", str(path)]) == 0
    assert capsys.readouterr().out == translator.translate_article(NEWS[name], "auto").text
    assert main(["translate", str(path), "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["format"] == detect(NEWS[name]) and record["segments"]


def test_an_item_named_otherwise_is_read_as_told(
    env: dict[str, str], tmp_path: Path, translator: Translator, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "depeche.txt"
    path.write_text(wire_items.NINJS_3, encoding="utf-8")
    assert main(["translate", str(path)]) == 0  # recognized by its content
    expected = translator.translate_article(wire_items.NINJS_3, "ninjs").text
    assert capsys.readouterr().out == expected
    assert main(["translate", str(path), "--input-format", "ninjs"]) == 0
    assert capsys.readouterr().out == expected
    assert main(["translate", str(path), "--input-format", "text"]) == 0
    assert capsys.readouterr().out == translator.translate_article(wire_items.NINJS_3).text


def test_an_item_with_its_summary_inside(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tiny_bart: Path,
    tmp_path: Path,
    translator: Translator,
    summarizer: Summarizer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DEPECHE_SUMMARIZATION_MODEL", str(tiny_bart))
    get_settings.cache_clear()
    path = tmp_path / "item.xml"
    path.write_text(wire_items.NEWSML_ITEM, encoding="utf-8")
    assert main(["translate", str(path), "--summarize"]) == 0
    result = translator.translate_article(wire_items.NEWSML_ITEM, "newsml")
    summary = summarizer.summarize(result.english_prose()).text
    output = capsys.readouterr().out
    assert (
        f'<description role="drol:summary">{html.escape(summary, quote=False)}</description>'
        in output
    )
    assert output == with_summary(result.text, "newsml", summary)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("settings.json", wire_items.NOT_NEWS_JSON, "not a ninjs item, NewsML-G2 document"),
        ("bomb.xml", wire_items.BOMB, "entity declarations and external entities are refused"),
        ("secret.xml", wire_items.EXTERNAL, "refused, never expanded"),
        ("broken.rss", wire_items.BROKEN_XML, "not well-formed XML: mismatched tag (line 2"),
        ("body.json", '{"uri": "urn:x", "body_html": 42}', "body_html is a number, not a string"),
    ],
)
def test_unusable_items_are_one_line_and_exit_2(
    env: dict[str, str],
    tmp_path: Path,
    name: str,
    content: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["translate", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_an_output_that_is_the_input_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text(ARTICLE, encoding="utf-8")
    os.link(article, tmp_path / "same.md")
    for output in (article, tmp_path / "." / "a.md", tmp_path / "same.md"):
        assert main(["translate", str(article), "-o", str(output)]) == 2
    assert article.read_text(encoding="utf-8") == ARTICLE


@pytest.mark.parametrize("disk", ["full", "read-only"])
def test_a_failed_write_keeps_the_previous_output(
    env: dict[str, str], tmp_path: Path, disk: str
) -> None:
    article, longer = tmp_path / "a.txt", tmp_path / "b.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    longer.write_text(ARTICLE * 200, encoding="utf-8")
    mount = tmp_path / "disk"
    out = mount / "a.en.txt"
    script = (
        f"$DEPECHE translate {article} -o {out} && cp {out} {tmp_path}/good\n"
        + (fill(mount) if disk == "full" else read_only(mount))
        + f"$DEPECHE translate {longer} -o {out}; echo rc=$?\n"
        f"cmp -s {out} {tmp_path}/good && echo kept\nls -a {mount}\n"
    )
    printed = on_small_disk(mount, script)
    assert "rc=1" in printed and "kept" in printed, printed
    errors = [line for line in printed.splitlines() if line.startswith("depeche")]
    assert len(errors) == 1 and "cannot write" in errors[0], printed
    assert ".a.en.txt." not in printed  # no temporary file left behind
    assert (tmp_path / "good").read_text(encoding="utf-8").strip()
