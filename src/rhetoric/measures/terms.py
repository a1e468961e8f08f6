""":mod:`rhetoric.measures.terms`: the most frequent terms (words or n-grams) per group.

Counted with :meth:`rhetoric.corpus.Corpus.dfm`; the denominator is every word token of a
group (also for n-grams), per 1,000.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rhetoric.corpus import Corpus, Stopwords, Unit
from rhetoric.errors import RhetoricInputError
from rhetoric.text.stopwords import hidden_term

__all__ = ["term_frequencies"]


def term_frequencies(
    corpus: Corpus,
    *,
    by: str = "document",
    top: int | None = 20,
    unit: Unit = "lower",
    stopwords: Stopwords = "drop",
    ngrams: int | str | tuple[int, int] = 1,
) -> pd.DataFrame:
    """Most frequent terms per group.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    by : str, default "document"
        Document variable to group by: ``document`` (one group per document),
        ``dyad``, ``year``, ``kind``, ``outlet``, ``corpus`` (one group) or another
        corpus.csv column.
    top : int or None, default 20
        Terms kept per group (None: all).
    unit : {"lower", "stem"}, default "lower"
        ``lower`` (lowercase word forms) or ``stem`` (Snowball stems).
    stopwords : {"drop", "keep"}, default "drop"
        ``drop`` hides the display stopwords (:mod:`rhetoric.text.stopwords`) and
        terms with a word without a letter (:func:`rhetoric.text.stopwords.hidden_term`);
        they still count in ``tokens``. An n-gram is hidden when its first or its last
        word is one (``of the``, ``trust and``; ``rule of law`` is shown). ``keep`` lists
        every term.
    ngrams : int, str or tuple of int, default 1
        The orders of n-grams counted, ``1`` (words), ``2`` or a range ``"1-3"``
        (or ``(1, 3)``); n-grams are formed within sentences
        (:func:`rhetoric.corpus.ngram_features`).

    Returns
    -------
    pandas.DataFrame
        One row per group and listed term (at most ``top`` per group): ``group``,
        ``term``, ``count``, ``tokens`` (all word tokens of the group: the
        denominator, also for n-grams), ``per_1000`` (count / tokens × 1,000: per
        1,000 word tokens), ``rank`` (1 = most frequent; ties broken
        alphabetically). Groups in corpus order, terms by rank.
    """
    if stopwords not in ("keep", "drop"):
        raise RhetoricInputError(f"stopwords={stopwords!r}: use keep or drop")
    group_codes, names = corpus.token_groups(by)
    matrix = corpus.dfm(unit=unit, ngrams=ngrams, by=by)
    categories = matrix.terms
    n_terms = len(categories)
    counts = matrix.counts  # sparse: a group's row holds only the terms it has
    totals = np.bincount(group_codes, minlength=len(names))  # word tokens, also for n-grams
    hidden = np.zeros(n_terms, dtype=bool)
    if stopwords == "drop" and n_terms:
        hidden = np.asarray([hidden_term(t.split(" ")) for t in categories], dtype=bool)
    rows = []
    for g, name in enumerate(names):
        present = counts.indices[counts.indptr[g] : counts.indptr[g + 1]]
        found = dict(zip(present.tolist(), counts.data[counts.indptr[g] : counts.indptr[g + 1]],
                         strict=True))  # fmt: skip
        shown = [i for i in present.tolist() if not hidden[i]]
        order = sorted(shown, key=lambda i: (-found[i], categories[i]))
        if top is not None:
            order = order[:top]
        for rank, i in enumerate(order, start=1):
            rows.append((name, categories[i], int(found[i]), int(totals[g]), rank))
    frame = pd.DataFrame(rows, columns=["group", "term", "count", "tokens", "rank"])
    frame.insert(4, "per_1000", frame["count"] / frame["tokens"] * 1000)
    return frame.astype(
        {"count": "int64", "tokens": "int64", "rank": "int64", "per_1000": "float64"}
    )
