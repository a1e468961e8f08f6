""":mod:`rhetoric.measures.similarity`: TF-IDF cosine similarity of documents, themes and theme contexts.

One vector space for all three comparisons: scikit-learn's TF-IDF fitted on
the cleaned documents, with the project's tokens (the word tokens already made
by :mod:`rhetoric.text.tokens`, lowercased; no stopword removal, no minimum
length, so "we" and "no" count) and scikit-learn's weighting at its
documented defaults:

- tf = raw count (``sublinear_tf=False``);
- idf(t) = ln((1 + n) / (1 + df(t))) + 1 (``smooth_idf=True``), n = documents;
- each vector divided by its L2 norm (``norm="l2"``), so cosine = dot product.

``TfidfVectorizer`` is ``CountVectorizer`` followed by ``TfidfTransformer``.
Here the counts come straight from the token table (a sparse matrix built from
token codes: the counts ``TfidfVectorizer(analyzer=...)`` would make, without
handing millions of strings to Python) and scikit-learn's ``TfidfTransformer``
weights them; the vocabulary is the words that occur in the documents, as
``TfidfVectorizer`` would learn it. A test checks the result against
:func:`tfidf_vectorizer`. Themes and contexts are projected into that space
with ``transform``: words that occur in no document have no dimension there.
With ``stopwords=True`` the project's display stopwords (function words;
pronouns, modals and negations are kept) are left out of the space, so that
shared function words do not make texts look alike.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from rhetoric.corpus import codes, document_groups, hit_rows, sentence_ids, token_groups
from rhetoric.errors import RhetoricInputError
from rhetoric.measures.rates import display_stopwords

__all__ = [
    "MAX_PAIRWISE",
    "TFIDF_PARAMETERS",
    "context_similarity",
    "distinctive_terms",
    "document_similarity",
    "document_texts",
    "tfidf_vectorizer",
    "theme_similarity",
]

#: scikit-learn's TF-IDF parameters used here (its defaults), written into the notebooks.
TFIDF_PARAMETERS = {"norm": "l2", "use_idf": True, "smooth_idf": True, "sublinear_tf": False}
#: Above this many groups a full pairwise table is refused (ask for fewer groups with --by).
MAX_PAIRWISE = 2000
Unit = Literal["lower", "stem"]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def tfidf_vectorizer():
    """A ``TfidfVectorizer`` over pre-tokenized documents (lists of strings), weighting as documented.

    The reference the fast path is tested against; use it to reproduce any
    number here with scikit-learn alone.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=_identity, **TFIDF_PARAMETERS)


def document_texts(
    processed, *, by: str = "document", unit: Unit = "lower", mask=None
) -> dict[str, list[str]]:
    """The tokens of each group as one list of strings (groups in corpus order); ``mask`` selects tokens."""
    column = processed.tokens[unit]
    token_group, names = token_groups(processed, by)
    categories = np.asarray(column.cat.categories, dtype=object)
    term_codes = codes(column)
    if mask is not None:
        term_codes, token_group = term_codes[mask], token_group[mask]
    order = np.argsort(token_group, kind="stable")
    bounds = np.searchsorted(token_group[order], np.arange(len(names) + 1))
    return {
        name: categories[term_codes[order[bounds[g] : bounds[g + 1]]]].tolist()
        for g, name in enumerate(names)
    }


def _content_mask(processed, stopwords: bool):
    if not stopwords:
        return None
    lower = processed.tokens["lower"]
    hidden = np.flatnonzero(lower.cat.categories.isin(list(display_stopwords())))
    return ~np.isin(codes(lower), hidden)


def _codes(processed, by: str, unit: Unit):
    """Per token: its group's row and its word's column; and the group names and column count."""
    rows, names = token_groups(processed, by)
    column = processed.tokens[unit]
    return rows, names, codes(column), len(column.cat.categories)


def _counts(processed, *, by: str = "document", unit: Unit = "lower", mask=None):
    """Group names (corpus order) and a sparse groups × categories count matrix."""
    rows, names, cols, n_cols = _codes(processed, by, unit)
    if mask is not None:
        rows, cols = rows[mask], cols[mask]
    return names, _count_matrix(rows, cols, (len(names), n_cols))


