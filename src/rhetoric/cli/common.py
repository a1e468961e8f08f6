""":mod:`rhetoric.cli.common`: what every command shares: the parser, how a command is
declared, the common options, reading the corpus, and printing tables.

A command is a function of the parsed options that returns the exit status, declared
with :func:`command` beside a function that adds its options, in the module of its
group (:mod:`rhetoric.cli.data`, :mod:`rhetoric.cli.measures`,
:mod:`rhetoric.cli.lexicon`, :mod:`rhetoric.cli.files`); :mod:`rhetoric.cli.app`
builds the parser from them. Printed to a terminal, control characters of the
user's texts and titles are shown escaped (``\\x1b``), so that a statement cannot
move the cursor or recolour the terminal; written to a file or a pipe, output is exact.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import contextlib
from dataclasses import dataclass
import json
import math
from pathlib import Path
import re
import sys
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from rhetoric.corpus import Corpus

__all__ = [
    "BY_HELP",
    "EXIT_INPUT",
    "STOPWORD_POLICY",
    "Command",
    "Parser",
    "add_common",
    "add_ngrams",
    "add_stopwords",
    "add_unit",
    "command",
    "non_negative",
    "positive",
    "print_frame",
    "processed",
    "safe_terminal",
    "share",
    "terminal_safe",
    "whole_number",
]

EXIT_INPUT = 2


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print a usage error as one line on stderr and exit with status 2.

        Parameters
        ----------
        message : str
            What argparse found wrong; the line printed is
            ``<prog>: <message> (see `<prog> --help`)``.

        Raises
        ------
        SystemExit
            Always, with :data:`EXIT_INPUT` (2).
        """
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


# -- commands ----------------------------------------------------------------------

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, what ``--help`` says of it, the function that adds its
    options to its parser, and the function that runs it (returning the exit status)."""

    name: str
    run: Handler
    options: Callable[[argparse.ArgumentParser], None]
    help: str
    description: str | None = None


def command(
    group: list[Command],
    name: str,
    *,
    options: Callable[[argparse.ArgumentParser], None],
    help: str,
    description: str | None = None,
) -> Callable[[Handler], Handler]:
    """Declare the decorated function as the command ``name`` of ``group`` (the list of
    its module's commands, in the order ``rhetoric --help`` shows them).

    Parameters
    ----------
    group : list of Command
        The module's ``COMMANDS``; a :class:`Command` is appended to it.
    name : str
        The subcommand's name (``rhetoric NAME``).
    options : callable
        Adds the command's options to its :class:`argparse.ArgumentParser`.
    help : str
        What ``rhetoric --help`` says of the command.
    description : str, optional
        What ``rhetoric NAME --help`` says above the options (default: nothing).

    Returns
    -------
    callable
        The decorator: it declares the function (which takes the parsed options and
        returns the exit status) and returns it unchanged.
    """

    def declare(run: Handler) -> Handler:
        group.append(Command(name, run, options, help, description))
        return run

    return declare


# -- options shared by commands ----------------------------------------------------

BY_HELP = "group by document, dyad, year, kind, outlet, corpus or another corpus.csv column"


def whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum``.

    Parameters
    ----------
    minimum : int
        The smallest number accepted.

    Returns
    -------
    callable
        Takes the option's text and returns it as an int; raises
        :class:`argparse.ArgumentTypeError` for text that is not a whole number, or a
        number below ``minimum``.
    """

    def parse(value: str) -> int:
        """An argparse type: ``value`` as a whole number of at least the ``minimum``
        given to :func:`whole_number` (1 for :func:`positive`, 0 for
        :func:`non_negative`).

        Parameters
        ----------
        value : str
            The option's text.

        Returns
        -------
        int
            The number.

        Raises
        ------
        argparse.ArgumentTypeError
            If ``value`` is not a whole number, or is below the minimum.
        """
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{value} must be {minimum} or more")
        return number

    return parse


positive, non_negative = whole_number(1), whole_number(0)


def share(value: str) -> float:
    """An argparse type: a number above 0 and at most 1.

    Parameters
    ----------
    value : str
        The option's text.

    Returns
    -------
    float
        The number, in (0, 1].

    Raises
    ------
    argparse.ArgumentTypeError
        If ``value`` is not a number, or is not above 0 and at most 1.
    """
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"{value} must be above 0 and at most 1")
    return number


