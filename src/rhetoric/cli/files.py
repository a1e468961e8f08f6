""":mod:`rhetoric.cli.files`: the commands that write files for other tools and readers:
``dfm``, ``export`` and ``run`` (the notebooks, figures and reports)."""

from __future__ import annotations

import argparse
from pathlib import Path
import sys

from rhetoric.cli.common import Command, add_common, add_ngrams, add_unit, command, processed
from rhetoric.errors import RhetoricInputError, display_path

__all__ = ["COMMANDS", "RUN_PARAMETERS"]

#: The commands of this module, in the order ``rhetoric --help`` lists them.
COMMANDS: list[Command] = []
#: Parameters of the notebooks' parameters cell that `rhetoric run -p` may set.
RUN_PARAMETERS = ("group_a", "group_b", "compare_by", "themes_file", "where", "reprints",
                  "reprint_jaccard", "reprint_containment", "reprint_days",
                  "figure_style", "figure_width", "language")  # fmt: skip


def _run_options(p: argparse.ArgumentParser) -> None:
    add_common(p)
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: the project)")
    p.add_argument("--html", action="store_true",
                   help="also write reports/NN_name.html: prose, tables and figures for readers")  # fmt: skip
    p.add_argument("--html-code", action="store_true",
                   help="as --html, with the code cells shown too")  # fmt: skip
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a notebook parameter: group_a, group_b (e.g. CN-US), compare_by, themes_file, "
        "where (e.g. where=kind=joint_statement; conditions joined by ';'), reprints (drop or "
        "keep), reprint_jaccard, reprint_containment, reprint_days (the reprint rule: "
        "`rhetoric duplicates --help`), figure_style (a journal's typeface: "
        "figure_style='font=DejaVu Serif; size=9'), figure_width (double: 7.2 in, or "
        "single: 3.5 in where a figure fits one column), language (count each statement with "
        "versions in this language, e.g. language=zh)",
    )


@command(COMMANDS, "run", options=_run_options,
         help="execute notebooks 01..NN in order; write executed notebooks, figures (and HTML)")  # fmt: skip
def run(args: argparse.Namespace) -> int:
    from rhetoric.study.run import run_study

    parameters = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.isidentifier():
            raise RhetoricInputError(f"-p {item!r}: write NAME=VALUE, e.g. -p group_a=CN-US")
        if name not in RUN_PARAMETERS:
            raise RhetoricInputError(
                f"-p {name}: not a notebook parameter (use {', '.join(RUN_PARAMETERS)}; "
                "the data directory is --data)"
            )
        parameters[name] = value
    written = run_study(data_dir=args.data, out_dir=args.out, html=args.html or args.html_code,
                        code=args.html_code, parameters=parameters)  # fmt: skip
    out = display_path(args.out) if args.out else "the project"
    print(f"rhetoric run: {len(written)} files written to {out}", file=sys.stderr)
    return 0


# -- parser ------------------------------------------------------------------------


def _dfm_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write to")
    add_unit(p)
    p.add_argument("--stopwords", choices=("keep", "drop"), default="keep",
                   help="keep every feature (the default, as quanteda's dfm) or drop the "
                   "display stopwords")  # fmt: skip
    add_ngrams(p)


@command(
    COMMANDS,
    "dfm",
    options=_dfm_options,
    help="write the document-feature matrix (Matrix Market, SciPy .npz, features and "
    "documents as CSV) for R, quanteda or Python",
)
def dfm(args: argparse.Namespace) -> int:
    from rhetoric.export import write_dfm

    written = write_dfm(processed(args), args.out, unit=args.unit, ngrams=args.ngrams,
                        stopwords=args.stopwords)  # fmt: skip
    print(f"rhetoric dfm: {', '.join(p.name for p in written)} written to "
          f"{display_path(args.out)}", file=sys.stderr)  # fmt: skip
    return 0


def _export_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write to")


@command(COMMANDS, "export", options=_export_options,
         help="write the token, hit and document tables as Parquet (R arrow, polars, DuckDB)")  # fmt: skip
def export(args: argparse.Namespace) -> int:
    from rhetoric.export import write_tables

    written = write_tables(processed(args), args.out)
    print(f"rhetoric export: {', '.join(p.name for p in written)} written to "
          f"{display_path(args.out)}", file=sys.stderr)  # fmt: skip
    return 0
