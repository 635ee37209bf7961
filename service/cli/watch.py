"""`depeche watch IN -o OUT`: a hot folder, translated as files land in it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .. import folder
from ..config import get_settings
from ..errors import ConfigurationError, InputError
from .daemon import say, stop_on_sigterm
from .folder import folder_options, make_processor
from .options import add_server_options, positive
from .summarize import add_length_options

LOCK_FILE = ".depeche-watch.lock"


def register(commands: Any) -> None:
    """Add the `watch` subcommand."""
    parser = commands.add_parser(
        "watch",
        help="translate every file that lands in a folder, as it lands (a hot folder)",
        description="Translate every file that lands in IN into the same tree under OUT, once "
        "it is completely written, with the rules of a folder run (depeche translate DIR). "
        "Runs until SIGTERM, which finishes the articles in progress.",
    )
    parser.add_argument("input", help="the folder to watch")
    parser.add_argument("-o", "--output", required=True, help="the folder of translations")
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "html", "json"],
        default="markdown",
        help="output: the translated document, or json with its blocks and segments",
    )
    parser.add_argument(
        "--input-format",
        choices=["text", "markdown", "html"],
        default=None,
        help="how to read the input (default: by each file's name and content)",
    )
    parser.add_argument(
        "--summarize", action="store_true", help="add a summary of the English translation"
    )
    add_length_options(parser)
    parser.add_argument("--glossary", type=Path, help="a glossary file (as for translate)")
    parser.add_argument(
        "--glob",
        action="append",
        help="file pattern (default: every suffix of a format depeche reads as text: *.md, "
        "*.markdown, *.txt, *.html, *.htm, *.xhtml, *.json, *.xml, *.rss, *.atom)",
    )
    parser.add_argument(
        "--poll",
        type=_seconds,
        metavar="SECONDS",
        help="look at the folder every SECONDS instead of waiting for events from the OS "
        "(network volumes, which deliver none)",
    )
    parser.add_argument(
        "--settle",
        type=_seconds,
        metavar="SECONDS",
        help="seconds a file must stay unchanged to count as completely written "
        "(default: DEPECHE_WATCH_SETTLE_S, 2)",
    )
    parser.add_argument(
        "--shard",
        metavar="K/N",
        help="only the files of shard K of N (0-based), as a folder run: N watchers with "
        "K = 0..N-1 share the folder",
    )
    parser.add_argument(
        "--batch-articles",
        type=positive,
        default=8,
        help="articles translated together at most (SIGTERM waits for them)",
    )
    parser.add_argument("--quiet", action="store_true", help="log failures only")
    add_server_options(parser)
    parser.set_defaults(run=run)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds above 0")
    return seconds


def run(args: argparse.Namespace) -> int:
    """Watch until SIGTERM; exit 0 once the articles in progress are written."""
    from .. import file_events, watch
    from ..locks import FileLock

    in_root, out_root = Path(args.input), Path(args.output)
    if not in_root.is_dir():
        raise InputError(f"{in_root}: no such folder")
    if out_root.resolve() == in_root.resolve():
        raise ConfigurationError("-o must be another folder than the one watched")
    settings = get_settings()
    options = folder_options(args)
    shard = options.shard
    settle = args.settle or settings.watch_settle_s
    stop = stop_on_sigterm()
    out_root.mkdir(parents=True, exist_ok=True)

    # One watcher at a time writes a shard's outputs and state file; another started on the
    # same folder and shard waits, and takes over when the first ends, however it ends.
    lock = FileLock(out_root / (LOCK_FILE + (shard.suffix if shard else "")))
    if not lock.wait(stop, settle, lambda: say(f"waiting: another watcher holds {lock.path}")):
        return 0
    try:
        translations = _Translations(args, in_root, out_root, options)
        # The watcher hands over the shard's files only: they are not filtered again.
        watcher = watch.Watcher(
            in_root, options.patterns, settle, exclude=out_root, owns=shard.owns if shard else None
        )
        events: file_events.Events = (
            file_events.Polling(stop) if args.poll else file_events.OsEvents(watcher.root, stop)
        )
        loop = watch.HotFolder(
            watcher,
            translations,
            events,
            stop,
            full_every=args.poll or settings.watch_rescan_s,
            batch=args.batch_articles,
            on_error=lambda error, wait: say(f"depeche: error: {error} (again in {wait:g} s)"),
        )
        try:
            loop.start()
            if not args.quiet:
                how = f"every {args.poll:g} s" if args.poll else "on events"
                say(f"watching {in_root} ({how}), translations in {out_root}")
            loop.run()
        finally:
            events.close()
    finally:
        lock.release()
    total = translations.total
    say(f"{total.done} translated, {total.skipped} up to date, {len(total.failures)} failed")
    return 0


class _Translations:
    """Translates a batch of the watched folder's files with a folder run's rules, logs it,
    and keeps the totals."""

    def __init__(
        self, args: argparse.Namespace, in_root: Path, out_root: Path, options: folder.Options
    ) -> None:
        self.quiet = args.quiet
        self.in_root, self.out_root = in_root, out_root
        self.options = options
        self.processor = make_processor(args)
        self.total = folder.FolderReport()
        self.cleaned = False

    def __call__(self, files: list[Path]) -> None:
        report = folder.run(
            self.in_root,
            self.out_root,
            self.processor,
            self.options,
            files=files,
            # Leftovers of a killed watcher are looked for once; this one's lock keeps
            # anyone else from writing here meanwhile.
            clean=not self.cleaned,
        )
        self.cleaned = True
        self.total += report
        if report.done and not self.quiet:  # files found up to date are only counted
            names = ", ".join(str(f) for f in files)
            say(f"{names}: {report.done} translated, {report.skipped} up to date")
        for name, reason in report.failures:
            say(f"depeche: {name}: {reason}")