#: The one stopword policy (README, notebooks): counts and denominators keep every word; the
#: display stopwords are left out of word lists and theme contexts, kept in keyness and in
#: document and theme similarity, unless --stopwords says otherwise.
STOPWORD_POLICY = (
    "display stopwords (src/rhetoric/stopwords.txt; pronouns, modals and negations are not "
    "among them): drop leaves them out, keep lists them; counts and denominators always keep "
    "every word"
)


def add_stopwords(parser: argparse.ArgumentParser, default: str, shown: str) -> None:
    """Add ``--stopwords {keep,drop}`` to ``parser``, its help the :data:`STOPWORD_POLICY`.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command's parser.
    default : {"keep", "drop"}
        The option's default.
    shown : str
        What the default follows, ending the help as ``(default <default>, as <shown>)``
        (e.g. ``"notebook 04 lists collocates"``).
    """
    parser.add_argument("--stopwords", choices=("keep", "drop"), default=default,
                        help=f"{STOPWORD_POLICY} (default {default}, as {shown})")  # fmt: skip


def add_common(parser: argparse.ArgumentParser, *, table: bool = False) -> None:
    """Add ``--data DIR`` to ``parser``; for a command that prints a table, also
    ``--reprints``, ``--where`` and ``--format``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command's parser.
    table : bool, default False
        Also add ``--reprints {drop,keep}`` (default None: the command decides, see
        :func:`processed`), ``--language CODE`` (default None: each statement's original),
        ``--where COLUMN=VALUE`` (repeatable, default ``[]``) and ``--format
        {table,csv,json}`` (default ``table``).
    """
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="data directory (default: $RHETORIC_DATA or the project's data/)",
    )
    if table:
        parser.add_argument(
            "--reprints",
            choices=("drop", "keep"),
            default=None,
            help="count each cluster of near-duplicate documents once (drop, the default) "
            "or analyse every copy (keep)",
        )
        parser.add_argument(
            "--language",
            default=None,
            metavar="CODE",
            help="count each statement with language versions (corpus.csv's version_of) in "
            "this language where it has one (e.g. ru); default: the original",
        )
        parser.add_argument(
            "--where",
            action="append",
            default=[],
            metavar="COLUMN=VALUE",
            help="only documents with this corpus.csv value (e.g. kind=joint_statement; "
            "COLUMN!=VALUE excludes; values joined by commas; repeat to require several)",
        )
        parser.add_argument(
            "--format",
            choices=("table", "csv", "json"),
            default="table",
            help="output: a readable table (default), or CSV / JSON on stdout",
        )


def add_unit(p: argparse.ArgumentParser) -> None:
    """Add ``--unit {lower,stem}`` (default ``lower``) to ``p``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The command's parser.
    """
    p.add_argument("--unit", choices=("lower", "stem"), default="lower",
                   help="count lowercase word forms (lower, default) or Snowball stems (stem)")  # fmt: skip


def add_ngrams(p: argparse.ArgumentParser) -> None:
    """Add ``--ngrams N[-M]`` to ``p`` (default ``"1"``; kept as text, for the measure to read).

    Parameters
    ----------
    p : argparse.ArgumentParser
        The command's parser.
    """
    p.add_argument("--ngrams", default="1", metavar="N[-M]",
                   help="count n-grams of these orders, formed within sentences: 2 (pairs of "
                   "words), 1-3 (words, pairs and triples); default 1, words")  # fmt: skip


# -- the corpus a command reads ----------------------------------------------------


def processed(
    args: argparse.Namespace, *, reprints: str | None = None, versions: str = "one"
) -> Corpus:
    """The processed corpus of ``--data``, its cleaning warnings printed, reprints dropped
    or kept as ``reprints`` or ``--reprints`` say (default drop), ``--where`` applied.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options: ``data``, and ``reprints`` and ``where`` where the command
        has them (:func:`add_common`).
    reprints : {"drop", "keep"}, optional
        Overrides ``--reprints`` when given.
    versions : {"one", "keep"}, default "one"
        One version of each statement (``--language``), or every version (a lexicon
        audit: a term of one language is matched in that language's version).

    Returns
    -------
    Corpus
        :func:`rhetoric.pipeline.process_corpus` of ``args.data``, restricted by
        :meth:`rhetoric.corpus.Corpus.select` to the documents ``--where`` keeps.
    """

    return processed_whole(args, reprints=reprints, versions=versions)[0]


