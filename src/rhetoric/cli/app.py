""":mod:`rhetoric.cli.app`: the ``rhetoric`` command. Thin: parses options, calls the modules, prints.

Errors a user can fix are one line on stderr and exit status 2; a failure of
the machine (a full disk, a read-only folder) is one line and status 1; see
``rhetoric --help`` and design.md for the contract. Printed to a terminal,
control characters of the user's texts and titles are shown escaped
(``\\x1b``), so that a statement cannot move the cursor or recolour the
terminal; written to a file or a pipe, output is exact.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
import contextlib
import json
from pathlib import Path
import re
import sys

import pandas as pd

from rhetoric.data import folder as corpus_mod
from rhetoric.errors import (
    RhetoricEnvironmentError,
    RhetoricInputError,
    StudyRunError,
    display_path,
)
from rhetoric.store import cache, paths
from rhetoric.store.atomic import environment_error, stop_on_signals

__all__ = ["main"]

EXIT_INPUT = 2
#: Parameters of the notebooks' parameters cell that `rhetoric run -p` may set.
RUN_PARAMETERS = ("group_a", "group_b", "compare_by", "themes_file", "where", "reprints")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


# -- output ------------------------------------------------------------------------

#: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
#: isolates (which reorder what a terminal shows).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``)."""
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
def _safe_terminal():
    """Inside the block, stdout and stderr escape control characters if they are terminals."""
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


def print_frame(frame: pd.DataFrame, fmt: str, *, floats: int = 3) -> None:
    """Print a table as a readable terminal table, CSV or JSON (records) on stdout."""
    lists = [c for c in frame.columns if frame[c].dtype == object]  # only these can hold lists
    if len(frame) and lists:
        frame = frame.assign(**{str(c): frame[c].map(_cell) for c in lists})
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
    from rhetoric.text.clean import clean_corpus_checked, load_boilerplate
    from rhetoric.text.reprints import canonical_of

    corpus = corpus_mod.load_corpus(args.data)
    checked = clean_corpus_checked(
        corpus, load_boilerplate(Path(args.data) / paths.BOILERPLATE_FILE)
    )
    canonical = canonical_of(checked.reprints, list(corpus["id"]), list(corpus["date"]))
    clusters: dict[str, list[str]] = {}
    for member, first in canonical.items():
        clusters.setdefault(first, []).append(member)
    for first, members in clusters.items():
        print(f"warning: reprints of {first}: {', '.join(members)} (counted once; "
              "`rhetoric duplicates`)", file=sys.stderr)  # fmt: skip
    for warning in checked.warnings:
        print(f"warning: {warning}", file=sys.stderr)
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
    _warn_reprints(args.data, dict(zip(ids, args.files, strict=False)))
    return 0


def _warn_reprints(data_dir, files_of: dict) -> None:
    """One warning line per newly added document that is a near-duplicate of another (the
    most similar one named)."""
    from rhetoric.text.clean import clean_corpus_checked, load_boilerplate

    corpus = corpus_mod.load_corpus(data_dir)
    boilerplate = load_boilerplate(Path(data_dir) / paths.BOILERPLATE_FILE)
    pairs = clean_corpus_checked(corpus, boilerplate).reprints
    best: dict[str, tuple[float, str]] = {}
    for a, b, value in zip(pairs["a"], pairs["b"], pairs["jaccard"], strict=True):
        for new, other in ((a, b), (b, a)):
            if new in files_of and value > best.get(new, (-1.0, ""))[0]:
                best[new] = (value, other)
    for new, (value, other) in best.items():
        print(f"warning: {display_path(files_of[new])} looks like a reprint of {other} "
              f"(Jaccard {value:.2f}); it is added, and analyses count it once "
              "(`rhetoric duplicates`)", file=sys.stderr)  # fmt: skip


def _cmd_corpus(args: argparse.Namespace) -> int:
    from rhetoric.corpus import corpus_table

    # one row per document: reprints are listed (with reprint_of) unless --reprints drop
    reprints = "keep" if args.reprints is None else args.reprints
    print_frame(corpus_table(_processed(args, reprints=reprints)), args.format)
    return 0


