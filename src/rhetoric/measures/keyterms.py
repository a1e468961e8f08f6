""":mod:`rhetoric.measures.keyterms`: keyness, which terms one group uses more than another.

Token-level measures (signed G², its p, Hardie's Log Ratio, Monroe et al.'s log-odds z) as
AntConc and scattertext compute them, and a document-level test (a score-type test of the
log rate ratio with documents, or events, as the unit, Benjamini–Hochberg across terms),
the one to trust when documents differ. Counts come from :meth:`rhetoric.corpus.Corpus.dfm`.
Natural logs unless a column says ``log2``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rhetoric.corpus import Corpus, Unit
from rhetoric.errors import RhetoricInputError
from rhetoric.measures import inference

__all__ = [
    "KEYNESS_ORDERS", "chi2_sf_1df", "g2", "keyness", "log_odds_dirichlet", "log_ratio",
    "silence",
]  # fmt: skip


def chi2_sf_1df(x) -> np.ndarray:
    """Survival function of χ² with 1 degree of freedom: P(X ≥ x) = erfc(√(x/2)).

    Parameters
    ----------
    x : array-like of float
        χ² values (0 or more), e.g. |G²| of :func:`g2`.

    Returns
    -------
    numpy.ndarray
        P(X ≥ x), elementwise, in the shape of ``x``.
    """
    from scipy.special import erfc

    return erfc(np.sqrt(np.asarray(x, dtype=np.float64) / 2))


def g2(a, c, b, d) -> np.ndarray:
    """Signed 4-cell log-likelihood G² (Dunning 1993) for a word's counts in two corpora.

    ``a`` of ``c`` tokens in the target, ``b`` of ``d`` in the reference.
    G² = 2 Σ O ln(O/E) over the four cells (word, other words) × (target,
    reference), with 0·ln 0 = 0 and no continuity correction (AntConc 4's
    default "4-term" form; scattertext's G2). Positive when a/c > b/d
    (over-used in the target). p-value: :func:`chi2_sf_1df` of |G²|.

    Parameters
    ----------
    a, c : array-like of float
        The word's count in the target, and the target's tokens.
    b, d : array-like of float
        The word's count in the reference, and the reference's tokens.

    Returns
    -------
    numpy.ndarray
        Signed G² (natural logs), elementwise over the broadcast arguments.

    Examples
    --------
    >>> round(float(g2(52, 50_000, 57, 75_000)), 4)
    2.6541
    """
    a, b, c, d = (np.asarray(x, dtype=np.float64) for x in (a, b, c, d))
    n = c + d
    observed = [a, b, c - a, d - b]
    row_word, row_other = a + b, n - a - b
    expected = [row_word * c / n, row_word * d / n, row_other * c / n, row_other * d / n]
    total = np.zeros(np.broadcast(a, b, c, d).shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected, strict=True):
            total += np.where(o > 0, o * np.log(o / e), 0.0)
    value = 2 * total
    sign = np.sign(a / np.where(c > 0, c, np.nan) - b / np.where(d > 0, d, np.nan))
    return np.nan_to_num(sign) * np.abs(value)


def log_ratio(a, c, b, d, *, zero: float = 0.5) -> np.ndarray:
    """Hardie's (2014) Log Ratio: log2((a/c)/(b/d)); a zero count is replaced by ``zero`` (0.5).

    Parameters
    ----------
    a, c : array-like of float
        The word's count in the target, and the target's tokens.
    b, d : array-like of float
        The word's count in the reference, and the reference's tokens.
    zero : float, default 0.5
        What a count of 0 (``a`` or ``b``) is replaced by.

    Returns
    -------
    numpy.ndarray
        Log Ratio (log2; + = relatively more frequent in the target), elementwise over
        the broadcast arguments.

    Examples
    --------
    >>> round(float(log_ratio(52, 50_000, 57, 75_000)), 4)
    0.4525
    >>> round(float(log_ratio(10, 1000, 0, 1000)), 4)
    4.3219
    """
    a, b, c, d = (np.asarray(x, dtype=np.float64) for x in (a, b, c, d))
    a, b = np.where(a == 0, zero, a), np.where(b == 0, zero, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log2((a / c) / (b / d))


def log_odds_dirichlet(y_i, y_j, alpha) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio with a Dirichlet prior (Monroe, Colaresi and Quinn 2008), and its z-score.

    ``y_i``, ``y_j``: counts per term in groups i and j; ``alpha``: prior per
    term (a constant for an uninformative prior, or background counts for an
    informative one). δ = ln[(y_i+α)/(n_i+α0−y_i−α)] − ln[(y_j+α)/(n_j+α0−y_j−α)],
    Var(δ) ≈ 1/(y_i+α) + 1/(y_j+α) (the paper's two-term form), z = δ/√Var.

    Parameters
    ----------
    y_i, y_j : array-like of float
        Counts per term in groups i and j (1-D, the same terms); n_i and n_j are
        their sums.
    alpha : float or array-like of float
        Prior per term (broadcast to the terms); α0 is its sum.

    Returns
    -------
    delta : numpy.ndarray
        δ per term (natural logs; + = more frequent in group i).
    z : numpy.ndarray
        δ / √Var(δ) per term.
    """
    y_i, y_j = np.asarray(y_i, dtype=np.float64), np.asarray(y_j, dtype=np.float64)
    alpha = np.broadcast_to(np.asarray(alpha, dtype=np.float64), y_i.shape)
    a0, n_i, n_j = alpha.sum(), y_i.sum(), y_j.sum()
    delta = np.log((y_i + alpha) / (n_i + a0 - y_i - alpha)) - np.log(
        (y_j + alpha) / (n_j + a0 - y_j - alpha)
    )
    variance = 1 / (y_i + alpha) + 1 / (y_j + alpha)
    return delta, delta / np.sqrt(variance)


#: Orders :func:`keyness` can sort by (the first is the default).
KEYNESS_ORDERS = ("log_ratio", "g2", "doc_p_value")
_KEYNESS_COLUMNS = ("term", "target_count", "reference_count", "target_total", "reference_total",
                    "target_documents", "reference_documents", "g2", "p_value", "log_ratio",
                    "log_odds_z", "doc_z", "doc_p_value", "doc_p_adjusted")  # fmt: skip


def _keyness_sides(corpus: Corpus, by: str, target: str, reference: str | None):
    """Document codes (corpus order) of the target and of the reference."""
    target = corpus.resolve_group(by, target)
    groups = corpus.groups(by).to_numpy()
    if reference is not None:
        reference = corpus.resolve_group(by, reference)
        if reference == target:
            raise RhetoricInputError(
                f"reference={reference!r} is the target itself; choose another group"
            )
        in_reference = groups == reference
    else:
        in_reference = groups != target
    return np.flatnonzero(groups == target), np.flatnonzero(in_reference)


def silence(frame: pd.DataFrame, alpha: float = 0.05) -> str | None:
    """One sentence when the document-level test of a :func:`keyness` table flags no term:
    what it would have needed, so that silence is not read as absence (None when it flags
    something, or the table is empty).

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`keyness` table (its ``attrs["units"]``: the two sides' units and their name).
    alpha : float, default 0.05
        Level of the flag (``doc_p_adjusted < alpha``).

    Returns
    -------
    str or None
        The sentence.
    """
    if frame.empty or (frame["doc_p_adjusted"] < alpha).any():
        return None
    n_a, n_b, unit = frame.attrs.get("units", (0, 0, "document"))
    tested = frame["doc_p_value"].dropna()
    if min(n_a, n_b) < 2 or tested.empty:
        return (f"no word flagged by the document-level test: with {n_a} and {n_b} {unit}s "
                "there is no test (it needs two units per side); silence here is not absence")  # fmt: skip
    smallest = float(tested.min())
    return (f"no word flagged by the document-level test: with {n_a} and {n_b} {unit}s its "
            f"smallest p is {smallest:.2g}, and Benjamini–Hochberg over {len(tested):,} terms "
            f"needs {alpha / len(tested):.2g} for the first flag; silence here is not absence "
            "(validation/README.md: what the test finds at each size)")  # fmt: skip


def _unit_sums(matrix, sizes, keys: np.ndarray) -> tuple[list, int]:
    """The five sums of :func:`rhetoric.measures.inference.score_test` over the units (keys)
    of these documents' rows, per term, and the number of units."""
    from scipy import sparse

    used = np.asarray(sizes) > 0  # a document without a word token is no unit
    matrix, sizes, keys = matrix[np.flatnonzero(used)], np.asarray(sizes)[used], keys[used]
    codes, unique = pd.factorize(pd.Series(keys, dtype=object), sort=False)
    member = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                               shape=(len(unique), len(codes)))  # fmt: skip
    counts = (member @ matrix).tocsc().astype(np.float64)
    tokens = member @ np.asarray(sizes, dtype=np.float64)
    sums = [np.asarray(counts.sum(axis=0)).ravel(), np.full(counts.shape[1], tokens.sum()),
            np.asarray(counts.multiply(counts).sum(axis=0)).ravel(),
            np.asarray(counts.T @ tokens).ravel(), np.full(counts.shape[1], (tokens**2).sum())]  # fmt: skip
    return sums, len(unique)


