"""`depeche summarize FILE`: an English text in, its summary out."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .io import read_text, write_text
from .options import positive


def register(commands: Any) -> None:
    """Add the `summarize` subcommand."""
    parser = commands.add_parser("summarize", help="summarize an English file (or - for stdin)")
    parser.add_argument("file")
    parser.add_argument("-o", "--output")
    add_length_options(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.set_defaults(run=run)


def add_length_options(parser: argparse.ArgumentParser) -> None:
    """--max-words and --min-words, shared with `translate --summarize` (a file or a folder,
    with or without --server) and `watch --summarize`."""
    parser.add_argument("--max-words", type=positive, default=None, help="longest summary wanted")
    parser.add_argument("--min-words", type=positive, default=None, help="shortest summary wanted")


def run(args: argparse.Namespace) -> int:
    """Summarize one file."""
    from ..summarizer import Summarizer

    text = read_text(args.file)
    summarizer = Summarizer()
    summary = summarizer.summarize(text, args.max_words, args.min_words)
    if args.format == "json":  # the shape of /v1/summarize's answer
        record = {
            "summary": summary.text,
            "flags": summary.flags,
            "model": summarizer.runtime.source.name,
        }
        write_text(args.output, json.dumps(record, ensure_ascii=False) + "\n")
    else:
        write_text(args.output, summary.text + "\n")
    return 0
