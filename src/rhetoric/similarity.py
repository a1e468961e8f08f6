""":mod:`rhetoric.similarity`: TF-IDF cosine similarity of documents, themes and theme contexts.

One vector space for all three comparisons: scikit-learn's
:class:`~sklearn.feature_extraction.text.TfidfVectorizer` fitted on the
cleaned documents, with the project's tokens (``analyzer`` = the word tokens
already made by :mod:`rhetoric.tokens`, lowercased; no stopword removal, no
minimum length, so "we" and "no" count) and scikit-learn's weighting at its
documented defaults:

- tf = raw count (``sublinear_tf=False``);
- idf(t) = ln((1 + n) / (1 + df(t))) + 1 (``smooth_idf=True``), n = documents;
- each vector divided by its L2 norm (``norm="l2"``), so cosine = dot product.

Themes and contexts are projected into that space with ``transform``: words
that occur in no document have no dimension there. With ``stopwords=True``
the project's display stopwords (function words; pronouns, modals and
negations are kept) are left out of the space, so that shared function words
do not make texts look alike.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from rhetoric.errors import RhetoricInputError
from rhetoric.measures import _hit_token_index, display_stopwords, document_groups

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

#: Written into every output's docs; the vectorizer is built from exactly these.
TFIDF_PARAMETERS = {"norm": "l2", "use_idf": True, "smooth_idf": True, "sublinear_tf": False}
#: Above this many groups a full pairwise table is refused (ask for fewer groups with --by).
MAX_PAIRWISE = 2000
Unit = Literal["lower", "stem"]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def tfidf_vectorizer() -> TfidfVectorizer:
    """A TfidfVectorizer over pre-tokenized documents (lists of strings), weighting as documented."""
    return TfidfVectorizer(analyzer=_identity, **TFIDF_PARAMETERS)


def document_texts(
    processed, *, by: str = "document", unit: Unit = "lower", mask=None
) -> dict[str, list[str]]:
    """The tokens of each group as one list (groups in corpus order); ``mask`` selects tokens."""
    tokens = processed.tokens
    column = tokens[unit]
    groups = document_groups(processed, by)
    doc_codes = tokens["document"].cat.codes.to_numpy()
    group_names = list(dict.fromkeys(groups))
    group_of_doc = np.asarray([group_names.index(g) for g in groups])
    token_group = group_of_doc[doc_codes] if len(doc_codes) else np.zeros(0, int)
    categories = np.asarray(column.cat.categories, dtype=object)
    codes = column.cat.codes.to_numpy()
    if mask is not None:
        codes, token_group = codes[mask], token_group[mask]
    order = np.argsort(token_group, kind="stable")
    bounds = np.searchsorted(token_group[order], np.arange(len(group_names) + 1))
    return {
        name: categories[codes[order[bounds[g] : bounds[g + 1]]]].tolist()
        for g, name in enumerate(group_names)
    }


def _content_mask(processed, stopwords: bool):
    if not stopwords:
        return None
    lower = processed.tokens["lower"]
    hidden = np.flatnonzero(lower.cat.categories.isin(list(display_stopwords())))
    return ~np.isin(lower.cat.codes.to_numpy(), hidden)


def _fit(
    processed, unit: Unit, stopwords: bool = False
) -> tuple[TfidfVectorizer, list[str], object]:
    docs = document_texts(processed, unit=unit, mask=_content_mask(processed, stopwords))
    if not any(docs.values()):
        raise RhetoricInputError("similarity: the corpus has no word tokens after cleaning")
    vectorizer = tfidf_vectorizer()
    matrix = vectorizer.fit_transform(list(docs.values()))
    return vectorizer, list(docs), matrix


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
    vectorizer, _, matrix = _fit(processed, unit, stopwords)
    if by == "document":
        names = list(processed.corpus["id"])
    else:
        groups = document_texts(
            processed, by=by, unit=unit, mask=_content_mask(processed, stopwords)
        )
        names, matrix = list(groups), vectorizer.transform(list(groups.values()))
    return _pairs(names, matrix, kind=by)


def _theme_documents(processed, vectorizer: TfidfVectorizer, unit: Unit) -> dict[str, list[str]]:
    """Each theme's lexicon as a document: its words, globs expanded to the corpus words they match."""
    from rhetoric.themes import compile_term

    vocabulary = list(vectorizer.vocabulary_)
    stems_of = {}
    if unit == "lower":
        from rhetoric.tokens import stem

        for word in vocabulary:
            stems_of.setdefault(stem(word), []).append(word)
    out = {}
    for theme in processed.themes:
        words: list[str] = []
        for term in theme.terms:
            for kind, value in compile_term(term):
                if kind == "prefix":
                    words.extend(w for w in vocabulary if w.startswith(value))
                elif unit == "stem":
                    words.append(value)
                else:
                    words.extend(stems_of.get(value, []))
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
    vectorizer, names, matrix = _fit(processed, unit, stopwords)
    lexicons = _theme_documents(processed, vectorizer, unit)
    lexicons = {k: sorted(set(v)) for k, v in lexicons.items()}
    theme_matrix = vectorizer.transform(list(lexicons.values()))
    cosine = (matrix @ theme_matrix.T).toarray()
    rows = [
        (doc, theme, float(np.clip(cosine[i, j], 0, 1)), len(lexicons[theme]))
        for i, doc in enumerate(names)
        for j, theme in enumerate(lexicons)
    ]
    return pd.DataFrame(rows, columns=["document", "theme", "cosine", "lexicon_words"])


