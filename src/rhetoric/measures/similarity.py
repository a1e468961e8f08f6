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
Here the counts come straight from the token table (:meth:`rhetoric.corpus.Corpus.dfm`: the counts ``TfidfVectorizer(analyzer=...)`` would make, without
handing millions of strings to Python) and scikit-learn's ``TfidfTransformer``
weights them; the vocabulary is the words that occur in the documents, as
``TfidfVectorizer`` would learn it. A test checks the result against
:func:`tfidf_vectorizer`. Themes and contexts are projected into that space
with ``transform``: words that occur in no document have no dimension there.
With ``stopwords="drop"`` the project's display stopwords (function words;
pronouns, modals and negations are kept) are left out of the space, so that
shared function words do not make texts look alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rhetoric.corpus import Corpus, Stopwords, Unit, codes, hit_rows, sentence_ids
from rhetoric.errors import RhetoricInputError

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


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def tfidf_vectorizer():
    """A ``TfidfVectorizer`` over pre-tokenized documents (lists of strings), weighting as documented.

    The reference the fast path is tested against; use it to reproduce any
    number here with scikit-learn alone.

    Returns
    -------
    sklearn.feature_extraction.text.TfidfVectorizer
        Unfitted, with ``analyzer`` taking each document's tokens as they are and
        :data:`TFIDF_PARAMETERS`.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=_identity, **TFIDF_PARAMETERS)


def document_texts(
    corpus: Corpus, *, by: str = "document", unit: Unit = "lower", mask=None
) -> dict[str, list[str]]:
    """The tokens of each group as one list of strings (groups in corpus order); ``mask`` selects tokens.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    by : str, default "document"
        Document variable to group by: ``document``, ``dyad``, ``year``, ``kind``,
        ``outlet``, ``corpus`` (one group) or another corpus.csv column.
    unit : {"lower", "stem"}, default "lower"
        Lowercase word forms or their Snowball stems.
    mask : numpy.ndarray or None, default None
        Boolean, one per row of the token table: the tokens kept (None: all).

    Returns
    -------
    dict of str to list of str
        Group name -> its tokens in token-table order (every group, an empty list
        when no token of it is kept).
    """
    column = corpus.tokens[unit]
    token_group, names = corpus.token_groups(by)
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


class _Space:
    """The documents' TF-IDF space: the vocabulary (words with df > 0) and the fitted transformer."""

    def __init__(self, corpus: Corpus, unit: Unit, stopwords: Stopwords):
        from sklearn.feature_extraction.text import TfidfTransformer

        self.unit, self.stopwords = unit, stopwords
        documents = corpus.dfm(unit=unit, stopwords=stopwords)
        self.names, counts = documents.rows, documents.counts
        if counts.nnz == 0:
            raise RhetoricInputError("similarity: the corpus has no word tokens after cleaning")
        self.columns = np.flatnonzero(np.asarray((counts > 0).sum(axis=0)).ravel())
        self.vocabulary = np.asarray(documents.terms, dtype=object)[self.columns]
        self.transformer = TfidfTransformer(**TFIDF_PARAMETERS)
        self.matrix = self.transformer.fit_transform(counts[:, self.columns])

    def counts_of(self, corpus: Corpus, *, by: str, rows: np.ndarray | None = None):
        """Group names and their counts (of the tokens ``rows``, default all) in this
        space's columns."""
        grouped = corpus.dfm(unit=self.unit, stopwords=self.stopwords, by=by, rows=rows)
        return grouped.rows, grouped.counts

    def transform(self, counts):
        """Weight a groups × terms count matrix (:meth:`counts_of`) in this space."""
        return self.transformer.transform(counts[:, self.columns])