def _count_matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]):
    """A sparse count matrix with one count per (row, column) pair given."""
    from scipy import sparse

    # cell keys row * columns + column, in 32-bit integers when they fit (half the memory)
    wide = np.int32 if shape[0] * shape[1] < 2**31 else np.int64
    keys = rows.astype(wide, copy=False) * shape[1] + cols.astype(wide, copy=False)
    if shape[0] * shape[1] <= 5_000_000:  # few groups: count densely, then compress
        dense = np.bincount(keys, minlength=shape[0] * shape[1]).reshape(shape)
        return sparse.csr_matrix(dense.astype(np.float64))
    # many groups: sort the keys once; equal keys are one cell and its count
    keys.sort()
    firsts = np.flatnonzero(np.diff(keys, prepend=-1))
    cells = keys[firsts].astype(np.int64)
    counts = np.diff(np.append(firsts, len(keys))).astype(np.float64)
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(cells // shape[1], minlength=shape[0]), out=indptr[1:])
    return sparse.csr_matrix((counts, cells % shape[1], indptr), shape=shape)


class _Space:
    """The documents' TF-IDF space: the vocabulary (words with df > 0) and the fitted transformer."""

    def __init__(self, processed, unit: Unit, stopwords: bool):
        from sklearn.feature_extraction.text import TfidfTransformer

        self.mask = _content_mask(processed, stopwords)
        self.names, counts = _counts(processed, unit=unit, mask=self.mask)
        if counts.nnz == 0:
            raise RhetoricInputError("similarity: the corpus has no word tokens after cleaning")
        self.columns = np.flatnonzero(np.asarray((counts > 0).sum(axis=0)).ravel())
        categories = processed.tokens[unit].cat.categories
        self.vocabulary = np.asarray(categories, dtype=object)[self.columns]
        self.transformer = TfidfTransformer(**TFIDF_PARAMETERS)
        self.matrix = self.transformer.fit_transform(counts[:, self.columns])

    def transform(self, counts):
        """Weight a groups × categories count matrix in this space."""
        return self.transformer.transform(counts[:, self.columns])


def _pairs(names: list[str], matrix, *, kind: str) -> pd.DataFrame:
    if len(names) > MAX_PAIRWISE:
        raise RhetoricInputError(
            f"similarity: {len(names)} {kind}s would make {len(names) ** 2:,} pairs; "
            "compare groups instead (e.g. --by dyad or --by year)"
        )
    cosine = (matrix @ matrix.T).toarray()
    upper = np.triu_indices(len(names))
    return pd.DataFrame(
        {
            "a": np.asarray(names, dtype=object)[upper[0]],
            "b": np.asarray(names, dtype=object)[upper[1]],
            "cosine": np.clip(cosine[upper], 0.0, 1.0),
        }
    )


def document_similarity(
    processed, *, by: str = "document", unit: Unit = "lower", stopwords: bool = False
) -> pd.DataFrame:
    """Cosine similarity of every pair of documents (or groups: their tokens pooled).

    Returns
    -------
    DataFrame
        ``a``, ``b``, ``cosine``: one row per unordered pair, the diagonal
        (a == b, cosine 1) included, in corpus order. TF-IDF as in the module
        docstring (fitted on the documents, then groups transformed).
    """
    space = _Space(processed, unit, stopwords)
    if by == "document":
        return _pairs(space.names, space.matrix, kind=by)
    names, counts = _counts(processed, by=by, unit=unit, mask=space.mask)
    return _pairs(names, space.transform(counts), kind=by)


def _theme_documents(processed, vocabulary: list[str], unit: Unit) -> dict[str, list[str]]:
    """Each theme's lexicon as a document: its words, globs and regexes expanded to the corpus
    words they match (with ``unit="stem"``, to the stems they match)."""
    from rhetoric.text.themes import compile_term, surface_matches
    from rhetoric.text.tokens import stem

    stems_of: dict[str, list[str]] = {}
    if unit == "lower":
        for word in vocabulary:
            stems_of.setdefault(stem(word), []).append(word)
    out = {}
    for theme in processed.themes:
        words: list[str] = []
        for term in theme.terms:
            for kind, value in compile_term(term):
                if kind == "stem":
                    words.extend([value] if unit == "stem" else stems_of.get(value, []))
                elif kind == "lower":
                    words.append(value if unit == "lower" else stem(value))
                else:
                    found = surface_matches((kind, value), vocabulary)
                    words.extend(w for w, hit in zip(vocabulary, found, strict=True) if hit)
        out[theme.id] = words
    return out


def theme_similarity(processed, *, unit: Unit = "lower", stopwords: bool = False) -> pd.DataFrame:
    """Cosine between each document and each theme's lexicon, in the documents' TF-IDF space.

    A theme's lexicon is one pseudo-document: every word of its terms (a stem
    term stands for every corpus word with that stem, a glob for every corpus
    word it matches), each once.

    Returns
    -------
    DataFrame
        ``document``, ``theme``, ``cosine``, ``lexicon_words`` (words of the
        lexicon found in the corpus vocabulary; 0 means the cosine is 0 by
        construction).
    """
    from scipy import sparse

    space = _Space(processed, unit, stopwords)
    lexicons = {
        k: sorted(set(v))
        for k, v in _theme_documents(processed, list(space.vocabulary), unit).items()
    }
    column_of = {word: i for i, word in enumerate(space.vocabulary)}
    rows = [i for i, words in enumerate(lexicons.values()) for w in words if w in column_of]
    cols = [column_of[w] for words in lexicons.values() for w in words if w in column_of]
    counts = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(lexicons), len(space.vocabulary))
    )
    theme_matrix = space.transformer.transform(counts)
    cosine = (space.matrix @ theme_matrix.T).toarray()
    records = [
        (doc, theme, float(np.clip(cosine[i, j], 0, 1)), len(lexicons[theme]))
        for i, doc in enumerate(space.names)
        for j, theme in enumerate(lexicons)
    ]
    return pd.DataFrame(records, columns=["document", "theme", "cosine", "lexicon_words"])


