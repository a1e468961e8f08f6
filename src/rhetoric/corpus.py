""":mod:`rhetoric.corpus`: the arithmetic of the token table, in one place.

The token table (:attr:`rhetoric.pipeline.Processed.tokens`) holds one row
per word token, documents one after the other in corpus order, tokens in text
order within each. Measures find documents, sentences, theme hits and groups
in it through these functions:

- :func:`codes`: the integer codes of a categorical column;
- :func:`document_offsets`: the row where each document starts;
- :func:`sentence_ids`: one number per (document, sentence), in table order;
- :func:`hit_rows`: the row of each hit's first token;
- :func:`ngram_features`: every n-gram of some orders within sentences, as codes;
- :func:`document_groups`, :func:`token_groups`, :func:`resolve_group`: the
  groups that ``by`` names (document, dyad, year, kind, outlet, corpus, or
  any other corpus.csv column).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rhetoric.errors import RhetoricInputError

__all__ = [
    "categorical",
    "codes",
    "document_groups",
    "document_offsets",
    "hit_rows",
    "ngram_features",
    "parse_ngrams",
    "resolve_group",
    "sentence_ids",
    "token_groups",
]

#: corpus.csv columns that are not document variables to group by.
_NOT_GROUPS = ("text", "parties", "sha256", "file")
#: Columns offered in the error message besides the extra corpus.csv columns.
_NAMED_GROUPS = ("document", "dyad", "year", "kind", "outlet", "corpus")
_DESCRIPTIVE = ("id", "dyad", "year", "kind", "outlet", "title", "date", "url", "language",
                "dyad_label", "reprint_of")  # fmt: skip


def categorical(values_codes, categories) -> pd.Categorical:
    """A categorical from integer codes over string categories (kept as Python strings)."""
    return pd.Categorical.from_codes(values_codes, categories=pd.Index(categories, dtype=object))


def codes(column: pd.Series) -> np.ndarray:
    """The integer codes of a categorical column, as a NumPy array."""
    return column.cat.codes.to_numpy()


def document_offsets(tokens: pd.DataFrame) -> np.ndarray:
    """Row of the first token of each document, then the number of rows (length documents + 1)."""
    documents = len(tokens["document"].cat.categories)
    return np.searchsorted(codes(tokens["document"]), np.arange(documents + 1))


#: The longest n-gram asked for.
MAX_NGRAM = 5


def parse_ngrams(value: int | str | tuple[int, int]) -> tuple[int, int]:
    """``2``, ``"1-3"`` or ``(1, 3)`` as (lowest, highest) order; raise on anything else."""
    if isinstance(value, tuple):
        low, high = value
    elif isinstance(value, int) or str(value).strip().isdigit():
        low = high = int(value)
    else:
        parts = str(value).split("-")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise RhetoricInputError(f"--ngrams {value!r}: give N or N-M, such as 2 or 1-3")
        low, high = (int(p) for p in parts)
    if not 1 <= low <= high <= MAX_NGRAM:
        raise RhetoricInputError(
            f"--ngrams {value!r}: orders from 1 to {MAX_NGRAM}, the lower first (such as 1-3)"
        )
    return low, high


def _ngrams_of_order(tokens: pd.DataFrame, unit: str, n: int):
    """(feature codes, first rows, names in code order) of the n-grams of order ``n``."""
    base = codes(tokens[unit]).astype(np.int64)
    words = np.asarray(tokens[unit].cat.categories, dtype=object)
    if n == 1:
        return base, np.arange(len(base)), words
    sentences = sentence_ids(tokens)
    starts = np.flatnonzero(sentences[: len(base) - n + 1] == sentences[n - 1 :])
    combined = base[starts]
    for k in range(1, n):  # one number per distinct n-gram, kept small: no overflow at any n
        combined = np.unique(combined * max(len(words), 1) + base[starts + k],
                             return_inverse=True)[1].astype(np.int64)  # fmt: skip
    first = np.full(int(combined.max()) + 1 if len(combined) else 0, -1, dtype=np.int64)
    first[combined[::-1]] = starts[::-1]  # the first occurrence of each n-gram
    names = np.asarray([" ".join(words[base[row : row + n]]) for row in first], dtype=object)
    order = np.argsort(names, kind="stable")  # codes in alphabetical order of the n-grams
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[combined], starts, names[order]


def ngram_features(
    tokens: pd.DataFrame, unit: str = "lower", ngrams: int | str | tuple[int, int] = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every n-gram of the orders ``ngrams`` (``2``, ``"1-3"``), within sentences (the words of
    an n-gram are consecutive word tokens of one sentence), as quanteda's ``tokens_ngrams``
    forms them: ``(feature codes, row of each occurrence's first token, feature names)``,
    the names joined by a space (``mutual trust``). Order 1 gives the tokens themselves."""
    low, high = parse_ngrams(ngrams)
    features, rows, names, offset = [], [], [], 0
    for n in range(low, high + 1):
        codes_n, rows_n, names_n = _ngrams_of_order(tokens, unit, n)
        features.append(codes_n + offset)
        rows.append(rows_n)
        names.append(names_n)
        offset += len(names_n)
    return np.concatenate(features), np.concatenate(rows), np.concatenate(names)


