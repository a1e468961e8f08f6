""":mod:`rhetoric.cli`: the ``rhetoric`` command. Thin: parses options, calls the modules, prints.

Errors a user can fix are one line on stderr and exit status 2; see
``rhetoric --help`` and design.md for the contract.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
import json
from pathlib import Path
import sys

import pandas as pd

from rhetoric import corpus as corpus_mod
from rhetoric import paths
from rhetoric.errors import RhetoricInputError, StudyRunError, display_path

__all__ = ["main"]

EXIT_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


# -- output ------------------------------------------------------------------------


def _cell(value: object) -> object:
    if isinstance(value, tuple | list):
        return ";".join(map(str, value))
    return value


def print_frame(frame: pd.DataFrame, fmt: str, *, floats: int = 3) -> None:
    """Print a table as a readable terminal table, CSV or JSON (records) on stdout."""
    frame = frame.map(_cell) if len(frame) else frame
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    elif fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif frame.empty:
        print("(no rows) columns: " + ", ".join(map(str, frame.columns)))
    else:
        shown = frame.copy()
        for column in shown.columns:
            if pd.api.types.is_float_dtype(shown[column]):
                shown[column] = shown[column].map(
                    lambda v: "" if pd.isna(v) else f"{v:.{floats}f}"
                )
            elif pd.api.types.is_object_dtype(shown[column]) or pd.api.types.is_string_dtype(
                shown[column]
            ):
                shown[column] = shown[column].map(
                    lambda v: v if not isinstance(v, str) or len(v) <= 60 else v[:57] + "..."
                )
        print(shown.to_string(index=False))


# -- commands ----------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace) -> int:
    problems, summary = corpus_mod.validate_data(args.data)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{display_path(args.data)}: {len(problems)} problem{'s' * (len(problems) != 1)}",
            file=sys.stderr,
        )
        return EXIT_INPUT
    print(summary)
    return 0


def _cmd_add(args: argparse.Namespace) -> int:
    ids = corpus_mod.add_statements(
        args.files,
        data_dir=args.data,
        title=args.title,
        date=args.date,
        parties=args.parties,
        kind=args.kind,
        outlet=args.outlet,
        url=args.url,
        id=args.id,
        language=args.language,
    )
    for new_id in ids:
        print(new_id)
    return 0


def _cmd_corpus(args: argparse.Namespace) -> int:
    from rhetoric.pipeline import corpus_table, process_corpus

    print_frame(corpus_table(process_corpus(args.data)), args.format)
    return 0


def _cmd_clean(args: argparse.Namespace) -> int:
    from rhetoric.pipeline import process_corpus

    processed = process_corpus(args.data)
    if args.id not in processed.cleaned.index:
        known = ", ".join(processed.cleaned.index[:5])
        raise RhetoricInputError(
            f"{display_path(Path(args.data) / paths.CORPUS_FILE)}: no document {args.id!r} "
            f"(ids: {known}{', ...' if len(processed.cleaned) > 5 else ''}; see `rhetoric corpus`)"
        )
    if args.removed:
        audit = processed.audit[processed.audit["document"] == args.id]
        if args.format == "table":
            audit = audit.assign(text=audit["text"].str.replace("\n", "\\n"))
        print_frame(audit, args.format)
    elif args.format == "table":
        print(processed.cleaned[args.id])
    else:
        print_frame(
            pd.DataFrame({"id": [args.id], "text": [processed.cleaned[args.id]]}), args.format
        )
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from rhetoric.notebooks import run_study

    written = run_study(data_dir=args.data, out_dir=args.out, html=args.html)
    out = display_path(args.out) if args.out else "the project"
    print(f"rhetoric run: {len(written)} files written to {out}", file=sys.stderr)
    return 0


# -- parser ------------------------------------------------------------------------


def _add_common(parser: argparse.ArgumentParser, *, table: bool = False) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="data directory (default: $RHETORIC_DATA or the project's data/)",
    )
    if table:
        parser.add_argument(
            "--format",
            choices=("table", "csv", "json"),
            default="table",
            help="output: a readable table (default), or CSV / JSON on stdout",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rhetoric",
        description="Comparative rhetoric of joint statements: corpus, themes, measures, notebooks.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {}

    p = sub.add_parser(
        "validate", help="check corpus.csv, raw/ and the YAML files; list every problem"
    )
    _add_common(p)
    commands["validate"] = _cmd_validate

    p = sub.add_parser(
        "add",
        help="import statement files (metadata from flags or YAML front matter)",
        description="Copy statement files unchanged into DATA/raw/ and list them in corpus.csv. "
        "All or nothing: if any file is refused, nothing is written.",
    )
    _add_common(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--title")
    p.add_argument("--date", help="YYYY-MM-DD")
    p.add_argument("--parties", help="party codes from parties.yml, e.g. US,RU")
    p.add_argument(
        "--kind", help=f"one of {', '.join(corpus_mod.KINDS)} (default joint_statement)"
    )
    p.add_argument("--outlet", help="publisher of the text (for news reports)")
    p.add_argument("--url")
    p.add_argument("--id", help="id [a-z0-9-]+ (default: made from date, parties and title)")
    p.add_argument("--language", help="ISO 639 code (default en)")
    commands["add"] = _cmd_add

    p = sub.add_parser("corpus", help="one row per document with its metadata and token counts")
    _add_common(p, table=True)
    commands["corpus"] = _cmd_corpus

    p = sub.add_parser(
        "run",
        help="execute notebooks 01..NN in order; write executed notebooks, figures (and HTML)",
    )
    _add_common(p)
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: the project)")
    p.add_argument("--html", action="store_true", help="also write reports/NN_name.html")
    commands["run"] = _cmd_run

    p = sub.add_parser("clean", help="cleaned text of one document, or what cleaning removed")
    _add_common(p, table=True)
    p.add_argument("id", help="document id (see `rhetoric corpus`)")
    p.add_argument("--removed", action="store_true", help="list removed spans and their rules")
    commands["clean"] = _cmd_clean

    parser.set_defaults(_commands=commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed in one line
        return int(exc.code or 0)
    if getattr(args, "data", None) is None and args.command != "run":
        args.data = paths.default_data_dir()
    try:
        return args._commands[args.command](args)
    except RhetoricInputError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    except StudyRunError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("rhetoric: interrupted; nothing was left half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