def _pairs(names: list[str], matrix, *, kind: str) -> pd.DataFrame:
    if len(names) > MAX_PAIRWISE:
        raise RhetoricInputError(
            f"similarity: {len(names)} {kind}s would make {len(names) ** 2:,} pairs; "
            "compare groups instead (e.g. by='dyad' or by='year')"
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
    corpus: Corpus, *, by: str = "document", unit: Unit = "lower", stopwords: Stopwords = "keep"
) -> pd.DataFrame:
    """Cosine similarity of every pair of documents (or groups: their tokens pooled).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    by : str, default "document"
        ``document``, or a document variable whose groups are compared (``dyad``,
        ``year``, ``kind``, ``outlet``, ``corpus`` or another corpus.csv column);
        at most :data:`MAX_PAIRWISE` rows.
    unit : {"lower", "stem"}, default "lower"
        Lowercase word forms or their Snowball stems.
    stopwords : {"keep", "drop"}, default "keep"
        ``drop`` leaves the display stopwords out of the space.

    Returns
    -------
    pandas.DataFrame
        ``a``, ``b``, ``cosine``: one row per unordered pair, the diagonal
        (a == b, cosine 1, or 0 for a row with no term of the space) included,
        a before b in corpus order; cosines clipped to [0, 1]. TF-IDF as in the
        module docstring (fitted on the documents, then groups transformed).
    """
    space = _Space(corpus, unit, stopwords)
    if by == "document":
        return _pairs(space.names, space.matrix, kind=by)
    names, counts = space.counts_of(corpus, by=by)
    return _pairs(names, space.transform(counts), kind=by)


def _theme_documents(corpus: Corpus, vocabulary: list[str], unit: Unit) -> dict[str, list[str]]:
    """Each theme's lexicon as a document: its words, globs and regexes expanded to the corpus
    words they match (with ``unit="stem"``, to the stems they match)."""
    from rhetoric.text.themes import RegexBudget, compile_terms, surface_matches
    from rhetoric.text.tokens import stem

    budget = RegexBudget()  # for the regex words of all themes together
    stems_of: dict[str, list[str]] = {}
    if unit == "lower":
        for word in vocabulary:
            stems_of.setdefault(stem(word), []).append(word)
    out = {}
    for theme in corpus.themes:
        words: list[str] = []
        for language, term in theme.all_terms:
            for kind, value in compile_terms([term], language)[0]:
                if kind == "stem":
                    words.extend([value] if unit == "stem" else stems_of.get(value, []))
                elif kind == "lower":
                    words.append(value if unit == "lower" else stem(value))
                else:
                    found = surface_matches((kind, value), vocabulary, budget=budget)
                    words.extend(w for w, hit in zip(vocabulary, found, strict=True) if hit)
        out[theme.id] = words
    return out


