""":mod:`rhetoric.measures.rates`: theme counts and rates with intervals, group comparisons,
and where hits fall (dispersion).

Every function takes a :class:`rhetoric.corpus.Corpus` and returns
a tidy DataFrame whose docstring lists each column and its convention.

Conventions used throughout:

- **tokens**: all word tokens after cleaning (stopwords are never removed
  from a denominator); rates are per 1,000 such tokens.
- **groups**: ``by`` names a document variable: ``document`` (id), ``dyad``
  (sorted party codes, ``RU-US``), ``year``, ``kind``, ``outlet``, ``corpus``
  (everything in one group), or any extra corpus.csv column.
- **logs**: natural logs unless a column says ``log2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
import zlib

import numpy as np
import pandas as pd

from rhetoric.corpus import Corpus, codes, hit_rows, sentence_ids
from rhetoric.errors import RhetoricInputError
from rhetoric.measures import inference
from rhetoric.store import parallel

__all__ = [
    "DEFAULT_SEED",
    "VERDICTS",
    "compare_groups",
    "dispersion",
    "document_counts",
    "theme_rates",
]

#: Seed of every bootstrap; each group draws from its own stream derived from
#: this seed and the group's name, so adding a document to one group leaves
#: the other groups' intervals unchanged.
DEFAULT_SEED = 1945
DEFAULT_DRAWS = 2000
#: Codes of the token table's ``voice`` categories.
VOICE_CODES = {"narration": 0, "quoted": 1}


# -- theme rates ---------------------------------------------------------------------


def _group_seed(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _bootstrap(
    hits: np.ndarray, tokens: np.ndarray, draws: int, rng, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of sum(hits)/sum(tokens)×1000 over sentences drawn with replacement.

    ``hits``: sentences × themes; ``tokens``: per sentence (all > 0). Each
    draw picks n sentence indices uniformly with replacement; their counts
    (a bincount) weight the sentences. Returns (low, high) per theme.
    """
    n, themes = len(tokens), hits.shape[1]
    if n == 0 or draws == 0:
        return np.full(themes, np.nan), np.full(themes, np.nan)
    rates = np.empty((draws, themes))
    # draws in chunks of about 250,000 picks (2,000,000 measured 10% slower: bigger temporary
    # arrays); the generator's stream, and so every draw, is the same whatever the chunk size
    chunk = max(1, min(draws, 250_000 // n))
    offsets = np.arange(chunk, dtype=np.int64)[:, None] * n
    done = 0
    while done < draws:
        size = min(chunk, draws - done)
        picks = rng.integers(0, n, size=(size, n), dtype=np.int32)
        weights = np.bincount((picks + offsets[:size]).ravel(), minlength=size * n).reshape(
            size, n
        )
        weights = weights.astype(np.float64)
        rates[done : done + size] = (weights @ hits) / (weights @ tokens)[:, None] * 1000
        done += size
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(rates, [tail, 100 - tail], axis=0)
    return low, high


def _bootstrap_job(hits, tokens, draws, stream: str, seed: int, level: float):
    return _bootstrap(hits, tokens, draws, _group_seed(seed, stream), level)


#: Below this many sentence draws (sentences × draws, summed over groups), bootstrapping
#: on one process is faster than starting a pool.
_POOL_MIN_DRAWS = 50_000_000


def _bootstrap_groups(jobs, draws: int, seed: int, level: float, workers):
    """Intervals for many groups: ``jobs`` are (hits, tokens, stream), on a process pool when
    there is enough work (the same results either way: each group has its own stream)."""
    pieces = [(hits, tokens, draws, stream, seed, level) for hits, tokens, stream in jobs]
    work = sum(len(tokens) for _hits, tokens, _stream in jobs) * draws
    workers = parallel.worker_count(workers, work, _POOL_MIN_DRAWS, len(pieces))
    return parallel.map_pieces(_bootstrap_job, pieces, workers=workers)


def _poisson_interval(count, tokens, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson rate, per 1,000 tokens."""
    return inference.exact_poisson_interval(count, tokens, level=level, per=1000)


@dataclass(frozen=True)
class _SentenceCounts:
    """Per sentence of the corpus, for one voice (or all tokens): what the bootstrap resamples."""

    tokens: np.ndarray  # word tokens of that voice
    hits: np.ndarray  # sentences × themes: hits not negated
    document: np.ndarray  # the sentence's document code
    negated: np.ndarray  # documents × themes: negated hits


def _sentence_counts(corpus: Corpus, voice: int | None) -> _SentenceCounts:
    """Count tokens and hits per sentence; ``voice``: a voice code, or None for all tokens."""
    tokens, hits = corpus.tokens, corpus.hits
    n_themes, n_documents = len(corpus.themes), len(corpus.documents)
    document_of_token = codes(tokens["document"])
    sentence_of_token = sentence_ids(tokens)
    n_sentences = int(sentence_of_token.max()) + 1 if len(sentence_of_token) else 0
    token_mask = np.ones(len(tokens), bool) if voice is None else codes(tokens["voice"]) == voice
    first = hit_rows(tokens, hits)
    hit_theme = codes(hits["theme"]) if len(hits) else np.zeros(0, int)
    hit_negated = hits["negated"].to_numpy(dtype=bool) if len(hits) else np.zeros(0, bool)
    hit_mask = token_mask[first]
    document = np.zeros(n_sentences, dtype=np.int64)
    document[sentence_of_token] = document_of_token
    affirmed = hit_mask & ~hit_negated
    sentence_hits = np.zeros((n_sentences, n_themes))
    np.add.at(sentence_hits, (sentence_of_token[first[affirmed]], hit_theme[affirmed]), 1)
    negated = np.zeros((n_documents, n_themes), dtype=np.int64)
    denied = hit_mask & hit_negated
    np.add.at(negated, (document_of_token[first[denied]], hit_theme[denied]), 1)
    return _SentenceCounts(
        tokens=np.bincount(sentence_of_token[token_mask], minlength=n_sentences),
        hits=sentence_hits,
        document=document,
        negated=negated,
    )


def document_counts(corpus: Corpus, *, voice: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Hits (not negated) per document and theme, and word tokens per document.

    ``voice``: ``narration`` or ``quoted`` to count only that voice's tokens
    and hits, or None for all. Returns ``(hits, tokens)``: documents × themes
    and documents, in corpus and themes.yml order. What every document-level
    interval and test starts from.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    voice : {"narration", "quoted"} or None, default None
        Count only the tokens of that voice, and the hits whose first token has it;
        None: all.

    Returns
    -------
    hits : numpy.ndarray
        Hits not negated, documents × themes (floats).
    tokens : numpy.ndarray
        Word tokens per document (int64).
    """
    counts = _sentence_counts(corpus, None if voice is None else VOICE_CODES[voice])
    return _per_document(counts, len(corpus.documents))


def _per_document(counts: _SentenceCounts, n_documents: int) -> tuple[np.ndarray, np.ndarray]:
    hits = np.zeros((n_documents, counts.hits.shape[1]))
    np.add.at(hits, counts.document, counts.hits)
    tokens = np.bincount(counts.document, weights=counts.tokens, minlength=n_documents)
    return hits, tokens.astype(np.int64)


def _sentence_jobs(counts: _SentenceCounts, voice: str | None, names: list[str]) -> list:
    """One bootstrap job per document: its sentences with tokens of the voice, and its stream."""
    order = np.argsort(counts.document, kind="stable")
    bounds = np.searchsorted(counts.document[order], np.arange(len(names) + 1))
    jobs = []
    for g, name in enumerate(names):
        in_document = order[bounds[g] : bounds[g + 1]]
        sentence_tokens = counts.tokens[in_document].astype(np.float64)
        keep = sentence_tokens > 0
        stream = name if voice is None else f"{name}\0{voice}"
        jobs.append((counts.hits[in_document][keep], sentence_tokens[keep], stream))
    return jobs


@dataclass(frozen=True)
class _Grouped:
    """One voice's counts summed per group (groups × themes, or per group)."""

    count: np.ndarray
    negated: np.ndarray
    tokens: np.ndarray
    rate: np.ndarray  # per 1,000 tokens; NaN without tokens
    doc_mean: np.ndarray  # mean of the documents' own rates (documents with tokens)
    documents: np.ndarray  # documents in the group
    sentences: np.ndarray  # sentences with at least one token of the voice


def _grouped(counts: _SentenceCounts, doc_group: np.ndarray, n_groups: int) -> _Grouped:
    hits, tokens = _per_document(counts, len(doc_group))
    n_themes = hits.shape[1]
    count = np.zeros((n_groups, n_themes))
    np.add.at(count, doc_group, hits)
    negated = np.zeros((n_groups, n_themes), dtype=np.int64)
    np.add.at(negated, doc_group, counts.negated)
    total = np.bincount(doc_group, weights=tokens, minlength=n_groups).astype(np.int64)
    has_tokens = tokens > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(total[:, None] > 0, count / total[:, None] * 1000, np.nan)
        own = np.where(has_tokens[:, None], hits / np.maximum(tokens, 1)[:, None] * 1000, 0.0)
        summed = np.zeros((n_groups, n_themes))
        np.add.at(summed, doc_group, own)
        used = np.bincount(doc_group, weights=has_tokens, minlength=n_groups)
        doc_mean = np.where(used[:, None] > 0, summed / used[:, None], np.nan)
    sentence_group = doc_group[counts.document]
    sentences = np.bincount(sentence_group[counts.tokens > 0], minlength=n_groups)
    return _Grouped(count=count, negated=negated, tokens=total, rate=rate, doc_mean=doc_mean,
                    documents=np.bincount(doc_group, minlength=n_groups), sentences=sentences)  # fmt: skip


def _glm_intervals(counts, doc_group, grouped: _Grouped, level, min_documents):
    """Robust Poisson GLM interval per group (documents with tokens are the unit), per 1,000."""
    hits, tokens = _per_document(counts, len(doc_group))
    n_groups, n_themes = grouped.count.shape
    low, high = np.full((n_groups, n_themes), np.nan), np.full((n_groups, n_themes), np.nan)
    text = np.empty((n_groups, n_themes), dtype=object)
    exact_high = _poisson_interval(grouped.count, grouped.tokens[:, None], level)[1]
    for g in range(n_groups):
        members = np.flatnonzero((doc_group == g) & (tokens > 0))
        n = len(members)
        if n < min_documents:
            why = "no tokens" if n == 0 else f"{n} document{'s' * (n != 1)}"
            text[g] = f"none: {why}, fewer than the {min_documents} a group interval needs"
            continue
        _rate, glm_low, glm_high = inference.rate_interval(hits[members], tokens[members],
                                                           level=level)  # fmt: skip
        low[g], high[g] = glm_low * 1000, glm_high * 1000
        text[g] = f"robust Poisson GLM over {n} documents (HC3, t with {n - 1} df)"
        none = grouped.count[g] == 0
        low[g, none], high[g, none] = 0.0, exact_high[g, none]
        text[g, none] = (f"no hits in {n} documents: upper bound only, exact Poisson on the "
                         "pooled tokens (optimistic: ignores differences between documents)")  # fmt: skip
    return low, high, text


def _bootstrap_intervals(counts, names, voice, grouped: _Grouped, draws, seed, level, workers):
    """Sentence bootstrap per document (``by="document"``): describes that document."""
    jobs = _sentence_jobs(counts, voice, names)
    intervals = _bootstrap_groups(jobs, draws, seed, level, workers)
    shape = grouped.count.shape
    bootstrap = np.asarray(intervals, dtype=np.float64).reshape(shape[0], 2, shape[1])
    low = np.fmin(bootstrap[:, 0], grouped.rate)
    high = np.fmax(bootstrap[:, 1], grouped.rate)
    text = np.full(shape, f"sentence bootstrap ({draws:,} draws): this document only",
                   dtype=object)  # fmt: skip
    text[grouped.count == 0] = "no hits: the bootstrap gives [0, 0]; exact_high is an upper bound"
    text[grouped.tokens == 0] = "none: no tokens"
    return low, high, text


_RATE_COLUMNS = ("count", "negated", "tokens", "per_1000", "ci_low", "ci_high", "exact_low",
                 "exact_high", "documents", "sentences", "doc_mean_per_1000", "interval")  # fmt: skip


def theme_rates(
    corpus: Corpus,
    *,
    by: str = "document",
    voice: bool = False,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
    workers: int | None = None,
    min_documents: int = inference.MIN_GROUP_DOCUMENTS,
) -> pd.DataFrame:
    """Theme counts and rates per group, with intervals that take documents as the unit.

    A pure function of its arguments (it reads and writes no file); the command
    line memoises it with :func:`rhetoric.store.cache.memo_frame`.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    by : str, default "document"
        Document variable to group by (module docstring).
    voice : bool, default False
        Split each group into ``narration`` and ``quoted`` tokens (and the hits
        whose first token has that voice).
    draws, seed : int, default 2000 and 1945 (:data:`DEFAULT_SEED`)
        Bootstrap draws and seed for ``by="document"`` (each document, and each
        voice of it, has its own stream); unused for other ``by``.
    level : float, default 0.95
        Coverage of ``ci_low``–``ci_high`` and of ``exact_low``–``exact_high``.
    workers : int or None, default None
        Processes for the bootstrap (None: all cores when there are enough
        documents and sentences to pay for them, else 1); the result is the same
        whatever the number.
    min_documents : int, default 5
        Fewest documents (with tokens) for a group interval
        (:data:`rhetoric.measures.inference.MIN_GROUP_DOCUMENTS`).

    Returns
    -------
    pandas.DataFrame
        One row per group × theme (× voice), groups in corpus order, themes in
        themes.yml order:

        - ``group``, ``theme``, (``voice``);
        - ``count``: hits not negated; ``negated``: hits with a negator among
          the three word tokens before them (not in ``count``);
        - ``tokens``: word tokens of the group (of that voice): the denominator;
        - ``per_1000``: pooled rate, count / tokens × 1,000 (NaN when tokens
          is 0): long documents weigh more;
        - ``ci_low``, ``ci_high``: the interval that ``interval`` names. For a
          group (any ``by`` but ``document``), the robust Poisson GLM interval
          of the pooled rate with the group's documents as the unit
          (:func:`rhetoric.measures.inference.rate_interval`): it describes the kind of
          document the group samples. NaN for a group with fewer than
          ``min_documents`` documents; for a theme with no hit, [0, exact
          Poisson upper bound]. For ``by="document"``, a percentile bootstrap
          over the document's sentences (``draws`` times), widened to include
          ``per_1000`` if the percentiles miss it: it describes that document
          only, and a theme with no hit gets [0, 0];
        - ``exact_low``, ``exact_high``: exact Poisson (Garwood) interval, which
          treats tokens as independent (too narrow for a group); it gives an
          upper bound also for a count of 0;
        - ``documents``, ``sentences``: size of the group (sentences with a
          token of that voice);
        - ``doc_mean_per_1000``: the mean of the documents' own rates (each
          document weighs the same; documents without tokens left out): the
          other estimand, next to the pooled ``per_1000``;
        - ``interval``: the method of ``ci_low``–``ci_high``, in words, or why
          there is none.
    """
    doc_names = list(corpus.documents["id"])
    groups = corpus.groups(by)
    names = list(dict.fromkeys(groups))
    code_of = {name: i for i, name in enumerate(names)}
    doc_group = np.asarray([code_of[g] for g in groups], dtype=np.int64)
    themes = [t.id for t in corpus.themes]
    parts = []
    for voice_name in ["narration", "quoted"] if voice else [None]:
        counts = _sentence_counts(corpus, None if voice_name is None else VOICE_CODES[voice_name])
        grouped = _grouped(counts, doc_group, len(names))
        if by == "document":
            low, high, text = _bootstrap_intervals(counts, doc_names, voice_name, grouped, draws,
                                                   seed, level, workers)  # fmt: skip
        else:
            low, high, text = _glm_intervals(counts, doc_group, grouped, level, min_documents)
        part = _rates_table(names, themes, grouped, low, high, text, level)
        if voice_name is not None:
            part["voice"] = np.full(len(names) * len(themes), voice_name, dtype=object)
        parts.append(pd.DataFrame(part))
    columns = ["group", "theme"] + (["voice"] if voice else []) + list(_RATE_COLUMNS)
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    floats = ("per_1000", "ci_low", "ci_high", "exact_low", "exact_high", "doc_mean_per_1000")
    return frame[columns].astype(
        {"documents": "int64", "sentences": "int64", **{c: "float64" for c in floats}}
    )


def _rates_table(names, themes, grouped: _Grouped, low, high, text, level) -> dict:
    """The columns of one voice's rows (group × theme)."""
    n_groups, n_themes = len(names), len(themes)
    exact_low, exact_high = _poisson_interval(
        grouped.count, np.repeat(grouped.tokens[:, None], n_themes, axis=1), level
    )
    return {
        "group": np.repeat(np.asarray(names, dtype=object), n_themes),
        "theme": np.tile(np.asarray(themes, dtype=object), n_groups),
        "count": grouped.count.ravel().astype(np.int64),
        "negated": grouped.negated.ravel(),
        "tokens": np.repeat(grouped.tokens, n_themes),
        "per_1000": grouped.rate.ravel(),
        "ci_low": low.ravel(),
        "ci_high": high.ravel(),
        "exact_low": exact_low.ravel(),
        "exact_high": exact_high.ravel(),
        "documents": np.repeat(grouped.documents, n_themes),
        "sentences": np.repeat(grouped.sentences, n_themes),
        "doc_mean_per_1000": grouped.doc_mean.ravel(),
        "interval": text.ravel(),
    }


# -- dispersion ----------------------------------------------------------------------


def dispersion(corpus: Corpus) -> pd.DataFrame:
    """Where each theme hit falls in its document, for an x-ray (dispersion) plot.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).

    Returns
    -------
    pandas.DataFrame
        One row per hit, negated ones included, in the order of
        :attr:`rhetoric.corpus.Corpus.hits`: ``document``, ``theme``, ``term``,
        ``match``, ``position`` (token index of the hit's first token in the
        document, from 0), ``tokens`` (the document's word tokens),
        ``relative_position`` (position / tokens, in [0, 1)), ``voice`` (of the
        first token), ``negated``.
    """
    hits = corpus.hits
    sizes = corpus.tokens.groupby("document", observed=False).size()
    frame = hits[["document", "theme", "term", "match", "position", "voice", "negated"]].copy()
    frame["tokens"] = sizes.reindex(frame["document"].astype(object)).to_numpy().astype(np.int64)
    frame["relative_position"] = frame["position"] / frame["tokens"].where(frame["tokens"] > 0)
    return frame[["document", "theme", "term", "match", "position", "tokens", "relative_position",
                  "voice", "negated"]].reset_index(drop=True)  # fmt: skip


#: What ``verdict`` in :func:`compare_groups` may say.
VERDICTS = ("a_higher", "b_higher", "no_clear_difference", "too_few_documents",
            "few_hit_documents")  # fmt: skip
#: Fewest documents holding the theme on the higher side for a directional verdict: a
#: difference that one or two documents carry is theirs, not their group's.
MIN_HIT_DOCUMENTS = 3


def _group_members(corpus: Corpus, by: str, name: str, tokens: np.ndarray) -> np.ndarray:
    """Indices (corpus order) of the group's documents that have tokens."""
    groups = corpus.groups(by).to_numpy()
    return np.flatnonzero((groups == name) & (tokens > 0))


def compare_groups(
    corpus: Corpus,
    *,
    a: str,
    b: str,
    by: str = "dyad",
    voice: str | None = None,
    permutations: int = inference.PERMUTATIONS,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
    alpha: float = 0.05,
    min_documents: int = inference.MIN_GROUP_DOCUMENTS,
) -> pd.DataFrame:
    """One pre-specified comparison of two groups, theme by theme, with documents as the unit.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    a, b : str
        The two groups (names or, for dyads, labels such as "US–Russia").
    by : str, default "dyad"
        The document variable that defines them (module docstring).
    voice : {"narration", "quoted"} or None, default None
        Compare only the tokens of that voice, and the hits whose first token has
        it (None: all).
    permutations : int, default 9999
        Random relabellings when the exact test would need more
        (:data:`rhetoric.measures.inference.PERMUTATIONS`).
    seed : int, default 1945 (:data:`DEFAULT_SEED`)
        Seed of the relabellings (with the two group names).
    level : float, default 0.95
        Coverage of the rate-ratio interval.
    alpha : float, default 0.05
        Level of the verdict, on Holm-adjusted p-values.
    min_documents : int, default 5
        Fewest documents (with tokens) each group needs for a test
        (:data:`rhetoric.measures.inference.MIN_GROUP_DOCUMENTS`).

    Returns
    -------
    pandas.DataFrame
        One row per theme (themes.yml order):

        - ``theme``; ``a_documents``, ``b_documents``: documents with tokens
          in each group (the unit of every test here);
        - ``a_per_1000``, ``b_per_1000``: pooled rates (hits not negated / word
          tokens × 1,000);
        - ``rate_ratio``: a / b of the pooled rates, with ``ratio_ci_low``,
          ``ratio_ci_high``: the robust Poisson GLM interval
          (:func:`rhetoric.measures.inference.ratio_interval`); NaN where a side has
          no hit (the ratio too) or where ``verdict`` is ``too_few_documents``
          (the interval only);
        - ``p_value``: permutation test of the document labels on |R_a − R_b|
          (:func:`rhetoric.measures.inference.permutation_pvalues`; exact when the ways
          to split the documents are at most ``permutations``);
          ``p_adjusted``: Holm's adjustment across the themes tested;
        - ``verdict``: ``a_higher`` / ``b_higher`` (p_adjusted < alpha, by the
          pooled rates, and the theme found in at least :data:`MIN_HIT_DOCUMENTS`
          documents of the higher group), ``few_hit_documents`` (p_adjusted < alpha,
          but the higher group's hits sit in fewer documents than that: one or two
          documents make the difference, not the group), ``no_clear_difference``, or
          ``too_few_documents``
          (a group has fewer than ``min_documents`` documents, or there are
          so few ways to split the documents that no p after Holm's
          adjustment could fall below alpha, as with 5 + 5 documents and 9
          themes: no test, p NaN);
        - ``a_count``, ``b_count``, ``a_tokens``, ``b_tokens``,
          ``a_doc_mean_per_1000``, ``b_doc_mean_per_1000`` (mean of the
          documents' own rates), ``a_hit_documents``, ``b_hit_documents``
          (documents with at least one hit of the theme), and ``test`` (what was
          done, in words).
    """
    a, b = corpus.resolve_group(by, a), corpus.resolve_group(by, b)
    if a == b:
        raise RhetoricInputError(f"a={a!r} and b={b!r} are the same group; choose two groups",
                                 parameters=("a", "b"))  # fmt: skip
    hits, tokens = document_counts(corpus, voice=voice)
    sides = {"a": _group_members(corpus, by, a, tokens),
             "b": _group_members(corpus, by, b, tokens)}  # fmt: skip
    frame = pd.DataFrame({"theme": [t.id for t in corpus.themes]})
    for side, members in sides.items():
        frame[f"{side}_documents"] = len(members)
    for side, members in sides.items():
        total = tokens[members].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            frame[f"{side}_per_1000"] = hits[members].sum(axis=0) / total * 1000
    ya, ta, yb, tb = hits[sides["a"]], tokens[sides["a"]], hits[sides["b"]], tokens[sides["b"]]
    ratio, low, high = inference.ratio_interval(ya, ta, yb, tb, level=level)
    smallest = _smallest_adjusted_p(len(ta), len(tb), len(frame), permutations)
    enough = min(len(ta), len(tb)) >= min_documents and smallest < alpha
    if not enough:  # with so few documents the robust variance itself is unreliable
        low, high = np.full(len(frame), np.nan), np.full(len(frame), np.nan)
    frame["rate_ratio"], frame["ratio_ci_low"], frame["ratio_ci_high"] = ratio, low, high
    if enough:
        stream = [seed, zlib.crc32(f"{a}\0{b}".encode())]
        p_values, exact = inference.permutation_pvalues(ya, ta, yb, tb, permutations=permutations,
                                                        seed=stream)  # fmt: skip
        test = (f"exact permutation test of document labels ({comb(len(ta) + len(tb), len(ta)):,} "
                "splits)" if exact else
                f"permutation test of document labels ({permutations:,} random relabellings)")  # fmt: skip
        test += f"; Holm over {len(frame)} themes"
    elif min(len(ta), len(tb)) < min_documents:
        p_values = np.full(len(frame), np.nan)
        test = (f"none: {len(ta)} and {len(tb)} documents, fewer than the {min_documents} per "
                "group a test needs")  # fmt: skip
    else:
        p_values = np.full(len(frame), np.nan)
        test = (f"none: with {len(ta)} and {len(tb)} documents the smallest possible p after "
                f"Holm over {len(frame)} themes is {smallest:.3f}, not below {alpha}")  # fmt: skip
    frame["p_value"] = p_values
    frame["p_adjusted"] = inference.holm(p_values)
    held = {
        side: (hits[members] > 0).sum(axis=0).astype(np.int64) for side, members in sides.items()
    }
    frame["verdict"] = _verdicts(frame, enough, alpha, held)
    for side, members in sides.items():
        frame[f"{side}_count"] = hits[members].sum(axis=0).astype(np.int64)
    for side, members in sides.items():
        frame[f"{side}_tokens"] = int(tokens[members].sum())
    for side, members in sides.items():
        own = hits[members] / tokens[members][:, None] * 1000
        frame[f"{side}_doc_mean_per_1000"] = own.mean(axis=0) if len(members) else np.nan
    for side in sides:
        frame[f"{side}_hit_documents"] = held[side]
    frame["test"] = test
    return frame


def _smallest_adjusted_p(n_a: int, n_b: int, themes: int, permutations: int) -> float:
    """The smallest Holm-adjusted p the permutation test could give: ``themes`` × the
    smallest p (an exact test of equal groups reaches its largest statistic at least twice,
    the labelling and its mirror)."""
    splits = comb(n_a + n_b, n_a)
    if splits > permutations:
        return min(1.0, themes / (1 + permutations))
    return min(1.0, themes * (2 if n_a == n_b else 1) / splits)


def _verdicts(frame: pd.DataFrame, enough: bool, alpha: float, held: dict) -> list[str]:
    if not enough:
        return ["too_few_documents"] * len(frame)
    verdicts = []
    for k, (adjusted, rate_a, rate_b) in enumerate(zip(frame["p_adjusted"], frame["a_per_1000"],
                                                       frame["b_per_1000"], strict=True)):  # fmt: skip
        if adjusted < alpha and rate_a != rate_b:
            side = "a" if rate_a > rate_b else "b"
            enough_documents = held[side][k] >= MIN_HIT_DOCUMENTS
            verdicts.append(f"{side}_higher" if enough_documents else "few_hit_documents")
        else:
            verdicts.append("no_clear_difference")
    return verdicts
