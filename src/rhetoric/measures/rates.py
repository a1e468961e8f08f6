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
import math
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
    "MIN_HIT_UNITS",
    "VERDICTS",
    "compare_groups",
    "compare_pairs",
    "compare_units",
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


def _unit_sums(hits, tokens, keys) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hits (units × themes) and tokens summed per unit key (first-appearance order), and
    the keys in that order."""
    codes_, unique = pd.factorize(pd.Series(keys, dtype=object), sort=False)
    summed = np.zeros((len(unique), hits.shape[1]))
    np.add.at(summed, codes_, hits)
    tokens = np.bincount(codes_, weights=tokens, minlength=len(unique))
    return summed, tokens, np.asarray(unique, dtype=object)


def _glm_intervals(counts, doc_group, grouped: _Grouped, level, min_units, keys, unit_name):
    """Robust Poisson GLM interval per group (units with tokens), per 1,000; a group without
    a hit gets [0, the negative binomial bound of :func:`inference.zero_hit_upper`]."""
    hits, tokens = _per_document(counts, len(doc_group))
    n_groups, n_themes = grouped.count.shape
    low, high = np.full((n_groups, n_themes), np.nan), np.full((n_groups, n_themes), np.nan)
    text = np.empty((n_groups, n_themes), dtype=object)
    used = tokens > 0
    shape = inference.dispersion_shape(*_unit_sums(hits[used], tokens[used], keys[used])[:2])
    words = f"{unit_name}s"
    for g in range(n_groups):
        members = np.flatnonzero((doc_group == g) & used)
        y, t, _keys = _unit_sums(hits[members], tokens[members], keys[members])
        n = len(t)
        if n < min_units:
            why = "no tokens" if n == 0 else f"{n} {unit_name}{'s' * (n != 1)}"
            text[g] = f"none: {why}, fewer than the {min_units} a group interval needs"
            continue
        _rate, glm_low, glm_high = inference.rate_interval(y, t, level=level)
        low[g], high[g] = glm_low * 1000, glm_high * 1000
        text[g] = f"robust Poisson GLM over {n} {words} (HC3, t with {n - 1} df)"
        none = grouped.count[g] == 0
        if none.any():
            low[g, none] = 0.0
            high[g, none] = inference.zero_hit_upper(t, shape[none], level=level) * 1000
        for theme in np.flatnonzero(none):
            k = shape[theme]
            model = (f"negative binomial, shape k = {k:.2g} of the theme's {words} in the "
                     "corpus" if np.isfinite(k) else "Poisson: no spread beyond counting noise "
                     "in the corpus")  # fmt: skip
            text[g, theme] = (f"no hits in {n} {words}: [0, upper bound], the rate at which "
                              f"{n} {words} of these lengths all miss the theme with "
                              f"probability {(1 - level) / 2:.3g} ({model})")  # fmt: skip
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
                 "exact_high", "documents", "units", "sentences", "doc_mean_per_1000",
                 "interval")  # fmt: skip


def theme_rates(
    corpus: Corpus,
    *,
    by: str = "document",
    voice: bool = False,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
    workers: int | None = None,
    min_units: int = inference.MIN_GROUP_UNITS,
    unit: str = "auto",
    population: Corpus | None = None,
) -> pd.DataFrame:
    """Theme counts and rates per group, with intervals that take documents (or events,
    when documents cluster) as the unit.

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
    min_units : int, default 5
        Fewest units (with tokens) for a group interval
        (:data:`rhetoric.measures.inference.MIN_GROUP_UNITS`).
    unit : {"auto", "event", "document"}, default "auto"
        The unit of the group intervals (:func:`rhetoric.measures.events.document_units`;
        ``auto``: events when an event has two or more documents); unused for
        ``by="document"``.
    population : Corpus, optional
        The corpus before a ``where`` filter (events are inferred on it).

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
          of the pooled rate with the group's units (documents, or events) as the unit
          (:func:`rhetoric.measures.inference.rate_interval`): it describes the kind of
          document the group samples. NaN for a group with fewer than
          ``min_units`` units; for a theme with no hit, [0, the rate at which units of
          these lengths would all miss it with probability (1 − level)/2 under a
          negative binomial with the theme's spread in the corpus]
          (:func:`rhetoric.measures.inference.zero_hit_upper`). For ``by="document"``, a percentile bootstrap
          over the document's sentences (``draws`` times), widened to include
          ``per_1000`` if the percentiles miss it: it describes that document
          only, and a theme with no hit gets [0, 0];
        - ``exact_low``, ``exact_high``: exact Poisson (Garwood) interval, which
          treats tokens as independent (too narrow for a group); it gives an
          upper bound also for a count of 0;
        - ``documents``, ``sentences``: size of the group (sentences with a
          token of that voice); ``units``: the units of its interval (documents or
          events with tokens; for ``by="document"``, 1);
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
    keys, unit_name = np.asarray(doc_names, dtype=object), "document"
    if by != "document":
        from rhetoric.measures.events import document_units

        keys, unit_name = document_units(corpus, unit=unit, population=population)
    parts = []
    for voice_name in ["narration", "quoted"] if voice else [None]:
        counts = _sentence_counts(corpus, None if voice_name is None else VOICE_CODES[voice_name])
        grouped = _grouped(counts, doc_group, len(names))
        if by == "document":
            low, high, text = _bootstrap_intervals(counts, doc_names, voice_name, grouped, draws,
                                                   seed, level, workers)  # fmt: skip
        else:
            low, high, text = _glm_intervals(counts, doc_group, grouped, level, min_units, keys,
                                             unit_name)  # fmt: skip
        part = _rates_table(names, themes, grouped, low, high, text, level)
        _hits, voice_tokens = _per_document(counts, len(doc_group))
        used = voice_tokens > 0
        units = [len(set(keys[(doc_group == g) & used])) for g in range(len(names))]
        part["units"] = np.repeat(np.asarray(units, dtype=np.int64), len(themes))
        if voice_name is not None:
            part["voice"] = np.full(len(names) * len(themes), voice_name, dtype=object)
        parts.append(pd.DataFrame(part))
    columns = ["group", "theme"] + (["voice"] if voice else []) + list(_RATE_COLUMNS)
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    floats = ("per_1000", "ci_low", "ci_high", "exact_low", "exact_high", "doc_mean_per_1000")
    return frame[columns].astype(
        {
            "documents": "int64",
            "units": "int64",
            "sentences": "int64",
            **{c: "float64" for c in floats},
        }
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
VERDICTS = ("a_higher", "b_higher", "few_hit_units", "no_clear_difference", "underpowered",
            "too_few_units")  # fmt: skip
#: Fewest units (documents, or events) holding the theme on the higher side for a
#: directional verdict: a difference that one or two units carry is theirs, not their group's.
MIN_HIT_UNITS = 3
#: Power to find a doubling below which a verdict that finds nothing says ``underpowered``.
MIN_POWER_DOUBLING = 0.5
#: Power at which ``detectable_ratio`` is stated.
DETECTABLE_POWER = 0.8


@dataclass(frozen=True)
class _Side:
    """One compared group: its documents (with tokens) and their units."""

    members: np.ndarray  # document indices, corpus order
    hits: np.ndarray  # units × themes
    tokens: np.ndarray  # units
    unit_keys: np.ndarray


def _side(corpus, by, name, hits, tokens, keys) -> _Side:
    groups = corpus.groups(by).to_numpy()
    members = np.flatnonzero((groups == name) & (tokens > 0))
    return _Side(members, *_unit_sums(hits[members], tokens[members], keys[members]))


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
    min_units: int = inference.MIN_GROUP_UNITS,
    unit: str = "auto",
    population: Corpus | None = None,
    family: int = 1,
) -> pd.DataFrame:
    """One pre-specified comparison of two groups, theme by theme, with documents or
    events as the unit.

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
        (:data:`rhetoric.measures.inference.PERMUTATIONS`); the bootstrap draws
        max(999, 3 × tests / alpha) simulated pairs, enough for Holm's strictest level.
    seed : int, default 1945 (:data:`DEFAULT_SEED`)
        Seed of the relabellings and resamples (with the two group names).
    level : float, default 0.95
        Simultaneous coverage of the rate-ratio intervals over the tests adjusted together.
    alpha : float, default 0.05
        Level of the verdict, on Holm-adjusted p-values.
    min_units : int, default 5
        Fewest units (with tokens) each group needs for a test
        (:data:`rhetoric.measures.inference.MIN_GROUP_UNITS`).
    unit : {"auto", "event", "document"}, default "auto"
        The unit (:func:`rhetoric.measures.events.document_units`): ``auto`` takes
        events when an event has two or more of the compared documents.
    population : Corpus, optional
        The corpus before a ``where`` filter (events are inferred on it).
    family : int, default 1
        Comparisons adjusted together (:func:`compare_pairs` passes the number of
        pairs): the intervals' Bonferroni level, the bootstrap's resamples, the detectable
        ratio and the smallest attainable p count themes × family tests (Holm and the
        verdicts here stay within this pair; :func:`compare_pairs` redoes them over all).

    Returns
    -------
    pandas.DataFrame
        One row per theme (themes.yml order):

        - ``theme``; ``unit`` (``document`` or ``event``); ``a_units``, ``b_units``:
          units with tokens in each group (what every test here counts);
          ``a_documents``, ``b_documents``: their documents;
        - ``a_per_1000``, ``b_per_1000``: pooled rates (hits not negated / word
          tokens × 1,000);
        - ``rate_ratio``: a / b of the pooled rates, with ``ratio_ci_low``,
          ``ratio_ci_high``: the robust Poisson GLM interval over units
          (:func:`rhetoric.measures.inference.ratio_interval`) at the Bonferroni level
          that makes the intervals of all tests adjusted together simultaneous at
          ``level`` (``interval`` says which); NaN where a side has no hit (the ratio
          too) or the groups are too small to test (the interval only);
        - ``p_value``: the larger p of a permutation test of the unit labels and a
          parametric bootstrap that keeps each group's spread, both on the studentized
          log rate ratio (:func:`rhetoric.measures.inference.two_sample_pvalues`), with
          ``p_permutation`` and ``p_bootstrap`` (NaN where the permutation p is not
          below alpha: the verdict cannot change, and ``p_value`` is the permutation
          p); ``p_adjusted``: Holm's adjustment across the themes (across pairs × themes in
          :func:`compare_pairs`);
        - ``verdict``: ``a_higher`` / ``b_higher`` (p_adjusted < alpha, by the pooled
          rates, and the theme found in at least :data:`MIN_HIT_UNITS` units of the
          higher group), ``few_hit_units`` (p_adjusted < alpha, but one or two units
          hold the higher group's hits), ``no_clear_difference`` (not significant,
          although a doubling would have been found with at least
          :data:`MIN_POWER_DOUBLING` power), ``underpowered`` (not significant, and this
          test could not find even a doubling: see ``detectable_ratio``; also every
          theme when no split of so few units could pass Holm) or ``too_few_units``
          (a group has fewer than ``min_units`` units: no test, p NaN);
        - ``detectable_ratio``: the smallest rate ratio (either way) this test finds with
          80% power at the level of Holm's first step, alpha / (themes × family)
          (:func:`rhetoric.measures.inference.detectable_ratio`; NaN without hits or
          test); ``power_doubling``: its power to find a ratio of 2;
        - ``a_count``, ``b_count``, ``a_tokens``, ``b_tokens``,
          ``a_doc_mean_per_1000``, ``b_doc_mean_per_1000`` (mean of the
          documents' own rates), ``a_hit_units``, ``b_hit_units``, ``a_hit_documents``,
          ``b_hit_documents`` (units and documents with at least one hit of the
          theme), ``test`` (what was done, in words) and ``interval`` (the intervals'
          level and method).
    """
    a, b = corpus.resolve_group(by, a), corpus.resolve_group(by, b)
    if a == b:
        raise RhetoricInputError(f"a={a!r} and b={b!r} are the same group; choose two groups",
                                 parameters=("a", "b"))  # fmt: skip
    hits, tokens = document_counts(corpus, voice=voice)
    groups = corpus.groups(by).to_numpy()
    compared = np.isin(groups, [a, b]) & (tokens > 0)
    from rhetoric.measures.events import document_units

    keys, unit_name = document_units(corpus, unit=unit, population=population, among=compared)
    sides = {"a": _side(corpus, by, a, hits, tokens, keys),
             "b": _side(corpus, by, b, hits, tokens, keys)}  # fmt: skip
    frame = compare_units(
        sides["a"].hits, sides["a"].tokens, sides["b"].hits, sides["b"].tokens,
        themes=[t.id for t in corpus.themes], unit=unit_name, permutations=permutations,
        seed=[seed, zlib.crc32(f"{a}\0{b}".encode())], level=level, alpha=alpha,
        min_units=min_units, family=family,
    )  # fmt: skip
    for name, side in sides.items():
        frame[f"{name}_documents"] = len(side.members)
        own = hits[side.members] / tokens[side.members][:, None] * 1000
        frame[f"{name}_doc_mean_per_1000"] = own.mean(axis=0) if len(side.members) else np.nan
        frame[f"{name}_hit_documents"] = (hits[side.members] > 0).sum(axis=0).astype(np.int64)
    frame["test"] = frame["test"] + _span_note(sides, unit_name)
    result = frame[_COMPARE_COLUMNS]
    result.attrs = dict(frame.attrs)
    return result


_COMPARE_COLUMNS = [
    "theme", "unit", "a_units", "b_units", "a_documents", "b_documents", "a_per_1000",
    "b_per_1000", "rate_ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "p_adjusted",
    "verdict", "detectable_ratio", "power_doubling", "p_permutation", "p_bootstrap", "a_count",
    "b_count", "a_tokens", "b_tokens", "a_doc_mean_per_1000", "b_doc_mean_per_1000",
    "a_hit_units", "b_hit_units", "a_hit_documents", "b_hit_documents", "test", "interval",
]  # fmt: skip


def compare_units(
    y_a,
    t_a,
    y_b,
    t_b,
    *,
    themes: list[str] | None = None,
    unit: str = "document",
    permutations: int = inference.PERMUTATIONS,
    seed=DEFAULT_SEED,
    level: float = 0.95,
    alpha: float = 0.05,
    min_units: int = inference.MIN_GROUP_UNITS,
    family: int = 1,
) -> pd.DataFrame:
    """The comparison of :func:`compare_groups` from hits and tokens per unit, for any
    counts (what validation/calibrate.py runs on synthetic groups).

    Parameters
    ----------
    y_a, t_a : array-like of float
        Hits (units × themes) and tokens (units) of group a; units without tokens left out.
    y_b, t_b : array-like of float
        The same for group b.
    themes : list of str, optional
        Names of the columns (default ``t0``, ``t1``, …).
    unit : str, default "document"
        What a unit is, for the words of ``test`` and ``interval``.
    permutations, seed, level, alpha, min_units, family
        As for :func:`compare_groups` (``seed`` an int or a sequence of ints).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`compare_groups` but those about documents
        (``*_documents``, ``*_doc_mean_per_1000``, ``*_hit_documents``).
    """
    y_a, y_b = np.asarray(y_a, dtype=np.float64), np.asarray(y_b, dtype=np.float64)
    y_a = y_a.reshape(len(y_a), -1)
    y_b = y_b.reshape(len(y_b), -1)
    t_a, t_b = np.asarray(t_a, dtype=np.float64), np.asarray(t_b, dtype=np.float64)
    columns = y_a.shape[1]
    names = list(themes) if themes is not None else [f"t{k}" for k in range(columns)]
    frame = pd.DataFrame({"theme": names, "unit": unit})
    n_a, n_b = len(t_a), len(t_b)
    frame["a_units"], frame["b_units"] = n_a, n_b
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["a_per_1000"] = y_a.sum(axis=0) / t_a.sum() * 1000
        frame["b_per_1000"] = y_b.sum(axis=0) / t_b.sum() * 1000
    m = columns * max(family, 1)
    each = 1 - (1 - level) / m
    ratio, low, high = inference.ratio_interval(y_a, t_a, y_b, t_b, level=each)
    smallest = _smallest_adjusted_p(n_a, n_b, m, permutations)
    sized = min(n_a, n_b) >= min_units
    if not sized:  # with so few units the robust variance itself is unreliable
        low, high = np.full(columns, np.nan), np.full(columns, np.nan)
    frame["rate_ratio"], frame["ratio_ci_low"], frame["ratio_ci_high"] = ratio, low, high
    p_values = p_perm = p_boot = np.full(columns, np.nan)
    detectable = doubling = np.full(columns, np.nan)
    words = f"{unit}s"
    if sized:
        resamples = _resamples(m, alpha)
        p_values, p_perm, p_boot, exact = inference.two_sample_pvalues(
            y_a, t_a, y_b, t_b, permutations=permutations, resamples=resamples, seed=seed,
            below=alpha)  # fmt: skip
        detectable, doubling = inference.detectable_ratio(
            y_a, t_a, y_b, t_b, alpha=alpha / m, power=DETECTABLE_POWER)  # fmt: skip
        test = (f"studentized log rate ratio over {n_a} and {n_b} {words}: the larger p of "
                + (f"an exact permutation test ({comb(n_a + n_b, n_a):,} splits)" if exact else
                   f"a permutation test ({permutations:,} random relabellings)")
                + f" and, where that p is below {alpha}, a parametric bootstrap that keeps "
                f"each group's spread ({resamples:,} simulated pairs); Holm over {m} tests")  # fmt: skip
        if smallest >= alpha:
            test += (f"; with so few {words} the smallest possible p after Holm is "
                     f"{smallest:.3f}, not below {alpha}")  # fmt: skip
    else:
        test = (f"none: {n_a} and {n_b} {words}, fewer than the {min_units} per group a "
                "test needs")  # fmt: skip
    frame["p_value"] = p_values
    frame["p_adjusted"] = inference.holm(p_values)
    frame["verdict"] = ""
    frame["detectable_ratio"], frame["power_doubling"] = detectable, doubling
    frame["p_permutation"], frame["p_bootstrap"] = p_perm, p_boot
    frame["a_count"] = y_a.sum(axis=0).astype(np.int64)
    frame["b_count"] = y_b.sum(axis=0).astype(np.int64)
    frame["a_tokens"], frame["b_tokens"] = int(t_a.sum()), int(t_b.sum())
    frame["a_hit_units"] = (y_a > 0).sum(axis=0).astype(np.int64)
    frame["b_hit_units"] = (y_b > 0).sum(axis=0).astype(np.int64)
    frame["test"] = test
    frame["interval"] = (f"simultaneous {level:.0%} over {m} tests (Bonferroni: each at "
                         f"{each:.2%}), robust Poisson GLM over {words} (HC3)")  # fmt: skip
    frame.attrs["sized"], frame.attrs["smallest"] = sized, smallest
    frame["verdict"] = _verdicts(frame, alpha)
    return frame


def compare_pairs(
    corpus: Corpus,
    *,
    by: str = "dyad",
    groups: list[str] | None = None,
    alpha: float = 0.05,
    **options,
) -> pd.DataFrame:
    """Every pair of groups compared at once, adjusted across pairs and themes together.

    Comparing many pairs multiplies the chances of a false verdict (15 pairs of 6 groups
    gave at least one in 37% of null comparisons with Holm over themes only). Here Holm
    runs over pairs × themes, and each interval is simultaneous over all of them.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    by : str, default "dyad"
        The document variable whose groups are compared.
    groups : list of str, optional
        The groups to compare, two or more (default every group of ``by``, in corpus order).
    alpha : float, default 0.05
        Level of the verdicts.
    **options
        Passed to :func:`compare_groups` (``voice``, ``permutations``, ``seed``, ``level``,
        ``min_units``, ``unit``, ``population``).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`compare_groups` after ``a`` and ``b`` (the pair), one row per
        pair × theme; ``p_adjusted`` is Holm's over every row.
    """
    names = list(dict.fromkeys(corpus.groups(by))) if groups is None else [
        corpus.resolve_group(by, g) for g in groups]  # fmt: skip
    names = list(dict.fromkeys(names))
    if len(names) < 2:
        raise RhetoricInputError(f"groups={names!r}: compare_pairs needs two or more groups",
                                 parameters=("groups",))  # fmt: skip
    pairs = [(x, y) for i, x in enumerate(names) for y in names[i + 1 :]]
    frames = [compare_groups(corpus, a=x, b=y, by=by, alpha=alpha, family=len(pairs), **options)
              for x, y in pairs]  # fmt: skip
    adjusted = inference.holm(np.concatenate([f["p_value"].to_numpy() for f in frames]))
    parts, start = [], 0
    for (x, y), frame in zip(pairs, frames, strict=True):
        attrs = dict(frame.attrs)
        frame = frame.copy()
        frame.attrs = attrs
        frame["p_adjusted"] = adjusted[start : start + len(frame)]
        start += len(frame)
        frame["verdict"] = _verdicts(frame, alpha)
        frame.insert(0, "b", y)
        frame.insert(0, "a", x)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def _span_note(sides: dict, unit_name: str) -> str:
    """Say how many events have documents in both groups (each part is a unit of its own)."""
    if unit_name != "event":
        return ""
    both = len(set(sides["a"].unit_keys) & set(sides["b"].unit_keys))
    if not both:
        return ""
    return (f"; {both} event{'s' * (both != 1)} with documents in both groups count as a unit in "
            "each (not independent: read the verdicts with care)")  # fmt: skip


def _resamples(tests: int, alpha: float) -> int:
    """Simulated pairs of the bootstrap: its smallest p, 1/(1 + B), at most a third of
    Holm's strictest level alpha / tests (999 for up to 16 tests at 0.05)."""
    return max(999, math.ceil(3 * tests / alpha))


def _smallest_adjusted_p(n_a: int, n_b: int, tests: int, permutations: int) -> float:
    """The smallest Holm-adjusted p the permutation test could give: ``tests`` × the
    smallest p (an exact test of equal groups reaches its largest statistic at least twice,
    the labelling and its mirror)."""
    splits = comb(n_a + n_b, n_a)
    if splits > permutations:
        return min(1.0, tests / (1 + permutations))
    return min(1.0, tests * (2 if n_a == n_b else 1) / splits)


def _verdicts(frame: pd.DataFrame, alpha: float) -> list[str]:
    if not frame.attrs.get("sized", True):
        return ["too_few_units"] * len(frame)
    reachable = frame.attrs.get("smallest", 0.0) < alpha
    verdicts = []
    for row in frame.itertuples():
        if row.p_adjusted < alpha and row.a_per_1000 != row.b_per_1000:
            side = "a" if row.a_per_1000 > row.b_per_1000 else "b"
            held = getattr(row, f"{side}_hit_units")
            verdicts.append(f"{side}_higher" if held >= MIN_HIT_UNITS else "few_hit_units")
        elif not reachable or not row.power_doubling >= MIN_POWER_DOUBLING:
            verdicts.append("underpowered")
        else:
            verdicts.append("no_clear_difference")
    return verdicts
