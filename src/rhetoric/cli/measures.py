""":mod:`rhetoric.cli.measures`: the commands that measure: ``themes``, ``compare``,
``terms``, ``keyness``, ``similarity``, ``kwic``, ``collocates``, ``dispersion`` and ``reuse``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
import sys
from typing import TYPE_CHECKING

import pandas as pd

from rhetoric.cli.common import (
    BY_HELP,
    STOPWORD_POLICY,
    Command,
    add_common,
    add_ngrams,
    add_stopwords,
    add_unit,
    command,
    non_negative,
    positive,
    print_frame,
    processed,
    processed_whole,
)
from rhetoric.errors import RhetoricInputError
from rhetoric.store import cache

if TYPE_CHECKING:
    from rhetoric.corpus import Corpus

__all__ = ["COMMANDS"]

#: The commands of this module, in the order ``rhetoric --help`` lists them.
COMMANDS: list[Command] = []


def _remembered(kind: str, measure: Callable[..., pd.DataFrame], corpus: Corpus,
                options: dict, population: Corpus | None = None) -> pd.DataFrame:  # fmt: skip
    """``measure(corpus, **options)``, remembered in the cache for the same tables, options
    and code (bootstrap intervals and permutation tests are costly on a large corpus);
    ``population`` (the corpus before ``--where``, whose events give the units) is passed
    on and keyed too."""
    whole = "" if population is None else population.key
    key = cache.key(kind, corpus.key, whole, repr(sorted(options.items())),
                    code=measure.__module__)  # fmt: skip
    extra = {} if population is None else {"population": population}
    return cache.memo_frame(kind, key, lambda: measure(corpus, **options, **extra))


def _themes_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--by", default="document", help=f"{BY_HELP} (default document)")
    p.add_argument("--voice", action="store_true", help="split quoted and narrated tokens")
    p.add_argument(
        "--draws", type=non_negative, default=2000, help="bootstrap draws (default 2000)"
    )
    p.add_argument("--seed", type=int, default=1945, help="bootstrap seed (default 1945)")
    _add_unit_option(p)


def _add_unit_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unit", choices=("auto", "event", "document"), default="auto",
                   help="the unit of group intervals and tests: events (a statement and its "
                   "coverage), documents, or auto (events when an event has two or more of "
                   "the documents; default)")  # fmt: skip


@command(COMMANDS, "themes", options=_themes_options,
         help="theme counts and rates per 1,000 tokens with 95%% intervals")  # fmt: skip
def themes(args: argparse.Namespace) -> int:
    from rhetoric.measures.rates import theme_rates

    corpus, whole = processed_whole(args)
    options = {"by": args.by, "voice": args.voice, "draws": args.draws, "seed": args.seed,
               "unit": args.unit}  # fmt: skip
    print_frame(_remembered("theme-rates", theme_rates, corpus, options, whole), args.format)
    return 0


def _compare_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--by", default="dyad", help=f"{BY_HELP} (default dyad)")
    p.add_argument(
        "--a",
        help="group A (e.g. RU-US or its label US–Russia); without --a and "
        "--b, every pair of groups, adjusted across pairs and themes together",
    )
    p.add_argument("--b", help="group B")
    p.add_argument("--voice", choices=("quoted", "narration"), help="compare only this voice")
    p.add_argument(
        "--permutations",
        type=positive,
        default=9999,
        help="random relabellings when the exact test needs more (default 9999)",
    )
    p.add_argument("--seed", type=int, default=1945,
                   help="permutation and bootstrap seed (default 1945)")  # fmt: skip
    _add_unit_option(p)
    p.add_argument("--sensitivity", action="store_true",
                   help="instead of the comparison: does each verdict survive reprints kept, "
                   "primary texts only, coverage only, and leaving out each event in turn?")  # fmt: skip


@command(
    COMMANDS,
    "compare",
    options=_compare_options,
    help="two groups theme by theme: rate ratio, studentized tests, Holm, verdict",
    description="One pre-specified comparison of two groups with documents or events as "
    "the unit: pooled rates, rate ratio with simultaneous robust GLM intervals, the larger p "
    "of a permutation test of the unit labels and a parametric bootstrap that keeps each "
    "group's spread (both on the studentized log rate ratio), Holm's adjustment across "
    "themes and a verdict (a_higher, b_higher: also the theme in 3 or more units of the "
    "higher group; few_hit_units: one or two units hold its hits; no_clear_difference; "
    "underpowered: a doubling would not have been found, see detectable_ratio; "
    "too_few_units).",
)
def compare(args: argparse.Namespace) -> int:
    from rhetoric.measures.rates import compare_groups, compare_pairs

    if (args.a is None) != (args.b is None):
        raise RhetoricInputError("--a and --b: give both (one comparison) or neither (every "
                                 "pair of groups)")  # fmt: skip
    corpus, whole = processed_whole(args)
    options = {"by": args.by, "voice": args.voice, "permutations": args.permutations,
               "seed": args.seed, "unit": args.unit}  # fmt: skip
    if args.sensitivity:
        if args.a is None:
            raise RhetoricInputError("--sensitivity: name the comparison with --a and --b")
        from rhetoric.measures.sensitivity import sensitivity

        kept, kept_whole = processed_whole(args, reprints="keep")
        frame = sensitivity(corpus, a=args.a, b=args.b, kept=kept, population=whole,
                            kept_population=kept_whole, **options)  # fmt: skip
        print_frame(frame, args.format)
        return 0
    if args.a is None:
        frame = _remembered("compare-pairs", compare_pairs, corpus, options, whole)
    else:
        options |= {"a": args.a, "b": args.b}
        frame = _remembered("compare", compare_groups, corpus, options, whole)
    print_frame(frame, args.format)
    return 0


def _terms_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--by", default="document", help=f"{BY_HELP} (default document)")
    p.add_argument("--top", type=positive, default=20, help="terms per group (default 20)")
    add_unit(p)
    add_stopwords(p, "drop", "notebook 02 lists the most frequent words")
    p.add_argument("--all-words", action="store_const", const="keep", dest="stopwords",
                   help="the same as --stopwords keep")  # fmt: skip
    add_ngrams(p)


@command(COMMANDS, "terms", options=_terms_options, help="most frequent terms per group")
def terms(args: argparse.Namespace) -> int:
    from rhetoric.measures.terms import term_frequencies

    frame = term_frequencies(
        processed(args),
        by=args.by,
        top=args.top,
        unit=args.unit,
        stopwords=args.stopwords,
        ngrams=args.ngrams,
    )
    print_frame(frame, args.format)
    return 0


def _keyness_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument(
        "--target", required=True, help="a group (dyad id such as RU-US, or its label US–Russia)"
    )
    p.add_argument("--reference", help="a group (default: all other documents)")
    p.add_argument("--by", default="dyad", help=f"{BY_HELP} (default dyad)")
    add_unit(p)
    p.add_argument(
        "--min-count", type=positive, default=1, help="minimum count in both groups together"
    )
    p.add_argument(
        "--min-documents",
        type=positive,
        default=2,
        help="minimum documents holding the term, both groups together (default 2)",
    )
    p.add_argument(
        "--sort",
        choices=("log_ratio", "g2", "doc_p_value"),
        default="log_ratio",
        help="order: Log Ratio (default, the effect size), signed G2, or document-level p",
    )
    p.add_argument("--test-unit", choices=("auto", "event", "document"), default="auto",
                   help="the unit of the document-level test: events, documents, or auto "
                   "(events when an event has two or more of the documents; default)")  # fmt: skip
    p.add_argument(
        "--top", type=positive, help="only the N most over- and N most under-used terms"
    )
    add_ngrams(p)


@command(COMMANDS, "keyness", options=_keyness_options,
         help="Log Ratio, G2 and a document-level test of every term, target vs reference")  # fmt: skip
def keyness(args: argparse.Namespace) -> int:
    from rhetoric.measures import keyterms

    corpus, whole = processed_whole(args)
    frame = keyterms.keyness(
        corpus,
        population=whole,
        test_unit=args.test_unit,
        target=args.target,
        reference=args.reference,
        by=args.by,
        unit=args.unit,
        min_count=args.min_count,
        min_documents=args.min_documents,
        sort=args.sort,
        ngrams=args.ngrams,
    )
    _keyness_silence(frame, args)
    if args.top is not None:
        frame = pd.concat([frame.head(args.top), frame.tail(args.top)]).drop_duplicates("term")
    print_frame(frame, args.format)
    return 0


def _keyness_silence(frame: pd.DataFrame, args: argparse.Namespace) -> None:
    """One line when the document-level test flags no word: what it would have needed."""
    from rhetoric.measures import keyterms

    sentence = keyterms.silence(frame)
    if sentence is not None:
        print(f"rhetoric keyness: {sentence}", file=sys.stderr)


def _similarity_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--between", choices=("documents", "themes", "contexts"), default="documents")
    p.add_argument("--by", default=None, help=f"{BY_HELP} (documents: document; contexts: dyad)")
    add_unit(p)
    p.add_argument("--stopwords", choices=("keep", "drop"), default=None,
                   help=f"{STOPWORD_POLICY} (default: keep for documents and themes, drop for "
                   "contexts, as notebook 03 shows them; notebook 03 also shows documents "
                   "with drop)")  # fmt: skip


@command(COMMANDS, "similarity", options=_similarity_options,
         help="TF-IDF cosine similarity (long format)")  # fmt: skip
def similarity(args: argparse.Namespace) -> int:
    from rhetoric.measures import similarity as measures

    corpus = processed(args)
    chosen = args.stopwords or ("drop" if args.between == "contexts" else "keep")
    options = {"unit": args.unit, "stopwords": chosen}
    if args.between == "documents":
        frame = measures.document_similarity(corpus, by=args.by or "document", **options)
    elif args.between == "themes":
        frame = measures.theme_similarity(corpus, **options)
    else:
        frame = measures.context_similarity(corpus, by=args.by or "dyad", **options)
    print_frame(frame, args.format)
    return 0


def _kwic_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument(
        "pattern",
        nargs="?",
        help="word, phrase ('mutual trust'), glob ('cooperat*') or a term of another kind "
        "('exact: trusts', 'glob: e*mail', 'regex: trust(s|ed)?')",
    )
    p.add_argument("--theme", help="list every hit of this theme instead")
    p.add_argument(
        "--window",
        type=non_negative,
        default=5,
        help="word tokens of context each side (default 5)",
    )
    p.add_argument("--sort", default="document", metavar="document|L1..L5|R1..R5",
                   help="corpus order (default), or by the word 1-5 tokens left (L) or right "
                   "(R) of the match, as AntConc sorts")  # fmt: skip


@command(COMMANDS, "kwic", options=_kwic_options,
         help="concordance of a word, phrase or glob, or of every hit of a theme")  # fmt: skip
def kwic(args: argparse.Namespace) -> int:
    from rhetoric.measures import concordance

    if (args.pattern is None) == (args.theme is None):
        raise RhetoricInputError("rhetoric kwic: give a PATTERN or --theme T (one of them)")
    corpus = processed(args)
    if args.theme is not None:
        frame = concordance.theme_kwic(corpus, args.theme, window=args.window, sort=args.sort)
    else:
        frame = concordance.kwic(corpus, args.pattern, window=args.window, sort=args.sort)
    if args.format == "table":
        lines = concordance.format_kwic(frame)
        print("\n".join(lines) if lines else "(no match)")
        return 0
    print_frame(frame, args.format)
    return 0


def _collocates_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("node", help="word, phrase or glob")
    p.add_argument("--by", default="dyad", help=f"{BY_HELP} (default dyad)")
    p.add_argument("--window", type=positive, default=5, help="word tokens each side (default 5)")
    p.add_argument(
        "--min-count", type=positive, default=2, help="minimum co-occurrences (default 2)"
    )
    add_stopwords(p, "drop", "notebook 04 lists collocates")
    p.add_argument("--top", type=positive, help="collocates per group")


@command(COMMANDS, "collocates", options=_collocates_options,
         help="collocates of a node word per group, ranked by G2")  # fmt: skip
def collocates(args: argparse.Namespace) -> int:
    from rhetoric.measures import concordance

    frame = concordance.collocates(
        processed(args),
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


def _dispersion_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)


@command(COMMANDS, "dispersion", options=_dispersion_options,
         help="where theme hits fall in each document (0-1), for an x-ray plot")  # fmt: skip
def dispersion(args: argparse.Namespace) -> int:
    from rhetoric.measures import rates

    print_frame(rates.dispersion(processed(args)), args.format)
    return 0


def _reuse_options(p: argparse.ArgumentParser) -> None:
    add_common(p, table=True)
    p.add_argument("--per", choices=("passage", "article", "sentence", "anomaly"),
                   default="passage",
                   help="one row per passage (default), article and statement, statement "
                   "sentence, or anomaly (an article dated before the statement it shares "
                   "text with: never counted)")  # fmt: skip
    p.add_argument("--min-words", type=positive, default=8, metavar="N",
                   help="fewest article words in a passage (default 8, at least 4)")  # fmt: skip


@command(
    COMMANDS,
    "reuse",
    options=_reuse_options,
    help="passages of coverage that reproduce a primary text of the same dyad",
    description="For every article (coverage, kinds.yml) and every statement (a primary "
    "text) of the same dyad, the article dated no earlier than the day before the "
    "statement: the article's passages that reproduce the statement's words (at least "
    "--min-words, a changed, added or dropped word allowed; a passage made only of names, "
    "designations and the statement's title does not count), with character offsets into "
    "both cleaned texts. --per article: the share of each article's words that are "
    "statement text and the statement sentences it reproduced; --per sentence: each "
    "statement sentence and the articles that reproduced it; --per anomaly: pairs whose "
    "article is dated before the statement and shares text with it (never counted).",
)
def reuse(args: argparse.Namespace) -> int:
    from rhetoric.measures import reuse as measures

    corpus = processed(args)
    passages = measures.find_reuse(corpus, min_words=args.min_words)
    early = len(measures.statement_pairs(corpus, anomalies=True))
    if not measures.statement_pairs(corpus) and not early:
        kinds = ", ".join(corpus.kinds.primary)
        print(f"rhetoric reuse: no primary text (kind {kinds}) has "
              "coverage of its dyad; add the statement's text with "
              "`rhetoric add FILE --kind joint_statement`", file=sys.stderr)  # fmt: skip
    elif args.per != "anomaly" and early:
        print(f"rhetoric reuse: {early} article–statement pair{'s' * (early != 1)} of one "
              "dyad with the article dated before the statement left out "
              "(`--per anomaly` shows those that share text)", file=sys.stderr)  # fmt: skip
    if args.per == "article":
        frame = measures.reuse_articles(corpus, passages)
    elif args.per == "sentence":
        frame = measures.reuse_sentences(corpus, passages)
    elif args.per == "anomaly":
        frame = measures.reuse_anomalies(corpus, min_words=args.min_words)
    else:
        frame = passages
    if args.format == "table" and "text" in frame:
        frame = frame.assign(text=frame["text"].str.replace("\n", " "))
    print_frame(frame, args.format)
    return 0


def _versions_options(p: argparse.ArgumentParser) -> None:
    add_common(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="output: a readable table (default), or CSV / JSON on stdout")  # fmt: skip
    p.add_argument("id", metavar="ID", help="a document id: the statement's original or a version")
    p.add_argument("--with", dest="other", metavar="ID",
                   help="the version to align with (default: ID's original, or ID's first "
                   "version when ID is the original)")  # fmt: skip


@command(
    COMMANDS,
    "versions",
    options=_versions_options,
    help="two language versions of a statement aligned sentence by sentence, with their theme "
    "terms",
    description="Aligns two versions of one statement (corpus.csv's version_of) sentence by "
    "sentence with Gale and Church's length-based method (NLTK; one sentence may pair with "
    "two, or with none), and shows the theme terms each side uses and what the second "
    "version adds, drops or changes. Each version is matched with its language's terms "
    "(themes.yml).",
)
def versions(args: argparse.Namespace) -> int:
    from rhetoric.measures.versions import align_versions, statement_versions
    from rhetoric.pipeline import process_corpus

    corpus = process_corpus(args.data, reprints="keep", versions="keep")
    members = statement_versions(corpus, args.id)
    if len(members) < 2:
        raise RhetoricInputError(
            f"{args.id!r} has no other version: give a translation's corpus.csv row "
            f"version_of={members[0]} (or version_of: {members[0]} in its front matter)"
        )
    if args.other is None:
        first, second = (
            (members[0], members[1]) if args.id == members[0] else (members[0], args.id)
        )
    elif args.other in members and args.other != args.id:
        first, second = args.id, args.other
    else:
        raise RhetoricInputError(f"--with {args.other!r}: not another version of {args.id!r} "
                                 f"(its versions: {', '.join(members)})")  # fmt: skip
    language = corpus.languages
    print(f"rhetoric versions: a = {first} ({language[first]}), b = {second} "
          f"({language[second]})", file=sys.stderr)  # fmt: skip
    frame = align_versions(corpus, first, second)
    if args.format == "table":
        frame = frame.assign(a_text=frame["a_text"].str.replace("\n", " "),
                             b_text=frame["b_text"].str.replace("\n", " "))  # fmt: skip
    print_frame(frame, args.format)
    return 0