def context_similarity(
    processed,
    *,
    by: str = "dyad",
    unit: Unit = "lower",
    drop_hits: bool = True,
    stopwords: bool = False,
) -> pd.DataFrame:
    """How alike groups frame each theme: cosine between the groups' theme contexts.

    For each theme and group, the sentences holding a hit of that theme are
    pooled into one context document (a sentence counts once even with two
    hits). With ``drop_hits`` (default) the matched tokens themselves are
    left out, so the cosine compares the words around the theme, not the fact
    that both name it. Contexts are projected into the documents' TF-IDF space.

    Returns
    -------
    DataFrame
        ``theme``, ``a``, ``b`` (groups, a before b in corpus order),
        ``cosine`` (NaN when a group has no hit of the theme: undefined, not
        0), ``a_sentences``, ``b_sentences`` (context sizes: a cosine over a
        sentence or two is anecdote, not pattern).
    """
    vectorizer, _, _ = _fit(processed, unit, stopwords)
    content = _content_mask(processed, stopwords)
    tokens = processed.tokens
    hits = processed.hits
    groups = document_groups(processed, by)
    names = list(dict.fromkeys(groups))
    if len(names) > MAX_PAIRWISE:
        raise RhetoricInputError(
            f"similarity: {len(names)} groups are too many pairs; use a coarser --by"
        )
    doc_codes = tokens["document"].cat.codes.to_numpy().astype(np.int64)
    sentence = tokens["sentence"].to_numpy().astype(np.int64)
    stride = int(sentence.max()) + 1 if len(sentence) else 1
    key = doc_codes * stride + sentence  # one number per (document, sentence)
    group_of_doc = groups.to_numpy()
    first = _hit_token_index(processed)
    lengths = hits["n_tokens"].to_numpy() if len(hits) else np.zeros(0, np.int64)
    rows = []
    for theme in processed.themes:
        in_theme = (hits["theme"] == theme.id).to_numpy() if len(hits) else np.zeros(0, bool)
        keys = np.unique(key[first[in_theme]])
        mask = np.isin(key, keys)
        if content is not None:
            mask &= content
        if drop_hits:
            for start, length in zip(first[in_theme], lengths[in_theme], strict=True):
                mask[start : start + length] = False
        contexts = document_texts(processed, by=by, unit=unit, mask=mask)
        sentences = pd.Series(group_of_doc[keys // stride]).value_counts().to_dict()
        matrix = vectorizer.transform([contexts.get(name, []) for name in names])
        cosine = (matrix @ matrix.T).toarray()
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                a_n, b_n = sentences.get(names[i], 0), sentences.get(names[j], 0)
                value = float(np.clip(cosine[i, j], 0, 1)) if a_n and b_n else np.nan
                rows.append((theme.id, names[i], names[j], value, a_n, b_n))
    frame = pd.DataFrame(rows, columns=["theme", "a", "b", "cosine", "a_sentences", "b_sentences"])
    return frame.astype({"cosine": "float64", "a_sentences": "int64", "b_sentences": "int64"})


def distinctive_terms(processed, *, top: int = 8, stopwords: bool = True) -> pd.DataFrame:
    """The terms with the highest TF-IDF weight in each document (its most distinctive words).

    Returns
    -------
    DataFrame
        ``document``, ``term``, ``tfidf`` (weight in the document's L2-normed
        vector), ``count``, ``rank``; ``top`` rows per document, ties broken
        alphabetically. Display stopwords are left out by default.
    """
    vectorizer, names, matrix = _fit(processed, "lower", stopwords)
    vocabulary = np.asarray(vectorizer.get_feature_names_out(), dtype=object)
    docs = document_texts(processed, mask=_content_mask(processed, stopwords))
    rows = []
    for i, name in enumerate(names):
        row = matrix.getrow(i)
        order = sorted(
            zip(row.indices, row.data, strict=True), key=lambda x: (-x[1], vocabulary[x[0]])
        )[:top]
        counts = pd.Series(docs[name]).value_counts() if docs[name] else pd.Series(dtype=int)
        for rank, (j, weight) in enumerate(order, start=1):
            rows.append(
                (name, vocabulary[j], float(weight), int(counts.get(vocabulary[j], 0)), rank)
            )
    return pd.DataFrame(rows, columns=["document", "term", "tfidf", "count", "rank"])
