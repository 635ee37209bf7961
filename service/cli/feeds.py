"""`depeche feeds FEEDS.toml -o OUT`: poll RSS and Atom feeds, keeping each in English."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from .. import feed_sources
from ..config import get_settings
from .daemon import say, stop_on_sigterm


def register(commands: Any) -> None:
    """Add the `feeds` subcommand."""
    parser = commands.add_parser(
        "feeds",
        help="poll RSS and Atom feeds, keeping each in English",
        description="Poll each feed of FEEDS.toml on its interval (conditional GETs), translate "
        "each new entry once (remembered in the store), and write each feed in English "
        "(OUT/NAME.rss or NAME.atom) and a digest of every feed's latest entries "
        "(OUT/digest.atom). Runs until SIGTERM, or polls each feed once with --once.",
    )
    parser.add_argument("file", type=Path, help="the feeds file: [feeds.NAME] url, interval")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the English feeds")
    parser.add_argument(
        "--once",
        action="store_true",
        help="poll each feed once and exit (for cron); exit 1 if one failed",
    )
    parser.add_argument("--quiet", action="store_true", help="log failures only")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Poll until SIGTERM (or once with `--once`)."""
    from ..feeds import FeedPoller, PollReport
    from ..store import open_store
    from ..summarizer import Summarizer
    from ..translator import Translator

    sources = feed_sources.load(args.file)  # a bad file is said before anything loads
    settings = get_settings()
    args.output.mkdir(parents=True, exist_ok=True)

    def said(report: PollReport) -> None:
        if report.outcome == "failed":
            wait = (report.again_at or time.time()) - time.time()
            say(f"depeche: {report.feed}: {report.error} (again in {wait:.0f} s)")
        elif not args.quiet:
            say(f"{report.feed}: " + (f"{report.new} new" if report.new else "nothing new"))

    store = open_store(settings)
    translator = Translator(settings, store=store)
    summarizer = Summarizer(settings) if settings.summarization_enabled else None
    poller = FeedPoller(
        store,
        translator,
        sources,
        summarizer=summarizer,
        out=args.output,
        lease_s=settings.lease_s,
        on_poll=said,
        stop=stop_on_sigterm(),
    )
    try:
        if args.once:
            reports = poller.once()
            return 1 if any(r.outcome == "failed" for r in reports) else 0
        if not args.quiet:
            names = ", ".join(source.name for source in sources)
            say(f"polling {names}; English feeds in {args.output}")
        poller.run()
        return 0
    finally:
        poller.close()
        translator.close()
        if summarizer is not None:
            summarizer.close()
        store.close()