def sentence_ids(tokens: pd.DataFrame) -> np.ndarray:
    """For each token, a number for its (document, sentence), counting from 0 in table order
    (32-bit integers while the table has fewer than 2**31 rows)."""
    doc, sentence = codes(tokens["document"]), tokens["sentence"].to_numpy()
    change = np.ones(len(doc), dtype=bool)
    change[1:] = (doc[1:] != doc[:-1]) | (sentence[1:] != sentence[:-1])
    return np.cumsum(change, dtype=np.int32 if len(doc) < 2**31 else np.int64) - 1


def hit_rows(tokens: pd.DataFrame, hits: pd.DataFrame) -> np.ndarray:
    """Row in ``tokens`` of the first token of each hit (a table with ``document`` and
    ``position``, as :func:`rhetoric.text.themes.match_themes` returns)."""
    if hits.empty:
        return np.zeros(0, dtype=np.int64)
    offsets = document_offsets(tokens)
    return offsets[codes(hits["document"])] + hits["position"].to_numpy()


def document_groups(processed, by: str = "document") -> pd.Series:
    """The group of each document (index: document id; values: group name as text)."""
    corpus = processed.corpus
    if by == "document":
        values = corpus["id"]
    elif by == "corpus":
        values = pd.Series(["corpus"] * len(corpus))
    elif by in corpus.columns and by not in _NOT_GROUPS:
        values = corpus[by].astype(str)
    else:
        extra = [c for c in corpus.columns if c not in (*_NOT_GROUPS, *_DESCRIPTIVE)]
        raise RhetoricInputError(
            f"--by {by!r}: not a document variable (use one of {', '.join([*_NAMED_GROUPS, *extra])})"
        )
    return pd.Series(values.astype(str).to_numpy(), index=corpus["id"].to_numpy(), name="group")


def token_groups(processed, by: str) -> tuple[np.ndarray, list[str]]:
    """Group code of every token, and the group names (in order of first appearance)."""
    groups = document_groups(processed, by)
    names = list(dict.fromkeys(groups))
    code_of = {name: i for i, name in enumerate(names)}
    doc_to_group = np.asarray([code_of[g] for g in groups], dtype=np.int32)
    return doc_to_group[codes(processed.tokens["document"])], names


def _folded(label: str) -> str:
    return label.casefold().replace("–", "-").replace(" ", "")


def resolve_group(processed, by: str, name: str) -> str:
    """Find a group by its name, or (for dyads) by its chart label ("US–Russia", "us-russia")."""
    groups = document_groups(processed, by)
    names = list(dict.fromkeys(groups))
    if name in names:
        return name
    for candidate in names:
        labels = {candidate}
        if by == "dyad":
            labels.add(processed.parties.label(candidate))
        if any(_folded(label) == _folded(name) for label in labels):
            return candidate
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    raise RhetoricInputError(f"group {name!r} is not a {by} in this corpus (there are: {shown})")