def context_similarity(
    processed,
    *,
    by: str = "dyad",
    unit: Unit = "lower",
    drop_hits: bool = True,
    stopwords: bool = True,
) -> pd.DataFrame:
    """How alike groups frame each theme: cosine between the groups' theme contexts.

    For each theme and group, the sentences holding a hit of that theme are
    pooled into one context document (a sentence counts once even with two
    hits). With ``drop_hits`` (default) the matched tokens themselves are
    left out, so the cosine compares the words around the theme, not the fact
    that both name it. Contexts are projected into the documents' TF-IDF space;
    with ``stopwords`` (default, as notebook 03 shows them) that space leaves
    the display stopwords out, so that the words around a theme are compared,
    not the function words every sentence has.

    Returns
    -------
    DataFrame
        ``theme``, ``a``, ``b`` (groups, a before b in corpus order),
        ``cosine`` (NaN when a group has no hit of the theme: undefined, not
        0), ``a_sentences``, ``b_sentences`` (context sizes: a cosine over a
        sentence or two is anecdote, not pattern).
    """
    space = _Space(processed, unit, stopwords)
    tokens = processed.tokens
    hits = processed.hits
    groups = document_groups(processed, by)
    names = list(dict.fromkeys(groups))
    if len(names) > MAX_PAIRWISE:
        raise RhetoricInputError(
            f"similarity: {len(names)} groups are too many pairs; use a coarser --by"
        )
    group_rows, _names, columns, n_columns = _codes(processed, by, unit)
    doc_codes = codes(tokens["document"])
    sentence_of_token = sentence_ids(tokens)
    n_sentences = int(sentence_of_token.max()) + 1 if len(sentence_of_token) else 0
    # tokens of sentence s: sentence_bounds[s] up to sentence_bounds[s + 1]
    sentence_bounds = np.searchsorted(sentence_of_token, np.arange(n_sentences + 1))
    group_of_doc = groups.to_numpy()
    first = hit_rows(tokens, hits)
    lengths = hits["n_tokens"].to_numpy() if len(hits) else np.zeros(0, np.int64)
    theme_codes = codes(hits["theme"]) if len(hits) else np.zeros(0, np.int64)
    is_hit = np.zeros(len(tokens), dtype=bool)
    rows = []
    for t, theme in enumerate(processed.themes):
        in_theme = theme_codes == t
        keys = np.unique(sentence_of_token[first[in_theme]])  # the context sentences
        members = _ranges(sentence_bounds[keys], sentence_bounds[keys + 1])  # their tokens
        keep = np.ones(len(members), dtype=bool)
        if space.mask is not None:
            keep &= space.mask[members]
        if drop_hits:
            hit_tokens = _ranges(first[in_theme], first[in_theme] + lengths[in_theme])
            is_hit[hit_tokens] = True
            keep &= ~is_hit[members]
            is_hit[hit_tokens] = False
        members = members[keep]
        counts = _count_matrix(group_rows[members], columns[members], (len(names), n_columns))
        sentences = pd.Series(group_of_doc[doc_codes[sentence_bounds[keys]]]).value_counts()
        sentences = sentences.to_dict()
        matrix = space.transform(counts)
        cosine = (matrix @ matrix.T).toarray()
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                a_n, b_n = sentences.get(names[i], 0), sentences.get(names[j], 0)
                value = float(np.clip(cosine[i, j], 0, 1)) if a_n and b_n else np.nan
                rows.append((theme.id, names[i], names[j], value, a_n, b_n))
    frame = pd.DataFrame(rows, columns=["theme", "a", "b", "cosine", "a_sentences", "b_sentences"])
    return frame.astype({"cosine": "float64", "a_sentences": "int64", "b_sentences": "int64"})


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """All integers in [start, end) for each pair, concatenated in order."""
    sizes = (ends - starts).astype(np.int64)
    if sizes.sum() == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes)
    return offsets + np.arange(int(sizes.sum()), dtype=np.int64)


def distinctive_terms(processed, *, top: int = 8, stopwords: bool = True) -> pd.DataFrame:
    """The terms with the highest TF-IDF weight in each document (its most distinctive words).

    Returns
    -------
    DataFrame
        ``document``, ``term``, ``tfidf`` (weight in the document's L2-normed
        vector), ``count``, ``rank``; ``top`` rows per document, ties broken
        alphabetically. Display stopwords are left out by default.
    """
    space = _Space(processed, "lower", stopwords)
    _, counts = _counts(processed, unit="lower", mask=space.mask)
    counts = counts[:, space.columns].tocsr()
    rows = []
    for i, name in enumerate(space.names):
        row = space.matrix.getrow(i)
        order = sorted(
            zip(row.indices, row.data, strict=True), key=lambda x: (-x[1], space.vocabulary[x[0]])
        )[:top]
        for rank, (j, weight) in enumerate(order, start=1):
            rows.append((name, space.vocabulary[j], float(weight), int(counts[i, j]), rank))
    return pd.DataFrame(rows, columns=["document", "term", "tfidf", "count", "rank"])
