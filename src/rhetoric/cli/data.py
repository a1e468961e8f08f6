""":mod:`rhetoric.cli.data`: the commands of the data folder: ``validate``, ``add``,
``corpus``, ``clean``, ``duplicates`` and ``init``."""

from __future__ import annotations

import argparse
from pathlib import Path
import sys

import pandas as pd

from rhetoric.cli.common import (
    EXIT_INPUT,
    Command,
    add_common,
    command,
    print_frame,
    processed,
    share,
)
from rhetoric.data import folder as corpus_mod
from rhetoric.errors import RhetoricInputError, display_path
from rhetoric.store import paths

__all__ = ["COMMANDS"]

#: The commands of this module, in the order ``rhetoric --help`` lists them.
COMMANDS: list[Command] = []


@command(COMMANDS, "validate", options=add_common,
         help="check corpus.csv, raw/ and the YAML files; list every problem")  # fmt: skip
def validate(args: argparse.Namespace) -> int:
    problems, summary = corpus_mod.validate_data(args.data)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{display_path(args.data)}: {len(problems)} problem{'s' * (len(problems) != 1)}",
            file=sys.stderr,
        )
        return EXIT_INPUT
    documents, checked, _pairs, canonical = _reprints(args.data)
    clusters: dict[str, list[str]] = {}
    for member, first in canonical.items():
        clusters.setdefault(first, []).append(member)
    for first, members in clusters.items():
        print(f"warning: reprints of {first}: {', '.join(members)} (counted once; "
              "`rhetoric duplicates`)", file=sys.stderr)  # fmt: skip
    for warning in checked.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _warn_quality(documents)
    _warn_languages(documents, Path(args.data) if args.data else paths.default_data_dir())
    print(summary)
    return 0


def _warn_languages(documents: pd.DataFrame, data_dir: Path) -> None:
    """A warning per language of the corpus that some theme has no terms in (there the theme
    cannot be found), and per language read by another's rules."""
    from rhetoric.text.themes import load_themes
    from rhetoric.text.tokens import LANGUAGES, rules_language

    counts = documents["language"].astype(str).value_counts()
    themes = load_themes(data_dir / paths.THEMES_FILE)
    for language, n in sorted(counts.items()):
        missing = [t.id for t in themes if language not in t.languages]
        documents_in = f"{n} document{'s' * (n != 1)} in {language}"
        if language not in LANGUAGES:
            print(f"warning: {documents_in}: read by the {rules_language(language)} rules "
                  f"(sentences, words, stems); rhetoric has rules for {', '.join(LANGUAGES)}",
                  file=sys.stderr)  # fmt: skip
        if missing:
            shown = ", ".join(missing[:4]) + (", ..." if len(missing) > 4 else "")
            print(f"warning: {documents_in}, and {len(missing)} theme{'s' * (len(missing) != 1)} "
                  f"without {language} terms ({shown}): those themes cannot be found in them; "
                  f"add `{language}:` terms in themes.yml", file=sys.stderr)  # fmt: skip


def _warn_quality(documents: pd.DataFrame, only: set[str] | None = None) -> None:
    """One warning line per damaged text (:mod:`rhetoric.text.quality`)."""
    from rhetoric.text.quality import text_warnings

    texts = dict(zip(documents["id"], documents["text"], strict=True))
    languages = dict(zip(documents["id"], documents["language"], strict=True))
    for line in text_warnings(texts, only, languages):
        print(f"warning: {line}", file=sys.stderr)


