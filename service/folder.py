"""Folders: translate a whole tree of articles, resumably, with outputs written atomically.

A run is four steps over its `Options`: find the files (`find`), decide which to redo
(`decide`: unreadable, not a news item, up to date, or an `ArticleFile` to translate), translate
them in groups whose sentences share engine batches (`translate`), and write each output
(`write`). Each output is written to a temporary file and renamed, so a run killed at any
moment leaves every output complete or absent; a state file records what each output was made
from, so a rerun skips what is up to date and does the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from .errors import DepecheError, InputError
from .folder_outputs import Files, Outputs, State, Stream, open_folder
from .formats import (
    NOT_AN_ITEM,
    DocumentFormat,
    decode,
    detect,
    file_patterns,
    format_of_file,
    is_wire,
)
from .output import OutputFormat, render
from .results import ArticleResult
from .shards import Shard

DEFAULT_PATTERNS = tuple(file_patterns())


class Processor(Protocol):
    """Who translates: the models in this process, or a depeche service over HTTP
    (`service.processors`)."""

    def fingerprint(self) -> str:
        """Everything about the models and settings that changes the output."""

    def process(
        self,
        texts: Sequence[str],
        formats: Sequence[DocumentFormat],
        summarize: bool,
        max_words: int | None = None,
        min_words: int | None = None,
    ) -> list[ArticleResult | DepecheError]:
        """Translate (and summarize, `max_words` and `min_words` long) articles; a failed one
        is the error that says why."""


@dataclass(frozen=True)
class Options:
    """How a folder run reads, translates and writes.

    `input_format` reads every file so; by default each file's format is detected, and a
    `.json`, `.xml`, `.rss` or `.atom` file that is no news item or feed is left alone. With
    `shard`, only that shard's articles are done, with a state file of its own. `group_size`
    articles at most are translated together. `max_words` and `min_words` steer the length of
    the summaries.
    """

    format: OutputFormat = "markdown"
    patterns: Sequence[str] = DEFAULT_PATTERNS
    input_format: DocumentFormat | None = None
    summarize: bool = False
    max_words: int | None = None
    min_words: int | None = None
    force: bool = False
    group_size: int = 32
    shard: Shard | None = None

    def key(self, processor: Processor) -> str:
        """What, besides its text, an output is made from."""
        key = f"{processor.fingerprint()}|{self.format}|{self.input_format}|{self.summarize}"
        lengths = (self.max_words, self.min_words)
        # Only when given: the outputs of a run without them stay up to date.
        return f"{key}|{lengths}" if self.summarize and lengths != (None, None) else key


@dataclass(frozen=True)
class ArticleFile:
    """A file to translate: where it is (relative to the input folder), where its output goes,
    its text and format, and the key of what its output is made from."""

    relative: Path
    output: Path
    text: str
    format: DocumentFormat
    key: str


@dataclass(frozen=True)
class Passed:
    """A file not translated: unreadable (`failed`), no news item (`ignored`) or `up to date`."""

    relative: Path
    outcome: Literal["failed", "ignored", "up to date"]
    reason: str = ""


@dataclass
class FolderReport:
    """What a run did."""

    done: int = 0
    skipped: int = 0
    sentences: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    # Files of a news item's suffix (.json, .xml...) that are no news item: left alone.
    ignored: list[tuple[str, str]] = field(default_factory=list)

    def __iadd__(self, other: FolderReport) -> FolderReport:
        self.done += other.done
        self.skipped += other.skipped
        self.sentences += other.sentences
        self.failures += other.failures
        self.ignored += other.ignored
        return self

    @classmethod
    def of(cls, passed: Passed) -> FolderReport:
        """The report of a file passed over."""
        if passed.outcome == "up to date":
            return cls(skipped=1)
        entry = [(str(passed.relative), passed.reason)]
        return cls(failures=entry) if passed.outcome == "failed" else cls(ignored=entry)


OnProgress = Callable[[int, int], None]  # (articles, sentences) just finished


def discover(root: Path, patterns: Sequence[str], exclude: Path | None = None) -> list[Path]:
    """Files under `root` matching any pattern, sorted, relative to `root`."""
    found: set[Path] = set()
    for pattern in patterns:
        for path in root.rglob(pattern):
            if not path.is_file():
                continue
            if exclude is not None and path.resolve().is_relative_to(exclude.resolve()):
                continue
            found.add(path.relative_to(root))
    return sorted(found)


def find(root: Path, options: Options, exclude: Path | None = None) -> list[Path]:
    """The files of a run under `root` (its patterns, its shard's only), sorted, relative to
    `root`; none under `exclude`."""
    files = discover(root, options.patterns, exclude)
    if options.shard is None:
        return files
    return [relative for relative in files if options.shard.owns(relative)]


def output_path(out_root: Path, relative: Path, format: OutputFormat) -> Path:
    """Where the output of `relative` goes; refuses anything that would land outside
    `out_root` (`..` in names, a symlinked folder or file pointing elsewhere)."""
    target = out_root / (relative.with_suffix(".json") if format == "json" else relative)
    root = out_root.resolve()
    if ".." in relative.parts or target.is_symlink():
        raise InputError(f"{relative}: refusing to write outside {out_root}")
    if not target.parent.resolve().is_relative_to(root):
        raise InputError(f"{relative}: {target.parent} leads outside {out_root}")
    return target


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}") from None
    text = decode(data)
    if not text.strip():
        raise InputError("empty")
    return text


def decide(
    in_root: Path,
    out_root: Path,
    relative: Path,
    options: Options,
    key: str,
    state: State | None,
) -> ArticleFile | Passed:
    """Whether the file at `relative` is translated: read, its format found, its output up to
    date by `state` (`None`: every article is done again) or not."""
    try:
        output = output_path(out_root, relative, options.format)
        text = _read(in_root / relative)
    except InputError as exc:
        return Passed(relative, "failed", str(exc))
    found = options.input_format or detect(text, relative.name)
    named = options.input_format is None and is_wire(format_of_file(relative.name))
    if named and not is_wire(found):
        return Passed(relative, "ignored", NOT_AN_ITEM)
    article_key = hashlib.sha256(f"{key}|{text}".encode()).hexdigest()
    if state is not None and state.current(str(relative), article_key, output):
        return Passed(relative, "up to date")
    return ArticleFile(relative, output, text, found, article_key)


def translate(
    processor: Processor, articles: Sequence[ArticleFile], options: Options
) -> list[ArticleResult | DepecheError]:
    """The articles translated (and summarized) together; a failed one is the error that says
    why."""
    return processor.process(
        [a.text for a in articles],
        [a.format for a in articles],
        options.summarize,
        options.max_words,
        options.min_words,
    )


def write(
    articles: Sequence[ArticleFile],
    results: Sequence[ArticleResult | DepecheError],
    format: OutputFormat,
    outputs: Outputs,
) -> FolderReport:
    """Each translated article rendered and put; each failed one listed."""
    report = FolderReport()
    for article, result in zip(articles, results, strict=True):
        if isinstance(result, DepecheError):
            report.failures.append((str(article.relative), str(result)))
            continue
        rendered = render(result, format, str(article.relative))
        outputs.put(article.relative, article.output, article.key, rendered)
        report.done += 1
        report.sentences += len(result.segments)
    outputs.done()
    return report


def run(
    in_root: Path,
    out_root: Path,
    processor: Processor,
    options: Options = Options(),
    *,
    files: Sequence[Path] | None = None,
    sink: Callable[[Path, str], None] | None = None,
    progress: OnProgress | None = None,
    clean: bool = True,
) -> FolderReport:
    """Translate every file of `options` under `in_root` into the mirrored tree `out_root`.
    An output that cannot be written (a full or read-only disk) stops the run with an
    `OutputError`; every output written before is complete.

    `files` (relative to `in_root`, as `find` gives them: the shard's only) saves a second
    scan when the caller has found them. With `sink`, each output is handed to it instead
    (JSON Lines on one stream): nothing is written under `out_root` and every article is done
    again. `clean` removes the temporary files a killed run left in `out_root` first; a caller
    running again and again over the same folder (`depeche watch`) does so on its first run
    only.
    """
    outputs, state = _outputs(out_root, options, sink, clean)
    if files is None:
        files = find(in_root, options, exclude=None if sink is not None else out_root)
    key = options.key(processor)
    report = FolderReport()
    group: list[ArticleFile] = []
    for relative in files:
        verdict = decide(in_root, out_root, relative, options, key, state)
        if isinstance(verdict, Passed):
            report += FolderReport.of(verdict)
            _tell(progress, 1, 0)
            continue
        group.append(verdict)
        if len(group) == options.group_size:
            report += _group(processor, group, options, outputs, progress)
            group = []
    if group:
        report += _group(processor, group, options, outputs, progress)
    return report


def _outputs(
    out_root: Path, options: Options, sink: Callable[[Path, str], None] | None, clean: bool
) -> tuple[Outputs, State | None]:
    """Where the outputs go, and the state that says which are up to date (`None`: none is)."""
    if sink is not None:
        return Stream(sink), None
    state = open_folder(out_root, options.shard, clean)
    return Files(state), None if options.force else state


def _group(
    processor: Processor,
    articles: Sequence[ArticleFile],
    options: Options,
    outputs: Outputs,
    progress: OnProgress | None,
) -> FolderReport:
    """A group of articles translated, then written."""
    report = write(articles, translate(processor, articles, options), options.format, outputs)
    _tell(progress, len(articles), report.sentences)
    return report


def _tell(progress: OnProgress | None, articles: int, sentences: int) -> None:
    if progress is not None:
        progress(articles, sentences)