def keyness(
    corpus: Corpus,
    *,
    target: str,
    reference: str | None = None,
    by: str = "dyad",
    unit: Unit = "lower",
    min_count: int = 1,
    min_documents: int = 2,
    sort: str = "log_ratio",
    ngrams: int | str | tuple[int, int] = 1,
    test_unit: str = "auto",
    population: Corpus | None = None,
) -> pd.DataFrame:
    """Keyness of every term in a target group against a reference group.

    Token-level measures (G², its p, Log Ratio, log-odds z) as AntConc and
    scattertext compute them, and a document-level test, which is the one to
    trust when documents differ (on random halves of a corpus, token-level G²
    calls hundreds of words "key"; see validation/README.md).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    target : str
        Group name (for dyads also its label, "US–Russia").
    reference : str or None, default None
        Group name or label, as ``target``; None: every document not in the target.
    by : str, default "dyad"
        Document variable that defines the groups: ``document``, ``dyad``, ``year``,
        ``kind``, ``outlet`` or another corpus.csv column.
    unit : {"lower", "stem"}, default "lower"
        Lowercase word forms or their Snowball stems.
    min_count : int, default 1
        Keep terms with at least this many occurrences in target and reference
        together.
    min_documents : int, default 2
        Keep terms found in at least this many documents of target and reference
        together (a word of one document describes that document).
    sort : str, default "log_ratio"
        One of :data:`KEYNESS_ORDERS`: ``log_ratio`` (the effect size, most
        over-used in the target first, ties by G²), ``g2`` (signed G², AntConc's
        order) or ``doc_p_value`` (smallest first); ties then alphabetically.
    ngrams : int, str or tuple of int, default 1
        The orders of n-grams compared, ``1`` (words), ``2`` or a range ``"1-3"``,
        formed within sentences. With n-grams the totals are the n-grams counted
        on each side (as in a quanteda dfm of those features), not word tokens.
    test_unit : {"auto", "event", "document"}, default "auto"
        The unit of the document-level test (:func:`rhetoric.measures.events.document_units`:
        ``auto`` takes events when an event has two or more of the compared documents).
    population : Corpus, optional
        The corpus before a ``where`` filter (events are inferred on it).

    Returns
    -------
    pandas.DataFrame
        One row per kept term, in ``sort`` order (the columns and no row when a
        side has no token or no term is kept; ``attrs["units"]``: the two sides' units and
        their name, for :func:`silence`): ``term``, ``target_count``,
        ``reference_count``, ``target_total``, ``reference_total`` (word tokens
        in each side; with n-grams, the terms counted), ``target_documents``,
        ``reference_documents`` (documents of each side that hold the term:
        document frequency), ``g2`` (signed 4-cell log-likelihood, natural log,
        see :func:`g2`, no correction; + = over-used in the target), ``p_value``
        (χ² with 1 df, tokens as the unit, not corrected for the number of
        terms), ``log_ratio`` (Hardie's log2 ratio of relative frequencies, zero
        counts replaced by 0.5), ``log_odds_z`` (Monroe et al.'s z-score with an
        informative Dirichlet prior: the pooled counts of both sides, α0 = their
        total; n_i, n_j and α0 are summed over every term of the two sides, those that
        ``min_count`` and ``min_documents`` leave out of the table too, so that a
        term's z does not change with them), ``doc_z`` and ``doc_p_value`` (the
        document-level test, :func:`rhetoric.measures.inference.score_pvalues`: the log
        rate ratio over the units of each side, documents or events, each side's
        spread measured around the pooled rate, Student's t with Welch's degrees of
        freedom; robust to documents of different lengths; ``doc_z`` > 0 where the
        target's pooled rate is higher, the side the term is drawn on; cautious: a word
        one side never uses gets that side's spread around the pooled rate, so that a
        word absent from a group and a bursty word the group happened to miss look
        alike, and neither is flagged: read ``target_documents`` and
        ``reference_documents`` for them) and
        ``doc_p_adjusted`` (Benjamini–Hochberg over the terms in the table).
    """
    if sort not in KEYNESS_ORDERS:
        raise RhetoricInputError(f"sort={sort!r}: use one of {', '.join(KEYNESS_ORDERS)}")
    target_docs, reference_docs = _keyness_sides(corpus, by, target, reference)
    documents = np.concatenate([target_docs, reference_docs])
    every = corpus.dfm(unit=unit, ngrams=ngrams)  # documents in corpus order
    matrix, names, sizes = every.counts[documents], every.terms, every.sizes[documents]
    n_target = len(target_docs)
    a = np.asarray(matrix[:n_target].sum(axis=0)).ravel()
    b = np.asarray(matrix[n_target:].sum(axis=0)).ravel()
    present = (matrix > 0).astype(np.int64)
    df_a = np.asarray(present[:n_target].sum(axis=0)).ravel()
    df_b = np.asarray(present[n_target:].sum(axis=0)).ravel()
    c, d = int(sizes[:n_target].sum()), int(sizes[n_target:].sum())
    keep = ((a + b) >= max(min_count, 1)) & ((df_a + df_b) >= max(min_documents, 1))
    if c == 0 or d == 0 or not keep.any():
        return pd.DataFrame(
            {col: pd.Series(dtype=object if col == "term" else float) for col in _KEYNESS_COLUMNS}
        )
    columns = np.flatnonzero(keep)
    # over every term of the two sides: a term's z does not depend on which others are shown
    seen = np.flatnonzero((a + b) > 0)  # terms of other groups' documents only: no part in it
    z = np.full(len(a), np.nan)
    z[seen] = log_odds_dirichlet(a[seen], b[seen], a[seen] + b[seen])[1]
    a, b, z = a[columns], b[columns], z[columns]
    values = g2(a, c, b, d)
    from rhetoric.measures.events import document_units

    compared = np.zeros(len(corpus.documents), dtype=bool)
    compared[documents] = True
    keys, unit_name = document_units(corpus, unit=test_unit, population=population,
                                     among=compared)  # fmt: skip
    side_a, n_units_a = _unit_sums(matrix[:n_target][:, columns], sizes[:n_target],
                                   keys[target_docs])  # fmt: skip
    side_b, n_units_b = _unit_sums(matrix[n_target:][:, columns], sizes[n_target:],
                                   keys[reference_docs])  # fmt: skip
    doc_p, doc_z = inference.score_test(side_a, n_units_a, side_b, n_units_b)
    frame = pd.DataFrame(
        {
            "term": names[columns],
            "target_count": a.astype(np.int64),
            "reference_count": b.astype(np.int64),
            "target_total": c,
            "reference_total": d,
            "target_documents": df_a[columns],
            "reference_documents": df_b[columns],
            "g2": values,
            "p_value": chi2_sf_1df(np.abs(values)),
            "log_ratio": log_ratio(a, c, b, d),
            "log_odds_z": z,
            "doc_z": doc_z,
            "doc_p_value": doc_p,
            "doc_p_adjusted": inference.benjamini_hochberg(doc_p),
        }
    )
    keys = {"log_ratio": (["log_ratio", "g2", "term"], [False, False, True]),
            "g2": (["g2", "term"], [False, True]),
            "doc_p_value": (["doc_p_value", "term"], [True, True])}[sort]  # fmt: skip
    frame = frame.sort_values(keys[0], ascending=keys[1], kind="mergesort").reset_index(drop=True)
    frame.attrs["units"] = (n_units_a, n_units_b, unit_name)  # for what it could flag
    return frame