def theme_similarity(
    corpus: Corpus, *, unit: Unit = "lower", stopwords: Stopwords = "keep"
) -> pd.DataFrame:
    """Cosine between each document and each theme's lexicon, in the documents' TF-IDF space.

    A theme's lexicon is one pseudo-document: every word of its terms (a stem
    term stands for every corpus word with that stem, a glob for every corpus
    word it matches), each once.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    unit : {"lower", "stem"}, default "lower"
        Lowercase word forms or their Snowball stems, for documents and lexicons.
    stopwords : {"keep", "drop"}, default "keep"
        ``drop`` leaves the display stopwords out of the space.

    Returns
    -------
    pandas.DataFrame
        One row per document × theme (corpus order, then themes.yml order):
        ``document``, ``theme``, ``cosine`` (clipped to [0, 1]), ``lexicon_words``
        (distinct words of the lexicon pseudo-document; ``exact:`` words, and with
        ``unit="stem"`` stem terms, count even when the space lacks them, and then
        add nothing to the cosine; 0 means the cosine is 0 by construction).
    """
    from scipy import sparse

    space = _Space(corpus, unit, stopwords)
    lexicons = {
        k: sorted(set(v))
        for k, v in _theme_documents(corpus, list(space.vocabulary), unit).items()
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
    corpus: Corpus,
    *,
    by: str = "dyad",
    unit: Unit = "lower",
    drop_hits: bool = True,
    stopwords: Stopwords = "drop",
) -> pd.DataFrame:
    """How alike groups frame each theme: cosine between the groups' theme contexts.

    For each theme and group, the sentences holding a hit of that theme are
    pooled into one context document (a sentence counts once even with two
    hits). With ``drop_hits`` (default) the matched tokens themselves are
    left out, so the cosine compares the words around the theme, not the fact
    that both name it. Contexts are projected into the documents' TF-IDF space;
    with ``stopwords="drop"`` (default, as notebook 03 shows them) that space leaves
    the display stopwords out, so that the words around a theme are compared,
    not the function words every sentence has.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    by : str, default "dyad"
        Document variable whose groups are compared (``dyad``, ``year``, ``kind``,
        ``outlet``, ``document`` or another corpus.csv column); at most
        :data:`MAX_PAIRWISE` groups.
    unit : {"lower", "stem"}, default "lower"
        Lowercase word forms or their Snowball stems.
    drop_hits : bool, default True
        Leave the theme's matched tokens out of its contexts.
    stopwords : {"drop", "keep"}, default "drop"
        ``drop`` leaves the display stopwords out of the space.

    Returns
    -------
    pandas.DataFrame
        One row per theme and pair of distinct groups (themes.yml order):
        ``theme``, ``a``, ``b`` (groups, a before b in corpus order),
        ``cosine`` (NaN when a group has no hit of the theme: undefined, not
        0), ``a_sentences``, ``b_sentences`` (context sizes: a cosine over a
        sentence or two is anecdote, not pattern).
    """
    space = _Space(corpus, unit, stopwords)
    tokens = corpus.tokens
    hits = corpus.hits
    groups = corpus.groups(by)
    names = list(dict.fromkeys(groups))
    if len(names) > MAX_PAIRWISE:
        raise RhetoricInputError(
            f"by={by!r}: {len(names)} groups are too many pairs (at most {MAX_PAIRWISE}); "
            "group more coarsely"
        )
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
    for t, theme in enumerate(corpus.themes):
        in_theme = theme_codes == t
        keys = np.unique(sentence_of_token[first[in_theme]])  # the context sentences
        members = _ranges(sentence_bounds[keys], sentence_bounds[keys + 1])  # their tokens
        keep = np.ones(len(members), dtype=bool)
        if drop_hits:
            hit_tokens = _ranges(first[in_theme], first[in_theme] + lengths[in_theme])
            is_hit[hit_tokens] = True
            keep &= ~is_hit[members]
            is_hit[hit_tokens] = False
        members = members[keep]
        _names, counts = space.counts_of(corpus, by=by, rows=members)
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


def distinctive_terms(
    corpus: Corpus, *, top: int = 8, stopwords: Stopwords = "drop"
) -> pd.DataFrame:
    """The terms with the highest TF-IDF weight in each document (its most distinctive words).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    top : int, default 8
        Terms per document.
    stopwords : {"drop", "keep"}, default "drop"
        ``drop`` leaves the display stopwords out of the space and the list.

    Returns
    -------
    pandas.DataFrame
        ``document``, ``term`` (lowercase word form), ``tfidf`` (weight in the
        document's L2-normed vector), ``count`` (occurrences in the document),
        ``rank`` (1 = highest weight); at most ``top`` rows per document (corpus
        order), ties broken alphabetically. Display stopwords are left out by
        default.
    """
    space = _Space(corpus, "lower", stopwords)
    counts = corpus.dfm(unit="lower", stopwords=stopwords).counts[:, space.columns].tocsr()
    rows = []
    for i, name in enumerate(space.names):
        row = space.matrix.getrow(i)
        order = sorted(
            zip(row.indices, row.data, strict=True), key=lambda x: (-x[1], space.vocabulary[x[0]])
        )[:top]
        for rank, (j, weight) in enumerate(order, start=1):
            rows.append((name, space.vocabulary[j], float(weight), int(counts[i, j]), rank))
    return pd.DataFrame(rows, columns=["document", "term", "tfidf", "count", "rank"])