def _add_options(p: argparse.ArgumentParser) -> None:
    add_common(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--title")
    p.add_argument("--date", help="YYYY-MM-DD")
    p.add_argument("--parties", help="party codes from parties.yml, e.g. US,RU")
    p.add_argument(
        "--kind",
        help="a kind of the data folder's kinds.yml (default joint_statement; without "
        f"kinds.yml: {', '.join(corpus_mod.KINDS)})",
    )
    p.add_argument("--outlet", help="publisher of the text (for news reports)")
    p.add_argument("--url")
    p.add_argument("--id", help="id [a-z0-9-]+ (default: made from date, parties and title)")
    p.add_argument("--language", help="ISO 639 code (default en)")


@command(
    COMMANDS,
    "add",
    options=_add_options,
    help="import statement files (metadata from flags or YAML front matter)",
    description="Copy statement files unchanged into DATA/raw/ and list them in corpus.csv. "
    "All or nothing: if any file is refused, nothing is written.",
)
def add(args: argparse.Namespace) -> int:
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
    _warn_quality(corpus_mod.load_corpus(args.data), set(ids))
    return 0


def _reprints(data_dir, rule=None):
    """The data folder's documents, their cleaning with the reprint check, the settled
    reprint pairs and the canonical document of each reprint
    (:func:`rhetoric.text.reprints.settle`), as the pipeline finds them."""
    from rhetoric.data.kinds import load_kinds
    from rhetoric.data.outlets import load_outlets
    from rhetoric.text.clean import clean_corpus_checked, load_boilerplate, with_outlet_names
    from rhetoric.text.reprints import declared_reprints, settle

    corpus = corpus_mod.load_corpus(data_dir)
    kinds = load_kinds(Path(data_dir) / paths.KINDS_FILE)
    outlets = load_outlets(Path(data_dir) / paths.OUTLETS_FILE)
    boilerplate = with_outlet_names(load_boilerplate(Path(data_dir) / paths.BOILERPLATE_FILE),
                                    outlets.name)  # fmt: skip
    checked = clean_corpus_checked(corpus, boilerplate, rule=rule, primary_kinds=kinds.primary)
    pairs, canonical = settle(checked.reprints, corpus, primary_kinds=kinds.primary,
                              declared=declared_reprints(corpus))  # fmt: skip
    return corpus, checked, pairs, canonical


def _warn_reprints(data_dir, files_of: dict) -> None:
    """One warning line per newly added document that is a near-duplicate of another (the
    most similar one named)."""
    _corpus, _checked, pairs, _canonical = _reprints(data_dir)
    best: dict[str, tuple[float, float, str]] = {}
    for a, b, value, contained in zip(pairs["a"], pairs["b"], pairs["jaccard"],
                                      pairs["containment"], strict=True):  # fmt: skip
        for new, other in ((a, b), (b, a)):
            if new in files_of and value > best.get(new, (-1.0, 0.0, ""))[0]:
                best[new] = (value, contained, other)
    for new, (value, contained, other) in best.items():
        print(f"warning: {display_path(files_of[new])} looks like a reprint of {other} "
              f"(Jaccard {value:.2f}, containment {contained:.2f}); it is added, and analyses "
              "count it once (`rhetoric duplicates`; `reprint_of: none` in corpus.csv undoes "
              "it)", file=sys.stderr)  # fmt: skip


def _corpus_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)


@command(COMMANDS, "corpus", options=_corpus_options,
         help="one row per document with its metadata and token counts")  # fmt: skip
def corpus(args: argparse.Namespace) -> int:
    from rhetoric.corpus import corpus_table

    # one row per document: reprints are listed (with reprint_of) unless --reprints drop
    reprints = "keep" if args.reprints is None else args.reprints
    print_frame(corpus_table(processed(args, reprints=reprints)), args.format)
    return 0


def _events_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--per", choices=("event", "document", "group"), default="event",
                   help="one row per event (default), per document (its event and how it was "
                   "linked), or per group of --by (its largest event's share)")  # fmt: skip
    p.add_argument("--by", default="dyad", help="the groups of --per group (default dyad)")