def _cmd_clean(args: argparse.Namespace) -> int:
    corpus = _processed(args, reprints=args.reprints or "keep")  # any document, reprints too
    if args.id not in corpus.cleaned.index:
        known = ", ".join(corpus.cleaned.index[:5])
        raise RhetoricInputError(
            f"{display_path(Path(args.data) / paths.CORPUS_FILE)}: no document {args.id!r} "
            f"(ids: {known}{', ...' if len(corpus.cleaned) > 5 else ''}; see `rhetoric corpus`)"
        )
    if args.removed:
        audit = corpus.audit[corpus.audit["document"] == args.id]
        if args.format == "table":
            audit = audit.assign(text=audit["text"].str.replace("\n", "\\n"))
        print_frame(audit, args.format)
    elif args.format == "table":
        print(corpus.cleaned[args.id])
    else:
        print_frame(
            pd.DataFrame({"id": [args.id], "text": [corpus.cleaned[args.id]]}), args.format
        )
    return 0


def _processed(args: argparse.Namespace, *, reprints: str | None = None):
    from rhetoric.pipeline import process_corpus

    chosen = reprints or getattr(args, "reprints", None) or "drop"
    corpus = process_corpus(args.data, reprints=chosen)
    for warning in corpus.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return corpus.select(getattr(args, "where", None))


def _cmd_duplicates(args: argparse.Namespace) -> int:
    from rhetoric.text.clean import clean_corpus_checked, load_boilerplate
    from rhetoric.text.reprints import canonical_of

    corpus = corpus_mod.load_corpus(args.data)
    boilerplate = load_boilerplate(Path(args.data) / paths.BOILERPLATE_FILE)
    pairs = clean_corpus_checked(corpus, boilerplate, threshold=args.threshold).reprints
    canonical = canonical_of(pairs, list(corpus["id"]), list(corpus["date"]))
    frame = pairs.assign(canonical=[canonical.get(b, canonical.get(a, a))
                                    for a, b in zip(pairs["a"], pairs["b"], strict=True)])  # fmt: skip
    print_frame(frame, args.format)
    return 0


def _cmd_reuse(args: argparse.Namespace) -> int:
    from rhetoric.measures import reuse

    corpus = _processed(args)
    passages = reuse.find_reuse(corpus, min_words=args.min_words)
    if not reuse.statement_pairs(corpus):
        print("rhetoric reuse: no statement (kind " + ", ".join(reuse.STATEMENT_KINDS) + ") has "
              "a news article of its dyad; add the statement's text with `rhetoric add FILE "
              "--kind joint_statement`", file=sys.stderr)  # fmt: skip
    if args.per == "article":
        frame = reuse.reuse_articles(corpus, passages)
    elif args.per == "sentence":
        frame = reuse.reuse_sentences(corpus, passages)
    else:
        frame = passages
    if args.format == "table" and "text" in frame:
        frame = frame.assign(text=frame["text"].str.replace("\n", " "))
    print_frame(frame, args.format)
    return 0


def _cmd_themes(args: argparse.Namespace) -> int:
    from rhetoric.measures.rates import theme_rates

    corpus = _processed(args)
    options = {"by": args.by, "voice": args.voice, "draws": args.draws, "seed": args.seed}
    # intervals are costly on a large corpus: remembered for the same tables and options
    key = cache.key("theme-rates", corpus.key, repr(sorted(options.items())),
                    code=theme_rates.__module__)  # fmt: skip
    frame = cache.memo_frame("theme-rates", key, lambda: theme_rates(corpus, **options))
    print_frame(frame, args.format)
    return 0


def _cmd_dfm(args: argparse.Namespace) -> int:
    from rhetoric.export import write_dfm

    written = write_dfm(_processed(args), args.out, unit=args.unit, ngrams=args.ngrams,
                        stopwords=args.stopwords)  # fmt: skip
    print(f"rhetoric dfm: {', '.join(p.name for p in written)} written to "
          f"{display_path(args.out)}", file=sys.stderr)  # fmt: skip
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from rhetoric.export import write_tables

    written = write_tables(_processed(args), args.out)
    print(f"rhetoric export: {', '.join(p.name for p in written)} written to "
          f"{display_path(args.out)}", file=sys.stderr)  # fmt: skip
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from rhetoric.data.studyfolder import init_study

    folder = init_study(args.folder)
    print(f"rhetoric init: a study folder in {display_path(folder)} (data/, notebooks/, "
          f"figures/); next: cd {display_path(folder)} and `rhetoric add FILE ...` "
          "(see its README.md)", file=sys.stderr)  # fmt: skip
    return 0


