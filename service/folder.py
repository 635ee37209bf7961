"""Folders: translate a whole tree of articles, resumably, with outputs written atomically.

Articles are read in groups whose sentences share engine batches. Each output is written to
a temporary file and renamed, so a run killed at any moment leaves every output complete or
absent; a state file records what each output was made from, so a rerun skips what is up to
date and does the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .errors import DepecheError, InputError, OutputError
from .formats import (
    NOT_AN_ITEM,
    DocumentFormat,
    decode,
    detect,
    file_patterns,
    format_of_file,
    is_wire,
)
from .output import OutputFormat, render, write_atomic
from .results import ArticleResult

STATE_FILE = ".depeche-state.json"
DEFAULT_PATTERNS = tuple(file_patterns())


class Processor(Protocol):
    """Who translates: the models in this process, or a depeche service over HTTP
    (`service.processors`)."""

    def fingerprint(self) -> str:
        """Everything about the models and settings that changes the output."""

    def process(
        self, texts: Sequence[str], formats: Sequence[DocumentFormat], summarize: bool
    ) -> list[ArticleResult | DepecheError]:
        """Translate (and summarize) articles; a failed one is the error that says why."""


@dataclass
class FolderReport:
    """What a run did."""

    done: int = 0
    skipped: int = 0
    sentences: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    # Files of a news item's suffix (.json, .xml...) that are no news item: left alone.
    ignored: list[tuple[str, str]] = field(default_factory=list)


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


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (0-based, as Kubernetes' JOB_COMPLETION_INDEX): the articles
    whose relative path hashes to it. The hash is of the path alone, so the same article
    falls in the same shard on every run and every machine, and `count` shards together hold
    every article exactly once."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N`, 0 <= K < N."""
        try:
            index, count = (int(part) for part in text.split("/"))
        except ValueError:
            raise InputError(f"shard {text!r}: write K/N, e.g. 0/4") from None
        if not 0 <= index < count:
            raise InputError(f"shard {text!r}: K must be at least 0 and less than N")
        return cls(index, count)

    def owns(self, relative: Path) -> bool:
        """Whether the article at `relative` (to the input folder, or its output to the output
        folder: the suffix does not count) is this shard's."""
        digest = hashlib.sha256(relative.with_suffix("").as_posix().encode()).hexdigest()
        return int(digest[:16], 16) % self.count == self.index

    @property
    def suffix(self) -> str:
        return f".{self.index}-of-{self.count}"


class State:
    """Output -> key of what it was made from, in `out_root/.depeche-state.json` (one file a
    shard, so that shards sharing a folder never write the same file)."""

    def __init__(self, out_root: Path, shard: Shard | None = None) -> None:
        name = STATE_FILE.replace(".json", f"{shard.suffix}.json") if shard else STATE_FILE
        self.path = out_root / name
        self.keys: dict[str, str] = {}
        with contextlib.suppress(OSError, ValueError):
            self.keys = dict(json.loads(self.path.read_text(encoding="utf-8")))

    def current(self, name: str, key: str, output: Path) -> bool:
        return self.keys.get(name) == key and output.is_file()

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.keys, indent=0, sort_keys=True))


def _written_for(temporary: Path) -> Path:
    """The output a temporary file of `write_atomic` was for (`.name.PID.tmp` -> `name`)."""
    name = temporary.name.removeprefix(".").removesuffix(".tmp")
    return temporary.with_name(name.rsplit(".", 1)[0])


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}") from None
    text = decode(data)
    if not text.strip():
        raise InputError("empty")
    return text


def run(
    in_root: Path,
    out_root: Path,
    processor: Processor,
    *,
    format: OutputFormat = "markdown",
    patterns: Sequence[str] = DEFAULT_PATTERNS,
    summarize: bool = False,
    force: bool = False,
    group_size: int = 32,
    progress: OnProgress | None = None,
    sink: Callable[[Path, str], None] | None = None,
    files: Sequence[Path] | None = None,
    input_format: DocumentFormat | None = None,
    shard: Shard | None = None,
    clean: bool = True,
) -> FolderReport:
    """Translate every matching file under `in_root` into the mirrored tree `out_root`. An
    output that cannot be written (a full or read-only disk) stops the run with an
    `OutputError`; every output written before is complete.

    `files` (relative to `in_root`) saves a second scan when the caller has discovered them.
    `input_format` reads every file so; by default each file's format is detected, and a
    `.json`, `.xml`, `.rss` or `.atom` file that is no news item or feed is left alone. With
    `shard`, only that shard's articles are done, with a state file of its own.
    With `sink`, each output is handed to it instead (JSON Lines on one stream): nothing is
    written under `out_root` and every article is done again. `clean` removes the temporary
    files a killed run left in `out_root` first; a caller running again and again over the same
    folder (`depeche watch`) does so on its first run only.
    """
    if sink is None:
        try:
            out_root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file where the folder should be, a read-only disk
            raise OutputError(
                f"{out_root}: cannot make the output folder: {exc.strerror}"
            ) from None
    if sink is None and clean:
        for leftover in out_root.rglob(".*.tmp"):  # from a run that was killed mid-write
            # Another shard may be writing its own right now: only this shard's go.
            if shard is None or shard.owns(_written_for(leftover).relative_to(out_root)):
                with contextlib.suppress(OSError):  # a read-only disk: left for a later run
                    leftover.unlink(missing_ok=True)
    state = State(out_root, shard)
    settings_key = f"{processor.fingerprint()}|{format}|{input_format}|{summarize}"
    report = FolderReport()
    # (relative, output, text, its format, key)
    pending: list[tuple[Path, Path, str, DocumentFormat, str]] = []

    def flush() -> None:
        if not pending:
            return
        texts = [text for _, _, text, _, _ in pending]
        results = processor.process(texts, [f for _, _, _, f, _ in pending], summarize)
        sentences = 0
        for (relative, output, _, _, key), result in zip(pending, results, strict=True):
            if isinstance(result, DepecheError):
                report.failures.append((str(relative), str(result)))
                continue
            rendered = render(result, format, str(relative))
            if sink is not None:
                sink(relative, rendered)
            else:
                write_atomic(output, rendered)
                state.keys[str(relative)] = key
            report.done += 1
            sentences += len(result.segments)
        report.sentences += sentences
        if sink is None:
            state.save()
        if progress is not None:
            progress(len(pending), sentences)
        pending.clear()

    if files is None:
        files = discover(in_root, patterns, exclude=None if sink else out_root)
    if shard is not None:
        files = [relative for relative in files if shard.owns(relative)]
    for relative in files:
        try:
            output = output_path(out_root, relative, format)
            text = _read(in_root / relative)
        except InputError as exc:
            report.failures.append((str(relative), str(exc)))
            if progress is not None:
                progress(1, 0)
            continue
        found = input_format or detect(text, relative.name)
        if input_format is None and is_wire(format_of_file(relative.name)) and not is_wire(found):
            report.ignored.append((str(relative), NOT_AN_ITEM))
            if progress is not None:
                progress(1, 0)
            continue
        key = hashlib.sha256(f"{settings_key}|{text}".encode()).hexdigest()
        if sink is None and not force and state.current(str(relative), key, output):
            report.skipped += 1
            if progress is not None:
                progress(1, 0)
            continue
        pending.append((relative, output, text, found, key))
        if len(pending) >= group_size:
            flush()
    flush()
    return report
