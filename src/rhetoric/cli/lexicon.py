""":mod:`rhetoric.cli.lexicon`: ``rhetoric lexicon``: the hits of every theme term, and
dictionaries in and out (``lexicon import``, ``lexicon export``: quanteda and LIWC)."""

from __future__ import annotations

import argparse
from pathlib import Path
import sys

from rhetoric.cli.common import Command, Parser, add_common, command, print_frame, processed
from rhetoric.errors import RhetoricInputError, display_path
from rhetoric.store import paths

__all__ = ["COMMANDS"]

#: The commands of this module, in the order ``rhetoric --help`` lists them.
COMMANDS: list[Command] = []


def _write_text(text: str, out: Path | None, *, replace: bool = False) -> None:
    """``text`` to stdout, or to the file ``out`` in one step; an existing file is replaced
    only when ``replace`` says so, and never through a symbolic link."""
    from rhetoric.store.atomic import write_atomic

    if out is None:
        sys.stdout.write(text)
        return
    if out.is_symlink() or out.is_dir() or (out.exists() and not replace):
        what = "is a symbolic link or a folder" if out.is_symlink() or out.is_dir() else "exists"
        raise RhetoricInputError(
            f"{display_path(out)}: {what}; nothing was written (give --out a new file"
            f"{'' if what != 'exists' else ', or add --replace to replace it'})"
        )
    write_atomic(out, text.encode("utf-8"))


def _refused(problems, skip: bool, what: str) -> None:
    """Print each refused entry; stop (status 2, nothing written) unless ``skip``."""
    for problem in problems:
        print(f"{'left out' if skip else 'refused'}: {problem}", file=sys.stderr)
    if problems and not skip:
        raise RhetoricInputError(
            f"{what}: {len(problems)} {'entry' if len(problems) == 1 else 'entries'} cannot be "
            "expressed (listed above); nothing was written (fix them, or give --skip-refused "
            "to write the rest)"
        )


def _import(args: argparse.Namespace) -> int:
    from rhetoric.text.lexicons import (
        dictionary_format,
        import_dictionary,
        import_note,
        themes_yaml,
    )

    chosen = dictionary_format(args.file, args.dictionary_format)
    themes, problems = import_dictionary(args.file, format=chosen)
    _refused(problems, args.skip_refused, f"rhetoric lexicon import {display_path(args.file)}")
    if not themes:
        raise RhetoricInputError(f"{display_path(args.file)}: no category or key to import")
    note = import_note(args.file.name, chosen, left_out=len(problems))
    _write_text(themes_yaml(themes, header=note), args.out, replace=args.replace)
    terms = sum(len(t.terms) for t in themes)
    print(f"rhetoric lexicon import: {len(themes)} themes, {terms} terms", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from rhetoric.pipeline import process_corpus
    from rhetoric.text.lexicons import export_note, quanteda_yaml

    themes_file = args.themes or Path(args.data) / paths.THEMES_FILE
    corpus = process_corpus(args.data, themes_file=themes_file, reprints="drop")
    note = export_note(themes_file.name, display_path(args.data), len(corpus.documents))
    text, problems = quanteda_yaml(corpus.themes, corpus.hits, header=note,
                                   source=display_path(themes_file))  # fmt: skip
    _refused(problems, args.skip_refused, "rhetoric lexicon export")
    _write_text(text, args.out, replace=args.replace)
    return 0


def _options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--unmatched", action="store_true",
                   help="only the terms that never matched in a document of their language, and "
                   "the languages of the corpus a theme has no terms in")  # fmt: skip
    _add_lexicon_actions(p)


def _add_lexicon_actions(parser: argparse.ArgumentParser) -> None:
    from rhetoric.text.lexicons import FORMATS

    actions = parser.add_subparsers(dest="lexicon_action", parser_class=Parser)
    skip = "write the entries that can be expressed and list the others (default: write nothing)"
    replace = "let --out replace an existing file (in one step; default: refuse)"
    p = actions.add_parser(
        "import",
        help="a quanteda YAML or LIWC .dic/.dicx dictionary as themes.yml text",
        description="Each quanteda key (nested keys joined by '.') or LIWC category becomes a "
        "theme; plain values become 'exact:' terms and values with '*' or '?' 'glob:' terms, "
        "so they match as in quanteda and LIWC. Entries a theme cannot express (LIWC's "
        "conditional categories, entries without letters) are listed one per line.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--format", dest="dictionary_format", choices=FORMATS,
                   help="default: from the file name (.yml/.yaml quanteda, .dic/.dicx liwc)")  # fmt: skip
    p.add_argument("--out", type=Path, metavar="FILE",
                   help="write to this file (default: standard output)")  # fmt: skip
    p.add_argument("--skip-refused", action="store_true", help=skip)
    p.add_argument("--replace", action="store_true", help=replace)
    p = actions.add_parser(
        "export",
        help="the themes as a quanteda YAML dictionary (stem terms with the forms they matched)",
    )
    p.add_argument("--data", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                   help="data directory whose corpus gives the forms of stem terms")  # fmt: skip
    p.add_argument("--format", dest="dictionary_format", choices=("quanteda",),
                   default="quanteda", help="quanteda (the one format written)")  # fmt: skip
    p.add_argument("--themes", type=Path, metavar="FILE", help="default: DATA/themes.yml")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help="write to this file (default: standard output)")  # fmt: skip
    p.add_argument("--skip-refused", action="store_true", help=skip)
    p.add_argument("--replace", action="store_true", help=replace)


@command(
    COMMANDS,
    "lexicon",
    options=_options,
    help="hits of every theme term, per language, in every version of each statement "
    "(--unmatched: terms that never matched in documents of their language); import and "
    "export quanteda and LIWC dictionaries",
)
def lexicon(args: argparse.Namespace) -> int:
    from rhetoric.measures.concordance import lexicon_report

    if args.lexicon_action == "import":
        return _import(args)
    if args.lexicon_action == "export":
        return _export(args)
    frame = lexicon_report(processed(args, versions="keep"))  # each version in its language
    if args.unmatched:  # terms that could have matched (their language has documents)
        frame = frame[(frame["hits"] == 0) & (frame["language_documents"] > 0)]
    print_frame(frame, args.format)
    return 0