def _add_ngrams(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ngrams", default="1", metavar="N[-M]",
                   help="count n-grams of these orders, formed within sentences: 2 (pairs of "
                   "words), 1-3 (words, pairs and triples); default 1, words")  # fmt: skip


def _cmd_terms(args: argparse.Namespace) -> int:
    from rhetoric.measures.terms import term_frequencies

    frame = term_frequencies(
        _processed(args),
        by=args.by,
        top=args.top,
        unit=args.unit,
        stopwords=args.stopwords,
        ngrams=args.ngrams,
    )
    print_frame(frame, args.format)
    return 0


def _cmd_similarity(args: argparse.Namespace) -> int:
    from rhetoric.measures import similarity

    corpus = _processed(args)
    chosen = args.stopwords or ("drop" if args.between == "contexts" else "keep")
    options = {"unit": args.unit, "stopwords": chosen}
    if args.between == "documents":
        frame = similarity.document_similarity(corpus, by=args.by or "document", **options)
    elif args.between == "themes":
        frame = similarity.theme_similarity(corpus, **options)
    else:
        frame = similarity.context_similarity(corpus, by=args.by or "dyad", **options)
    print_frame(frame, args.format)
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from rhetoric.measures.rates import compare_groups

    corpus = _processed(args)
    options = {"a": args.a, "b": args.b, "by": args.by, "voice": args.voice,
               "permutations": args.permutations, "seed": args.seed}  # fmt: skip
    key = cache.key("compare", corpus.key, repr(sorted(options.items())),
                    code=compare_groups.__module__)  # fmt: skip
    frame = cache.memo_frame("compare", key, lambda: compare_groups(corpus, **options))
    print_frame(frame, args.format)
    return 0


def _cmd_keyness(args: argparse.Namespace) -> int:
    from rhetoric.measures.keyterms import keyness

    frame = keyness(
        _processed(args),
        target=args.target,
        reference=args.reference,
        by=args.by,
        unit=args.unit,
        min_count=args.min_count,
        min_documents=args.min_documents,
        sort=args.sort,
        ngrams=args.ngrams,
    )
    if args.top is not None:
        frame = pd.concat([frame.head(args.top), frame.tail(args.top)]).drop_duplicates("term")
    print_frame(frame, args.format)
    return 0


def _cmd_kwic(args: argparse.Namespace) -> int:
    from rhetoric.measures.concordance import format_kwic, kwic, theme_kwic

    if (args.pattern is None) == (args.theme is None):
        raise RhetoricInputError("rhetoric kwic: give a PATTERN or --theme T (one of them)")
    corpus = _processed(args)
    if args.theme is not None:
        frame = theme_kwic(corpus, args.theme, window=args.window, sort=args.sort)
    else:
        frame = kwic(corpus, args.pattern, window=args.window, sort=args.sort)
    if args.format == "table":
        lines = format_kwic(frame)
        print("\n".join(lines) if lines else "(no match)")
        return 0
    print_frame(frame, args.format)
    return 0


def _cmd_collocates(args: argparse.Namespace) -> int:
    from rhetoric.measures.concordance import collocates

    frame = collocates(
        _processed(args),
        args.node,
        by=args.by,
        window=args.window,
        min_count=args.min_count,
        stopwords=args.stopwords,
    )
    if args.top is not None:
        frame = frame.groupby("group", sort=False).head(args.top)
    print_frame(frame, args.format)
    return 0


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


def _cmd_lexicon_import(args: argparse.Namespace) -> int:
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


def _cmd_lexicon_export(args: argparse.Namespace) -> int:
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


def _cmd_lexicon(args: argparse.Namespace) -> int:
    from rhetoric.measures.concordance import lexicon_report

    if args.lexicon_action == "import":
        return _cmd_lexicon_import(args)
    if args.lexicon_action == "export":
        return _cmd_lexicon_export(args)
    frame = lexicon_report(_processed(args))
    if args.unmatched:
        frame = frame[frame["hits"] == 0]
    print_frame(frame, args.format)
    return 0