def processed_whole(args: argparse.Namespace, *, reprints: str | None = None,
                    versions: str = "one") -> tuple[Corpus, Corpus]:  # fmt: skip
    """:func:`processed`, and the corpus before ``--where`` (on which events are inferred).

    Parameters
    ----------
    args : argparse.Namespace
        As for :func:`processed`.
    reprints : {"drop", "keep"}, optional
        As for :func:`processed`.
    versions : {"one", "keep"}, default "one"
        As for :func:`processed`.

    Returns
    -------
    tuple of Corpus
        The selected corpus and the whole one (the same object without ``--where``).
    """
    from rhetoric.pipeline import process_corpus

    chosen = reprints or getattr(args, "reprints", None) or "drop"
    corpus = process_corpus(args.data, reprints=chosen, language=getattr(args, "language", None),
                            versions=versions)  # fmt: skip
    for warning in corpus.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return corpus.select(getattr(args, "where", None)), corpus


# -- output ------------------------------------------------------------------------

#: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
#: isolates (which reorder what a terminal shows).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``).

    Parameters
    ----------
    text : str
        Text to print.

    Returns
    -------
    str
        ``text`` with C0 controls (but tab and newline), DEL, C1 controls and the
        bidirectional overrides and isolates written as Python escapes (``\\x1b``);
        the same ``text`` when it has none.
    """
    return _CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)


class _TerminalStream:
    """A text stream that escapes control characters when it is a terminal."""

    def __init__(self, stream) -> None:
        self.unescaped = stream

    def write(self, text: str) -> int:
        return self.unescaped.write(terminal_safe(text))

    def __getattr__(self, name: str):
        return getattr(self.unescaped, name)


@contextlib.contextmanager
def safe_terminal():
    """Inside the block, stdout and stderr escape control characters if they are terminals.

    Yields
    ------
    None
        While the block runs, ``sys.stdout`` and ``sys.stderr``, each if it is a
        terminal when the block starts, write through :func:`terminal_safe`.
    """
    with contextlib.ExitStack() as stack:
        if sys.stdout.isatty():
            stack.enter_context(contextlib.redirect_stdout(_TerminalStream(sys.stdout)))
        if sys.stderr.isatty():
            stack.enter_context(contextlib.redirect_stderr(_TerminalStream(sys.stderr)))
        yield


def _cell(value: object) -> object:
    if isinstance(value, tuple | list):
        return ";".join(map(str, value))
    return value


def _json_value(value: object) -> object:
    """A cell as JSON takes it: a missing or infinite number as None, NumPy scalars as
    Python's."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def print_frame(frame: pd.DataFrame, fmt: str, *, floats: int = 3) -> None:
    """Print a table as a readable terminal table, CSV or JSON (records) on stdout.

    In every format, a tuple or list in a cell is written joined with ``;``, and the
    index is left out.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    fmt : {"table", "csv", "json"}
        ``csv``: full precision, ``\\n`` line ends. ``json``: a list of records, one
        object per row, indented, non-ASCII kept, missing and infinite values
        ``null``, floats in full (the shortest text that reads back as the same number). Anything else: the readable table,
        floats to ``floats`` decimals (missing ones blank), text over 60 characters
        cut to 57 and ``...``; an empty frame prints ``(no rows) columns: ...``.
    floats : int, default 3
        Decimals of float columns in the readable table.
    """
    lists = [c for c in frame.columns if frame[c].dtype == object]  # only these can hold lists
    if len(frame) and lists:
        frame = frame.assign(**{str(c): frame[c].map(_cell) for c in lists})
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    elif fmt == "json":
        records = [{str(k): _json_value(v) for k, v in row.items()}
                   for row in frame.astype(object).to_dict(orient="records")]  # fmt: skip
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n")
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