@command(
    COMMANDS,
    "events",
    options=_events_options,
    help="the events behind the documents: each primary text and its coverage",
    description="Every document belongs to an event: declared (corpus.csv's event "
    "column), a primary text's own, a reprint's canonical's, the primary text its coverage "
    "reproduces, the primary text of its dyad dated 0-7 days before it, or else coverage of "
    "one dyad within 3 days of each other. Lists the events with their primary texts and "
    "coverage by kind, outlet and link (--per document: how each link was made; --per "
    "group: when one event supplies most of a group).",
)
def events(args: argparse.Namespace) -> int:
    from rhetoric.measures import events as measures

    # every copy belongs to its event: reprints are kept unless --reprints drop; events are
    # inferred on the whole corpus, then --where picks the documents shown
    whole = processed(argparse.Namespace(**{**vars(args), "where": None}),
                      reprints=args.reprints or "keep")  # fmt: skip
    corpus = whole.select(args.where)
    linked = measures.document_events(corpus, whole)
    if args.per == "document":
        frame = linked
    elif args.per == "group":
        frame = measures.event_dominance(corpus, args.by, linked)
    else:
        frame = measures.events(corpus, linked)
    print_frame(frame, args.format)
    return 0


def _clean_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("id", help="document id (see `rhetoric corpus`)")
    p.add_argument("--removed", action="store_true", help="list removed spans and their rules")


@command(COMMANDS, "clean", options=_clean_options,
         help="cleaned text of one document, or what cleaning removed")  # fmt: skip
def clean(args: argparse.Namespace) -> int:
    corpus = processed(args, reprints=args.reprints or "keep")  # any document, reprints too
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


def _duplicates_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--threshold", type=share, default=0.5,
                   help="Jaccard similarity from which two documents are reprints (default 0.5)")  # fmt: skip
    p.add_argument("--containment", type=float, default=0.7,
                   help="share of the shorter text's 5-word sequences found in the longer from "
                   "which two documents are reprints (default 0.7; above 1: off)")  # fmt: skip
    p.add_argument("--days", type=int, default=7,
                   help="most days between the dates of two reprints (default 7)")  # fmt: skip


@command(
    COMMANDS,
    "duplicates",
    options=_duplicates_options,
    help="near-duplicate documents (wire reprints): pairs with their Jaccard similarity "
    "and containment",
    description="Pairs of documents of one group of kinds (primary texts, or coverage: "
    "kinds.yml) dated at most --days apart whose word 5-shingle sets, after folding house "
    "style (U.S./US, co-operate/cooperate, quotes, British spellings), have a Jaccard "
    "similarity of at least --threshold, or whose shorter text (60 words or more) lies "
    "in the longer by at least --containment; and the pairs corpus.csv declares "
    "(reprint_of: an id; reprint_of: none undoes a detected one). how: detected or "
    "declared; canonical: the document analyses keep (never one declared a reprint, a "
    "primary text before coverage, then the earliest).",
)
def duplicates(args: argparse.Namespace) -> int:
    from rhetoric.text.reprints import ReprintRule

    if args.containment < 0 or args.days < 0:
        raise RhetoricInputError("--containment and --days must be 0 or more")
    rule = ReprintRule(jaccard=args.threshold, containment=args.containment, days=args.days)
    corpus, _checked, pairs, _canonical = _reprints(args.data, rule)
    about = corpus.set_index("id")
    columns = {}
    for side in ("a", "b"):
        for what in ("kind", "outlet", "date"):
            columns[f"{what}_{side}"] = about[what].reindex(pairs[side]).fillna("").to_numpy()
    table = pairs[["a", "b"]].assign(**columns)
    table = pd.concat([table, pairs[["jaccard", "containment", "how", "canonical"]]], axis=1)
    print_frame(table, args.format)
    return 0


def _init_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", type=Path, help="a new or empty folder")


@command(COMMANDS, "init", options=_init_options,
         help="make a new study folder (data/, notebooks/, figures/) for your own corpus")  # fmt: skip
def init(args: argparse.Namespace) -> int:
    from rhetoric.data.studyfolder import init_study

    folder = init_study(args.folder)
    print(f"rhetoric init: a study folder in {display_path(folder)} (data/, notebooks/, "
          f"figures/); next: cd {display_path(folder)} and `rhetoric add FILE ...` "
          "(see its README.md)", file=sys.stderr)  # fmt: skip
    return 0
