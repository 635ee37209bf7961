"""`depeche translate DIR -o OUTDIR`: a folder tree, resumable, with progress."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TextIO, cast

from .. import folder
from ..errors import ConfigurationError, OutputError
from ..output import OutputFormat
from ..shards import Shard


def run_folder(args: argparse.Namespace) -> int:
    """Translate a folder; bad files are listed at the end and make the exit code 1 (files
    of a news item's suffix that are none are listed as skipped)."""
    in_root = Path(args.file)
    options = folder_options(args, force=args.force)
    if args.output is None and options.format != "jsonl":
        raise ConfigurationError("a folder needs -o OUTDIR (or --format jsonl for stdout)")
    out_root = Path(args.output) if args.output else in_root
    if args.output not in (None, "-"):
        _check_output(in_root, Path(args.output), jsonl=options.format == "jsonl")
    processor = make_processor(args)

    from .progress import ProgressDisplay

    with contextlib.ExitStack() as stack:
        sink = _jsonl(stack, args.output) if options.format == "jsonl" else None
        files = folder.find(in_root, options, exclude=None if sink is not None else out_root)
        progress = ProgressDisplay(len(files), quiet=args.quiet)
        stack.callback(progress.close)
        report = folder.run(
            in_root, out_root, processor, options, files=files, sink=sink, progress=progress
        )
    if not args.quiet:
        ignored = f", {len(report.ignored)} skipped" if report.ignored else ""
        print(
            f"{report.done} translated, {report.skipped} up to date, "
            f"{len(report.failures)} failed{ignored}",
            file=sys.stderr,
        )
        for name, reason in report.ignored:
            print(f"depeche: {name}: skipped: {reason}", file=sys.stderr)
    for name, reason in report.failures:
        print(f"depeche: {name}: {reason}", file=sys.stderr)
    return 1 if report.failures else 0


def folder_options(args: argparse.Namespace, force: bool = False) -> folder.Options:
    """A folder run's options, from the command line of `translate DIR` or `watch`."""
    return folder.Options(
        format=cast(OutputFormat, args.format or "markdown"),
        patterns=tuple(args.glob or folder.DEFAULT_PATTERNS),
        input_format=args.input_format,
        summarize=args.summarize,
        max_words=args.max_words,
        min_words=args.min_words,
        force=force,
        group_size=args.batch_articles,
        shard=Shard.parse(args.shard) if args.shard else None,
    )


def _jsonl(stack: contextlib.ExitStack, output: str | None) -> Callable[[Path, str], None]:
    """Where a jsonl run's lines go: standard output, or the `-o` file, written whole once the
    run is done."""
    stream: TextIO = sys.stdout
    if output not in (None, "-"):
        stream = stack.enter_context(_replacing(Path(output)))
    return partial(_write_line, stream)


def _write_line(stream: TextIO, relative: Path, line: str) -> None:
    stream.write(line)
    stream.flush()


def _check_output(in_root: Path, output: Path, jsonl: bool) -> None:
    """Refuse, before anything is opened, an output that would write into the input: the
    input folder itself, a folder inside it or around it, a file in it; and a file where
    the output folder should be."""
    source, target = in_root.resolve(), output.resolve()
    inside = target.is_relative_to(source) or (not jsonl and source.is_relative_to(target))
    if inside:
        raise ConfigurationError(
            f"-o {output} is inside the input folder {in_root} (or holds it): "
            "write the output elsewhere"
        )
    if not jsonl and output.exists() and not output.is_dir():
        raise OutputError(f"-o {output} is a file: a folder input needs an output folder")


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[TextIO]:
    """A stream whose lines replace `path` once the run is done, as one file: until then,
    and if the run fails, `path` keeps what it held."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def make_processor(args: argparse.Namespace) -> folder.Processor:
    """The models of this process, or the service `--server` names, with `--glossary`."""
    if args.server:
        from ..glossary import Glossary
        from ..processors import RemoteProcessor

        return RemoteProcessor(
            args.server,
            concurrency=args.concurrency,
            api_key=args.api_key,
            retries=args.retries,
            glossary=Glossary.load(args.glossary) if args.glossary else None,
        )
    from ..processors import LocalProcessor
    from ..summarizer import Summarizer
    from ..translator import Translator
    from .options import glossary_override

    translator = Translator(**glossary_override(args))
    return LocalProcessor(translator, Summarizer() if args.summarize else None)