def _cmd_dispersion(args: argparse.Namespace) -> int:
    from rhetoric.measures.rates import dispersion

    print_frame(dispersion(_processed(args)), args.format)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
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


def _whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{value} must be {minimum} or more")
        return number

    return parse


_positive, _non_negative = _whole_number(1), _whole_number(0)


def _share(value: str) -> float:
    """An argparse type: a number above 0 and at most 1."""
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


def _add_stopwords(parser: argparse.ArgumentParser, default: str, shown: str) -> None:
    parser.add_argument("--stopwords", choices=("keep", "drop"), default=default,
                        help=f"{STOPWORD_POLICY} (default {default}, as {shown})")  # fmt: skip


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
            "--reprints",
            choices=("drop", "keep"),
            default=None,
            help="count each cluster of near-duplicate documents once (drop, the default) "
            "or analyse every copy (keep)",
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


def _add_lexicon_actions(parser: argparse.ArgumentParser) -> None:
    from rhetoric.text.lexicons import FORMATS

    actions = parser.add_subparsers(dest="lexicon_action", parser_class=_Parser)
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rhetoric",
        description="Comparative rhetoric of joint statements: corpus, themes, measures, notebooks.",
    )
    from rhetoric import __version__

    parser.add_argument("--version", action="version", version=f"rhetoric {__version__}")
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
        "duplicates",
        help="near-duplicate documents (wire reprints): pairs with their Jaccard similarity",
        description="Pairs of documents whose word 5-shingle sets have a Jaccard similarity of "
        "at least the threshold, on the text after the boilerplate.yml rules; canonical: the "
        "cluster's earliest document, which analyses keep.",
    )
    _add_common(p, table=True)
    p.add_argument("--threshold", type=_share, default=0.5,
                   help="Jaccard similarity from which two documents are reprints (default 0.5)")  # fmt: skip
    commands["duplicates"] = _cmd_duplicates

    p = sub.add_parser(
        "reuse",
        help="passages of news articles that reproduce a statement of the same dyad",
        description="For every news article and every statement (joint_statement, communique, "
        "declaration) of the same dyad: the article's passages that reproduce the statement's "
        "words (at least --min-words, a changed, added or dropped word allowed), with "
        "character offsets into both cleaned texts. --per article: the share of each article's "
        "words that are statement text and the statement sentences it reproduced; --per "
        "sentence: each statement sentence and the articles that reproduced it.",
    )
    _add_common(p, table=True)
    p.add_argument("--per", choices=("passage", "article", "sentence"), default="passage",
                   help="one row per passage (default), article and statement, or statement "
                   "sentence")  # fmt: skip
    p.add_argument("--min-words", type=_positive, default=8, metavar="N",
                   help="fewest article words in a passage (default 8, at least 4)")  # fmt: skip
    commands["reuse"] = _cmd_reuse

    p = sub.add_parser(
        "run",
        help="execute notebooks 01..NN in order; write executed notebooks, figures (and HTML)",
    )
    _add_common(p)
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
        "where (e.g. where=kind=joint_statement; conditions joined by ';')",
    )
    commands["run"] = _cmd_run

    p = sub.add_parser("clean", help="cleaned text of one document, or what cleaning removed")
    _add_common(p, table=True)
    p.add_argument("id", help="document id (see `rhetoric corpus`)")
    p.add_argument("--removed", action="store_true", help="list removed spans and their rules")
    commands["clean"] = _cmd_clean

    by_help = "group by document, dyad, year, kind, outlet, corpus or another corpus.csv column"
    unit_help = "count lowercase word forms (lower, default) or Snowball stems (stem)"

    p = sub.add_parser(
        "themes", help="theme counts and rates per 1,000 tokens with 95%% intervals"
    )
    _add_common(p, table=True)
    p.add_argument("--by", default="document", help=f"{by_help} (default document)")
    p.add_argument("--voice", action="store_true", help="split quoted and narrated tokens")
    p.add_argument(
        "--draws", type=_non_negative, default=2000, help="bootstrap draws (default 2000)"
    )
    p.add_argument("--seed", type=int, default=1945, help="bootstrap seed (default 1945)")
    commands["themes"] = _cmd_themes

    p = sub.add_parser("terms", help="most frequent terms per group")
    _add_common(p, table=True)
    p.add_argument("--by", default="document", help=f"{by_help} (default document)")
    p.add_argument("--top", type=_positive, default=20, help="terms per group (default 20)")
    p.add_argument("--unit", choices=("lower", "stem"), default="lower", help=unit_help)
    _add_stopwords(p, "drop", "notebook 02 lists the most frequent words")
    p.add_argument("--all-words", action="store_const", const="keep", dest="stopwords",
                   help="the same as --stopwords keep")  # fmt: skip
    _add_ngrams(p)
    commands["terms"] = _cmd_terms

    p = sub.add_parser("similarity", help="TF-IDF cosine similarity (long format)")
    _add_common(p, table=True)
    p.add_argument("--between", choices=("documents", "themes", "contexts"), default="documents")
    p.add_argument("--by", default=None, help=f"{by_help} (documents: document; contexts: dyad)")
    p.add_argument("--unit", choices=("lower", "stem"), default="lower", help=unit_help)
    p.add_argument("--stopwords", choices=("keep", "drop"), default=None,
                   help=f"{STOPWORD_POLICY} (default: keep for documents and themes, drop for "
                   "contexts, as notebook 03 shows them; notebook 03 also shows documents "
                   "with drop)")  # fmt: skip
    commands["similarity"] = _cmd_similarity

    p = sub.add_parser(
        "compare",
        help="two groups theme by theme: rate ratio, document permutation test, Holm, verdict",
        description="One pre-specified comparison of two groups with documents as the unit: "
        "pooled rates, rate ratio with a robust GLM interval, a permutation test of the "
        "document labels, Holm's adjustment across themes and a verdict (a_higher, b_higher, "
        "no_clear_difference, too_few_documents).",
    )
    _add_common(p, table=True)
    p.add_argument("--by", default="dyad", help=f"{by_help} (default dyad)")
    p.add_argument("--a", required=True, help="group A (e.g. RU-US or its label US–Russia)")
    p.add_argument("--b", required=True, help="group B")
    p.add_argument("--voice", choices=("quoted", "narration"), help="compare only this voice")
    p.add_argument(
        "--permutations",
        type=_positive,
        default=9999,
        help="random relabellings when the exact test needs more (default 9999)",
    )
    p.add_argument("--seed", type=int, default=1945, help="permutation seed (default 1945)")
    commands["compare"] = _cmd_compare

    p = sub.add_parser(
        "keyness",
        help="Log Ratio, G2 and a document-level test of every term, target vs reference",
    )
    _add_common(p, table=True)
    p.add_argument(
        "--target", required=True, help="a group (dyad id such as RU-US, or its label US–Russia)"
    )
    p.add_argument("--reference", help="a group (default: all other documents)")
    p.add_argument("--by", default="dyad", help=f"{by_help} (default dyad)")
    p.add_argument("--unit", choices=("lower", "stem"), default="lower", help=unit_help)
    p.add_argument(
        "--min-count", type=_positive, default=1, help="minimum count in both groups together"
    )
    p.add_argument(
        "--min-documents",
        type=_positive,
        default=2,
        help="minimum documents holding the term, both groups together (default 2)",
    )
    p.add_argument(
        "--sort",
        choices=("log_ratio", "g2", "doc_p_value"),
        default="log_ratio",
        help="order: Log Ratio (default, the effect size), signed G2, or document-level p",
    )
    p.add_argument(
        "--top", type=_positive, help="only the N most over- and N most under-used terms"
    )
    _add_ngrams(p)
    commands["keyness"] = _cmd_keyness

    p = sub.add_parser(
        "dfm",
        help="write the document-feature matrix (Matrix Market, SciPy .npz, features and "
        "documents as CSV) for R, quanteda or Python",
    )
    _add_common(p, table=True)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write to")
    p.add_argument("--unit", choices=("lower", "stem"), default="lower", help=unit_help)
    p.add_argument("--stopwords", choices=("keep", "drop"), default="keep",
                   help="keep every feature (the default, as quanteda's dfm) or drop the "
                   "display stopwords")  # fmt: skip
    _add_ngrams(p)
    commands["dfm"] = _cmd_dfm

    p = sub.add_parser(
        "init", help="make a new study folder (data/, notebooks/, figures/) for your own corpus"
    )
    p.add_argument("folder", type=Path, help="a new or empty folder")
    commands["init"] = _cmd_init

    p = sub.add_parser(
        "export",
        help="write the token, hit and document tables as Parquet (R arrow, polars, DuckDB)",
    )
    _add_common(p, table=True)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write to")
    commands["export"] = _cmd_export

    p = sub.add_parser(
        "kwic", help="concordance of a word, phrase or glob, or of every hit of a theme"
    )
    _add_common(p, table=True)
    p.add_argument(
        "pattern",
        nargs="?",
        help="word, phrase ('mutual trust'), glob ('cooperat*') or a term of another kind "
        "('exact: trusts', 'glob: e*mail', 'regex: trust(s|ed)?')",
    )
    p.add_argument("--theme", help="list every hit of this theme instead")
    p.add_argument(
        "--window",
        type=_non_negative,
        default=5,
        help="word tokens of context each side (default 5)",
    )
    p.add_argument("--sort", default="document", metavar="document|L1..L5|R1..R5",
                   help="corpus order (default), or by the word 1-5 tokens left (L) or right "
                   "(R) of the match, as AntConc sorts")  # fmt: skip
    commands["kwic"] = _cmd_kwic

    p = sub.add_parser("collocates", help="collocates of a node word per group, ranked by G2")
    _add_common(p, table=True)
    p.add_argument("node", help="word, phrase or glob")
    p.add_argument("--by", default="dyad", help=f"{by_help} (default dyad)")
    p.add_argument("--window", type=_positive, default=5, help="word tokens each side (default 5)")
    p.add_argument(
        "--min-count", type=_positive, default=2, help="minimum co-occurrences (default 2)"
    )
    _add_stopwords(p, "drop", "notebook 04 lists collocates")
    p.add_argument("--top", type=_positive, help="collocates per group")
    commands["collocates"] = _cmd_collocates

    p = sub.add_parser(
        "lexicon",
        help="hits of every theme term (--unmatched: terms that never matched); import and "
        "export quanteda and LIWC dictionaries",
    )
    _add_common(p, table=True)
    p.add_argument("--unmatched", action="store_true")
    _add_lexicon_actions(p)
    commands["lexicon"] = _cmd_lexicon

    p = sub.add_parser(
        "dispersion", help="where theme hits fall in each document (0-1), for an x-ray plot"
    )
    _add_common(p, table=True)
    commands["dispersion"] = _cmd_dispersion

    parser.set_defaults(_commands=commands)
    return parser


