"""`depeche translate FILE`: French in, English out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, cast

from ..config import get_settings
from ..errors import ConfigurationError, InputError
from ..formats import (
    NOT_AN_ITEM,
    DocumentFormat,
    detect,
    format_of_file,
    is_wire,
    takes_summary,
)
from ..output import OutputFormat, render
from .io import check_not_input, read_bytes, read_text, write_bytes, write_text
from .options import add_server_options, glossary_override, positive
from .summarize import add_length_options


def register(commands: Any) -> None:
    """Add the `translate` subcommand."""
    parser = commands.add_parser(
        "translate", help="translate a French file, standard input (-) or a folder tree"
    )
    parser.add_argument("file", help="a file, - for standard input, or a folder")
    parser.add_argument("-o", "--output", help="output file (a folder for a folder input)")
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "html", "ninjs", "newsml", "rss", "atom", "json", "jsonl"],
        default=None,
        help="output: the translated document (as it was written; a news item or feed in its "
        "own format), json with its blocks and segments, or jsonl (folders: one record per "
        "article) (default: the input's format)",
    )
    parser.add_argument(
        "--input-format",
        choices=["text", "markdown", "html", "ninjs", "newsml", "rss", "atom"],
        default=None,
        help="how to read the input (default: .md is markdown, .html and .htm are HTML, "
        "anything else by its content: a ninjs item, NewsML-G2, an RSS or Atom feed, HTML, "
        "markdown or plain text)",
    )
    parser.add_argument(
        "--summarize", action="store_true", help="add a summary of the English translation"
    )
    parser.add_argument(
        "--glossary",
        type=Path,
        help="a glossary file (French<TAB>English per line, or CSV by its .csv suffix): its "
        "terms come out as written there (default: DEPECHE_GLOSSARY)",
    )
    add_length_options(parser)
    folder = parser.add_argument_group("folders")
    folder.add_argument(
        "--glob",
        action="append",
        help="file pattern (default: every suffix of a format depeche reads as text: *.md, "
        "*.markdown, *.txt, *.html, *.htm, *.xhtml, *.json, *.xml, *.rss, *.atom)",
    )
    folder.add_argument("--force", action="store_true", help="redo articles already up to date")
    folder.add_argument("--quiet", action="store_true", help="no progress output")
    folder.add_argument(
        "--batch-articles",
        type=positive,
        default=32,
        help="articles whose sentences share engine batches",
    )
    folder.add_argument(
        "--shard",
        metavar="K/N",
        help="only the articles of shard K of N (0-based; stable across runs and machines), "
        "with a state file of its own: N runs with K = 0..N-1 do the folder once",
    )
    add_server_options(folder)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Translate one file, standard input, or a folder tree."""
    if args.file != "-" and Path(args.file).is_dir():
        from .folder import run_folder

        return run_folder(args)
    if args.format == "jsonl":
        raise ConfigurationError("--format jsonl is for folders; use json for one file")
    if args.file != "-" and format_of_file(args.file) == "docx":
        return run_docx(args)
    return run_file(args)


def run_docx(args: argparse.Namespace) -> int:
    """Translate a Word document into another, its formatting kept."""
    if not args.output or args.output == "-":
        raise ConfigurationError("a .docx document needs -o OUTPUT.docx")
    if args.format not in (None, "text", "markdown", "html") or args.summarize:
        raise ConfigurationError("a .docx document comes out as a .docx document, unsummarized")
    check_not_input(args.output, args.file)
    from ..documents import translate_document
    from ..translator import Translator

    document = translate_document(
        Translator(**glossary_override(args)), read_bytes(args.file), args.file
    )
    write_bytes(args.output, document.data)
    return 0


def run_file(args: argparse.Namespace) -> int:
    """Translate one file."""
    check_not_input(args.output, args.file)
    text = read_text(args.file)
    name = None if args.file == "-" else args.file
    if not text.strip():  # as a folder run lists it: nothing to translate is no success
        raise InputError(f"{name or 'standard input'}: empty")
    input_format: DocumentFormat = args.input_format or detect(text, name)
    named = not args.input_format and is_wire(format_of_file(args.file))
    if named and not is_wire(input_format):
        raise InputError(f"{args.file}: {NOT_AN_ITEM} (--input-format reads it otherwise)")
    from .. import language
    from ..translator import Translator

    language.preload(get_settings().models_dir)  # unpacks while the rest loads
    overrides = {**glossary_override(args), **_one_batch()}
    result = Translator(**overrides).translate_article(text, input_format)
    if args.summarize and result.segments and takes_summary(result.format):
        from ..summarizer import Summarizer

        Summarizer().summarize_articles([result], args.max_words, args.min_words)
    output_format = cast(OutputFormat, args.format or input_format)
    write_text(args.output, render(result, output_format))
    return 0


def _one_batch() -> dict[str, Any]:
    """One article is a batch or two: every core on one batch finishes it soonest (several
    at once pay off on folders). A DEPECHE_PARALLEL_BATCHES of the operator's stands."""
    return {} if "parallel_batches" in get_settings().model_fields_set else {"parallel_batches": 1}