def option_wording(error: RhetoricInputError) -> str:
    """A library error in the command line's words: the parameters it names
    (:attr:`RhetoricInputError.parameters`), ``window=-1: must be 0 or more``, become the
    options that pass them on, ``--window -1: must be 0 or more``. Only a name that
    starts the message, or a part of it after ``": "`` or ``" and "``, is changed: a
    value that holds ``name=`` (``where='kind=x; date=2020'``) stays as it is."""
    message = str(error)
    for name in error.parameters:
        message = re.sub(rf"(?:^|(?<=: )|(?<= and )){re.escape(name)}=",
                         f"--{name.replace('_', '-')} ", message)  # fmt: skip
    return message


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed in one line
        return int(exc.code or 0)
    if getattr(args, "data", None) is None and args.command != "run":
        args.data = paths.default_data_dir()
    try:
        # SIGTERM stops like Ctrl-C, so that clean-up code runs
        with stop_on_signals(), _safe_terminal():
            return args._commands[args.command](args)
    except RhetoricInputError as exc:
        print(terminal_safe(option_wording(exc)), file=sys.stderr)
        return EXIT_INPUT
    except (StudyRunError, RhetoricEnvironmentError) as exc:
        print(terminal_safe(str(exc)), file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        return 0
    except OSError as exc:  # the machine refused, where no code named the path
        print(terminal_safe(str(environment_error(exc, exc.filename or "."))), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if args.command == "run":
            after = "the output folder holds all of the previous outputs or all of the new ones"
        else:
            after = "no file was left half-written (`rhetoric validate` shows the corpus)"
        print(f"rhetoric: interrupted; {after}", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
