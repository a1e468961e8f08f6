""":mod:`rhetoric.corpus`: the analysed corpus (:class:`Corpus`) and its arithmetic, in one place.

A :class:`Corpus` is what the text stages make of a data folder
(:func:`rhetoric.pipeline.process_corpus`): the documents, their cleaned texts,
the token, sentence and theme-hit tables, and what was checked on the way. Every
measure takes one. Its token table holds one row per word token, documents one
after the other in corpus order, tokens in text order within each; measures find
documents, sentences, theme hits and groups in it through:

- :func:`codes`: the integer codes of a categorical column;
- :meth:`Corpus.document_offsets`: the row where each document starts;
- :meth:`Corpus.sentence_ids`: one number per (document, sentence), in table order;
- :meth:`Corpus.hit_rows`: the row of each hit's first token;
- :meth:`Corpus.groups`, :meth:`Corpus.token_groups`, :meth:`Corpus.resolve_group`:
  the groups that ``by`` names (document, dyad, year, kind, outlet, corpus, or
  any other corpus.csv column);
- :meth:`Corpus.select`: the corpus cut to some documents;
- :meth:`Corpus.dfm`: the one documents (or groups) × terms count matrix that
  term frequencies, keyness, similarity and the ``rhetoric dfm`` export use.

The functions of the same names taking a token table (:func:`document_offsets`,
:func:`sentence_ids`, :func:`hit_rows`) serve a part of a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from rhetoric.data.kinds import DEFAULT_KINDS, Kinds
from rhetoric.errors import RhetoricInputError
from rhetoric.store import arrow, cache
from rhetoric.text.clean import AUDIT_COLUMNS
from rhetoric.text.stopwords import stopword_terms
from rhetoric.text.themes import HIT_COLUMNS
from rhetoric.text.tokens import word_spans

if TYPE_CHECKING:
    from scipy import sparse

    from rhetoric.data.parties import Parties
    from rhetoric.text.themes import Theme

__all__ = [
    "TABLES",
    "Corpus",
    "Stopwords",
    "TermMatrix",
    "Unit",
    "categorical",
    "codes",
    "corpus_table",
    "count_matrix",
    "document_groups",
    "document_offsets",
    "hit_rows",
    "ngram_features",
    "parse_ngrams",
    "parse_where",
    "removal_summary",
    "resolve_group",
    "sentence_ids",
    "where_mask",
]

#: What a term is: a lowercase word form, or its Snowball stem.
Unit = Literal["lower", "stem"]
#: Whether the display stopwords (:mod:`rhetoric.text.stopwords`) are kept or left out.
Stopwords = Literal["keep", "drop"]
VOICES = ("narration", "quoted")
#: The fields of a :class:`Corpus` that are tables (:meth:`Corpus.to_arrow`).
TABLES = ("documents", "cleaned", "audit", "tokens", "sentences", "hits", "reprints", "warnings")
#: The columns of the tables whose columns are fixed, and the kind of each (``category``,
#: or NumPy's kind letters: ``i`` integers, ``b`` booleans, ``f`` floats; None: any),
#: which :meth:`Corpus.from_arrow` checks (the hits and the audit by name only: an empty
#: table's columns have no kind to check).
_LAYOUT = {
    "cleaned": {"id": None, "text": None},
    "warnings": {"warning": None},
    "tokens": {"document": "category", "position": "i", "sentence": "i", "paragraph": "i",
               "start": "i", "end": "i", "lower": "category", "stem": "category",
               "voice": "category", "after_punct": "b"},
    "sentences": {"document": "category", "sentence": "i", "start": "i", "end": "i",
                  "tokens": "i"},
    "hits": dict.fromkeys(HIT_COLUMNS),
    "audit": dict.fromkeys(AUDIT_COLUMNS),
}  # fmt: skip

#: corpus.csv columns that are not document variables to group by.
_NOT_GROUPS = ("text", "parties", "sha256", "file")
#: Columns offered in the error message besides the extra corpus.csv columns.
_NAMED_GROUPS = ("document", "dyad", "year", "kind", "outlet", "outlet_type", "corpus")
_DESCRIPTIVE = ("id", "dyad", "year", "kind", "outlet", "outlet_type", "title", "date", "url",
                "language", "dyad_label", "reprint_of", "reprint_declared")  # fmt: skip


def categorical(values_codes, categories) -> pd.Categorical:
    """A categorical from integer codes over string categories (kept as Python strings).

    Parameters
    ----------
    values_codes : array of int
        Each value's index into ``categories`` (-1 for a missing value).
    categories : sequence of str
        The categories, in code order.

    Returns
    -------
    pandas.Categorical
        Its categories an ``object`` index, as every categorical of a :class:`Corpus`.
    """
    return pd.Categorical.from_codes(values_codes, categories=pd.Index(categories, dtype=object))


def codes(column: pd.Series) -> np.ndarray:
    """The integer codes of a categorical column, as a NumPy array.

    Parameters
    ----------
    column : pandas.Series
        A categorical column.

    Returns
    -------
    numpy.ndarray
        One code per row (-1 for a missing value), in the column's own integer type.
    """
    return column.cat.codes.to_numpy()


def document_offsets(tokens: pd.DataFrame) -> np.ndarray:
    """Row of the first token of each document, then the number of rows.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A token table (:attr:`Corpus.tokens`), in document order.

    Returns
    -------
    numpy.ndarray
        Length documents + 1: the rows of document ``i`` are ``offsets[i]:offsets[i + 1]``
        (documents in the order of the ``document`` categories).
    """
    documents = len(tokens["document"].cat.categories)
    return np.searchsorted(codes(tokens["document"]), np.arange(documents + 1))


#: The longest n-gram asked for.
MAX_NGRAM = 5


def parse_ngrams(value: int | str | tuple[int, int]) -> tuple[int, int]:
    """``2``, ``"1-3"`` or ``(1, 3)`` as (lowest, highest) order; raise on anything else.

    Parameters
    ----------
    value : int, str or tuple of int
        One order (``2``, ``"2"``), a range (``"1-3"``), or (lowest, highest).

    Returns
    -------
    tuple of int
        (lowest, highest), each from 1 to :data:`MAX_NGRAM`.

    Raises :class:`~rhetoric.errors.RhetoricInputError` naming ``ngrams`` otherwise.
    """
    if isinstance(value, tuple):
        low, high = value
    elif isinstance(value, int) or str(value).strip().isdigit():
        low = high = int(value)
    else:
        parts = str(value).split("-")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise RhetoricInputError(f"ngrams={value!r}: give N or N-M, such as 2 or 1-3")
        low, high = (int(p) for p in parts)
    if not 1 <= low <= high <= MAX_NGRAM:
        raise RhetoricInputError(
            f"ngrams={value!r}: orders from 1 to {MAX_NGRAM}, the lower first (such as 1-3)"
        )
    return low, high


def _ngrams_of_order(tokens: pd.DataFrame, unit: str, n: int):
    """(feature codes, first rows, names in code order) of the n-grams of order ``n``."""
    words = np.asarray(tokens[unit].cat.categories, dtype=object)
    if n == 1:  # the tokens themselves: their codes as stored, each its own first row
        rows = np.arange(len(tokens), dtype=np.int32 if len(tokens) < 2**31 else np.int64)
        return codes(tokens[unit]), rows, words
    base = codes(tokens[unit]).astype(np.int64)
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
    the names joined by a space (``mutual trust``). Order 1 gives the tokens themselves.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A token table (:attr:`Corpus.tokens`).
    unit : {"lower", "stem"}, default "lower"
        The token column whose words make the n-grams.
    ngrams : int, str or tuple of int, default 1
        The orders (:func:`parse_ngrams`).

    Returns
    -------
    tuple of numpy.ndarray
        ``(features, rows, names)``: one feature code and one token row (its first word)
        per n-gram occurrence, and the feature names by code. Within one order, codes
        follow the alphabetical order of the names (order 1: the codes of the ``unit``
        categories); several orders are numbered one after the other, lowest first.
    """
    low, high = parse_ngrams(ngrams)
    if low == high:  # one order: its arrays as they are
        return _ngrams_of_order(tokens, unit, low)
    features, rows, names, offset = [], [], [], 0
    for n in range(low, high + 1):
        codes_n, rows_n, names_n = _ngrams_of_order(tokens, unit, n)
        features.append(codes_n.astype(np.int64) + offset)
        rows.append(rows_n)
        names.append(names_n)
        offset += len(names_n)
    return np.concatenate(features), np.concatenate(rows), np.concatenate(names)


def sentence_ids(tokens: pd.DataFrame) -> np.ndarray:
    """For each token, a number for its (document, sentence), counting from 0 in table order
    (32-bit integers while the table has fewer than 2**31 rows).

    Parameters
    ----------
    tokens : pandas.DataFrame
        A token table (:attr:`Corpus.tokens`).

    Returns
    -------
    numpy.ndarray
        One id per token row; it grows by 1 where the document or the sentence changes.
    """
    doc, sentence = codes(tokens["document"]), tokens["sentence"].to_numpy()
    change = np.ones(len(doc), dtype=bool)
    change[1:] = (doc[1:] != doc[:-1]) | (sentence[1:] != sentence[:-1])
    return np.cumsum(change, dtype=np.int32 if len(doc) < 2**31 else np.int64) - 1


def hit_rows(tokens: pd.DataFrame, hits: pd.DataFrame) -> np.ndarray:
    """Row in ``tokens`` of the first token of each hit.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A token table (:attr:`Corpus.tokens`) holding every token of the hits' documents.
    hits : pandas.DataFrame
        Hits with ``document`` (categorical, the categories of ``tokens["document"]``)
        and ``position`` (index of the first word token within the document), as
        :func:`rhetoric.text.themes.match_themes` returns them.

    Returns
    -------
    numpy.ndarray
        One row number of ``tokens`` per hit, in the order of ``hits``.
    """
    if hits.empty:
        return np.zeros(0, dtype=np.int64)
    offsets = document_offsets(tokens)
    return offsets[codes(hits["document"])] + hits["position"].to_numpy()


def document_groups(documents: pd.DataFrame, by: str = "document") -> pd.Series:
    """The group of each document.

    Parameters
    ----------
    documents : DataFrame
        :attr:`Corpus.documents`, or :func:`rhetoric.data.folder.load_corpus` output.
    by : str
        ``document`` (its id), ``corpus`` (one group), or a document variable:
        ``dyad``, ``year``, ``kind``, ``outlet`` or any other corpus.csv column.

    Returns
    -------
    Series
        Index: document id; values: group name as text; named ``group``.

    Raises :class:`~rhetoric.errors.RhetoricInputError` naming ``by`` when it is not a
    document variable.
    """
    if by == "document":
        values = documents["id"]
    elif by == "corpus":
        values = pd.Series(["corpus"] * len(documents))
    elif by in documents.columns and by not in _NOT_GROUPS:
        values = documents[by].astype(str)
    else:
        extra = [c for c in documents.columns if c not in (*_NOT_GROUPS, *_DESCRIPTIVE)]
        usable = ", ".join([*_NAMED_GROUPS, *extra])
        raise RhetoricInputError(f"by={by!r}: not a document variable (use one of {usable})")
    return pd.Series(values.astype(str).to_numpy(), index=documents["id"].to_numpy(),
                     name="group")  # fmt: skip


def resolve_group(documents: pd.DataFrame, by: str, name: str, parties: Parties) -> str:
    """A group of :func:`document_groups` by its name, or (for dyads) by its chart label
    (``"US–Russia"``, ``"us-russia"``, from ``parties``).

    Parameters
    ----------
    documents : pandas.DataFrame
        The document table (:attr:`Corpus.documents`).
    by : str
        The document variable of the groups (:func:`document_groups`).
    name : str
        A group name, or for ``by="dyad"`` a dyad's label; labels compare without
        case, spaces or the difference between "–" and "-".
    parties : Parties
        The party codes and names that make dyad labels.

    Returns
    -------
    str
        The group's name as :func:`document_groups` gives it.

    Raises :class:`~rhetoric.errors.RhetoricInputError` listing the groups there are.
    """
    names = list(dict.fromkeys(document_groups(documents, by)))
    if name in names:
        return name
    for candidate in names:
        labels = {candidate}
        if by == "dyad":
            labels.add(parties.label(candidate))
        if any(_folded(label) == _folded(name) for label in labels):
            return candidate
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    there = f"there are: {shown}" if names else "the corpus has no documents"
    raise RhetoricInputError(f"group {name!r} is not a {by} in this corpus ({there})")


def count_matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], dtype=np.float64):
    """A sparse (CSR) count matrix of ``shape`` with one count per (row, column) pair given,
    in canonical form (sorted indices, no duplicates).

    Parameters
    ----------
    rows, cols : numpy.ndarray of int
        The row and the column of each occurrence (same length).
    shape : tuple of int
        (rows, columns) of the matrix.
    dtype : numpy dtype, default numpy.float64
        The type of the counts.

    Returns
    -------
    scipy.sparse.csr_matrix
        Cell (i, j): how many times (i, j) occurs in ``rows`` and ``cols``.
    """
    from scipy import sparse

    # cell keys row * columns + column, in 32-bit integers when they fit (half the memory)
    wide = np.int32 if shape[0] * shape[1] < 2**31 else np.int64
    keys = rows.astype(wide, copy=False) * shape[1] + cols.astype(wide, copy=False)
    if shape[0] * shape[1] <= 5_000_000:  # few rows: count densely, then compress
        dense = np.bincount(keys, minlength=shape[0] * shape[1]).reshape(shape)
        return sparse.csr_matrix(dense.astype(dtype))
    # many rows: sort the keys once; equal keys are one cell and its count
    keys.sort()
    firsts = np.flatnonzero(np.diff(keys, prepend=-1))
    cells = keys[firsts].astype(np.int64)
    counts = np.diff(np.append(firsts, len(keys))).astype(dtype)
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(cells // shape[1], minlength=shape[0]), out=indptr[1:])
    return sparse.csr_matrix((counts, cells % shape[1], indptr), shape=shape)


@dataclass(frozen=True)
class TermMatrix:
    """Counts of terms in the rows of a corpus (documents or groups): :meth:`Corpus.dfm`.

    Attributes
    ----------
    counts : scipy.sparse.csr_matrix
        Rows × terms, canonical (sorted indices, no duplicates).
    rows : list of str
        Row names: document ids or group names, in corpus order (of first appearance).
    terms : ndarray of str
        Term names (n-grams joined by a space), in :func:`ngram_features` order.
    features : ndarray of int
        Each column's code in :func:`ngram_features` numbering (for words, the code of
        the token table's ``lower`` or ``stem`` category), so that counts of other
        tokens can be laid in the same columns.
    sizes : ndarray of float
        Terms counted in each row (word tokens, for words; the kept ones only).
    """

    counts: sparse.csr_matrix
    rows: list[str]
    terms: np.ndarray
    features: np.ndarray
    sizes: np.ndarray


def _no_reprints() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in _REPRINT_COLUMNS}).astype(
        {"a": object, "b": object, "jaccard": float, "containment": float, "how": object,
         "canonical": object}
    )  # fmt: skip


#: The reprint pairs' columns once settled (:func:`rhetoric.text.reprints.settle`).
_REPRINT_COLUMNS = ("a", "b", "jaccard", "containment", "how", "canonical")


def _folded(label: str) -> str:
    return label.casefold().replace("–", "-").replace(" ", "")


@dataclass(frozen=True)
class Corpus:
    """A corpus as the measures see it: everything the text stages produce for its documents.

    Made by :func:`rhetoric.pipeline.process_corpus` (a data folder) or
    :func:`rhetoric.pipeline.process_dataframe`; frozen, so a selection
    (:meth:`select`) is a new value and never changes the one it came from.

    Attributes
    ----------
    documents : DataFrame
        One row per document, in corpus order: the corpus.csv columns as
        :func:`rhetoric.data.folder.load_corpus` reads them (``id``, ``title``,
        ``date``, ``year``, ``parties``, ``dyad``, ``dyad_label``, ``kind``,
        ``outlet``, ``url``, ``language``, any extra column, and ``text``),
        and ``reprint_of`` (the canonical id of its reprint cluster, or ""; when
        corpus.csv declares reprints, its own values are in ``reprint_declared``).
    cleaned : Series
        Cleaned text by document id.
    audit : DataFrame
        Removed spans (see :func:`rhetoric.text.clean.clean_corpus`).
    tokens : DataFrame
        One row per word token, in document then text order: ``document``
        (categorical, corpus order), ``position`` (index within the document),
        ``sentence``, ``paragraph`` (0-based within the document), ``start``,
        ``end`` (character offsets into the cleaned text), ``lower``, ``stem``
        (categorical), ``voice`` (``narration`` or ``quoted``), ``after_punct``.
    sentences : DataFrame
        One row per sentence: ``document``, ``sentence``, ``start``, ``end``,
        ``tokens`` (word tokens in it).
    themes : tuple of Theme
    hits : DataFrame
        Theme hits (see :func:`rhetoric.text.themes.match_themes`).
    parties : Parties
    data_dir : Path
    key : str
        Cache key of these tables: a hash of every input file and of the code
        that made them (see :func:`rhetoric.store.cache.key`); a measure memoised by
        its caller is keyed by it.
    tokenized : int
        Documents tokenized when this value was made (the rest came from the cache).
    reprints : DataFrame
        Near-duplicate pairs of the whole corpus (reprints dropped or not):
        ``a``, ``b``, ``jaccard``, ``containment`` (NaN for a pair declared by hand and
        not found), ``how`` (``detected`` or ``declared``), ``canonical`` (the cluster's
        canonical document); see :func:`rhetoric.text.reprints.settle`.
    warnings : tuple of str
        What cleaning reports (a document losing more than half its words).
    kinds : Kinds
        The kinds of document, as primary texts and coverage (the data folder's
        kinds.yml, :mod:`rhetoric.data.kinds`).
    """

    documents: pd.DataFrame
    cleaned: pd.Series
    audit: pd.DataFrame
    tokens: pd.DataFrame
    sentences: pd.DataFrame
    themes: tuple[Theme, ...]
    hits: pd.DataFrame
    parties: Parties
    data_dir: Path
    key: str = ""
    tokenized: int = field(default=0, compare=False)
    reprints: pd.DataFrame = field(default_factory=_no_reprints, compare=False)
    warnings: tuple[str, ...] = ()
    kinds: Kinds = DEFAULT_KINDS
    #: Arrays derived from the token table, computed once per value (a selection or any
    #: other replace() starts with an empty one).
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def languages(self) -> dict[str, str]:
        """Each document's language (ISO 639, as corpus.csv gives it; ``en`` when it gives
        none), by id, in corpus order."""
        documents = self.documents
        if "language" not in documents:
            return dict.fromkeys(documents["id"], "en")
        return {d: str(lang or "en") for d, lang in zip(documents["id"], documents["language"],
                                                        strict=True)}  # fmt: skip

    # -- where things are in the token table ----------------------------------------------
    def document_offsets(self) -> np.ndarray:
        """Row of the first token of each document, then the number of rows.

        Returns
        -------
        numpy.ndarray
            Length documents + 1: the token rows of document ``i`` (corpus order) are
            ``offsets[i]:offsets[i + 1]`` (:func:`document_offsets`).
        """
        return document_offsets(self.tokens)

    def sentence_ids(self) -> np.ndarray:
        """For each token, a number for its (document, sentence), from 0 in table order.

        Returns
        -------
        numpy.ndarray
            One id per row of :attr:`tokens` (:func:`sentence_ids`).
        """
        return sentence_ids(self.tokens)

    def hit_rows(self, hits: pd.DataFrame | None = None) -> np.ndarray:
        """Row of the first token of each hit.

        Parameters
        ----------
        hits : pandas.DataFrame, optional
            Some rows of :attr:`hits` (default: all of them).

        Returns
        -------
        numpy.ndarray
            One row of :attr:`tokens` per hit, in the order of ``hits``.
        """
        return hit_rows(self.tokens, self.hits if hits is None else hits)

    # -- groups ---------------------------------------------------------------------------
    def groups(self, by: str = "document") -> pd.Series:
        """The group of each document (:func:`document_groups` of :attr:`documents`).

        Parameters
        ----------
        by : str, default "document"
            ``document``, ``corpus`` or a document variable (``dyad``, ``year``, ``kind``,
            ``outlet`` or any other corpus.csv column).

        Returns
        -------
        pandas.Series
            Index: document id (corpus order); values: group name as text; named ``group``.
        """
        return document_groups(self.documents, by)

    def token_groups(self, by: str) -> tuple[np.ndarray, list[str]]:
        """Group code of every token (read-only), and the group names (in order of first
        appearance); computed once per value and ``by``.

        Parameters
        ----------
        by : str
            The document variable of the groups (:meth:`groups`).

        Returns
        -------
        tuple
            ``(codes, names)``: a read-only int32 array with one code per row of
            :attr:`tokens`, indexing ``names``, the list of group names.
        """
        key = ("token-groups", by)
        if key not in self._memo:
            groups = self.groups(by)
            names = list(dict.fromkeys(groups))
            code_of = {name: i for i, name in enumerate(names)}
            doc_to_group = np.asarray([code_of[g] for g in groups], dtype=np.int32)
            of_token = doc_to_group[codes(self.tokens["document"])]
            of_token.flags.writeable = False
            self._memo[key] = (of_token, names)
        of_token, names = self._memo[key]
        return of_token, list(names)

    def resolve_group(self, by: str, name: str) -> str:
        """A group by its name or label (:func:`resolve_group` of :attr:`documents`).

        Parameters
        ----------
        by : str
            The document variable of the groups (:meth:`groups`).
        name : str
            A group name, or for ``by="dyad"`` a dyad's label (``"US–Russia"``).

        Returns
        -------
        str
            The group's name as :meth:`groups` gives it.

        Raises :class:`~rhetoric.errors.RhetoricInputError` listing the groups there are.
        """
        return resolve_group(self.documents, by, name, self.parties)

    # -- the one documents (or groups) x terms matrix --------------------------------------
    def dfm(
        self,
        *,
        unit: Unit = "lower",
        ngrams: int | str | tuple[int, int] = 1,
        by: str = "document",
        stopwords: Stopwords = "keep",
        rows: np.ndarray | None = None,
        dtype=np.float64,
    ) -> TermMatrix:
        """Counts of every term (word or n-gram) in each document or group.

        Parameters
        ----------
        unit : {"lower", "stem"}, default "lower"
            Lowercase word forms or Snowball stems.
        ngrams : int, str or tuple of int, default 1
            The orders counted: ``1`` (words), ``2``, or a range ``"1-3"``; n-grams are
            formed within sentences (:func:`ngram_features`).
        by : str, default "document"
            The rows: ``document`` (every document, corpus order) or a document variable
            (:meth:`groups`; its groups in order of first appearance).
        stopwords : {"keep", "drop"}, default "keep"
            ``keep`` every occurrence, or ``drop`` the occurrences whose first or last word
            is a display stopword (:mod:`rhetoric.text.stopwords`), judged on the
            lowercase word forms whatever the unit (``others`` is no stopword though its
            stem is ``other``). Dropped occurrences count in no cell and no size; a term
            none of whose occurrences in the corpus is kept has no column.
        rows : numpy.ndarray of int, optional
            Token rows to count (an n-gram counts when its first token is one of them),
            e.g. the sentences around a theme; default every token. The columns are the
            same whatever the rows.
        dtype : numpy dtype, default numpy.float64
            The type of the counts.

        Returns
        -------
        TermMatrix
            ``counts`` (rows × terms), ``rows``, ``terms``, ``features``, ``sizes``.
        """
        if stopwords not in ("keep", "drop"):
            raise RhetoricInputError(f"stopwords={stopwords!r}: use keep or drop")
        group_of_token, row_names = self.token_groups(by)
        if parse_ngrams(ngrams) == (1, 1):  # words: occurrence i is token i
            term_codes = self._codes(unit)
            names = np.asarray(self.tokens[unit].cat.categories, dtype=object)
            row_codes = group_of_token
        else:
            term_codes, first, names = self._features(unit, ngrams)
            row_codes = group_of_token[first]
        features = np.arange(len(names))
        kept = ~self._stopword_occurrences(unit, ngrams) if stopwords == "drop" else None
        if rows is not None:  # the occurrences that start at those rows
            occurrences = self._occurrences_at(unit, ngrams, rows)
            term_codes, row_codes = term_codes[occurrences], row_codes[occurrences]
            kept = kept[occurrences] if kept is not None else None
        if kept is not None:
            features = self._kept_features(unit, ngrams)
            term_codes, row_codes = term_codes[kept], row_codes[kept]
        column_of = np.full(len(names), -1, dtype=np.int32 if len(names) < 2**31 else np.int64)
        column_of[features] = np.arange(len(features))
        shape = (len(row_names), len(features))
        counts = count_matrix(row_codes, column_of[term_codes], shape, dtype)
        sizes = np.bincount(row_codes, minlength=len(row_names)).astype(np.float64)
        return TermMatrix(counts, row_names, names[features], features, sizes)

    def _codes(self, column: str) -> np.ndarray:
        """The codes of a categorical column of the token table, once per value (read-only)."""
        key = ("codes", column)
        if key not in self._memo:
            found = codes(self.tokens[column])
            found.flags.writeable = False
            self._memo[key] = found
        return self._memo[key]

    def _features(self, unit: Unit, ngrams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`ngram_features` of the token table, computed once per value (read-only);
        words are the token table's own codes, made again each time (kept, they would only
        hold memory)."""
        key = ("features", unit, parse_ngrams(ngrams))
        if key[2] == (1, 1):
            return ngram_features(self.tokens, unit, 1)
        if key not in self._memo:
            found = ngram_features(self.tokens, unit, ngrams)
            for array in found:
                array.flags.writeable = False
            self._memo[key] = found
        return self._memo[key]

    def _occurrences_at(self, unit: Unit, ngrams, rows: np.ndarray) -> np.ndarray:
        """The occurrences of :meth:`_features` whose first token is one of ``rows``, in
        occurrence order."""
        _codes, first, _names = self._features(unit, ngrams)
        wanted = np.asarray(rows, dtype=np.int64)
        if len(wanted) > 1 and not (wanted[1:] > wanted[:-1]).all():
            wanted = np.unique(wanted)  # each row once, in table order
        if parse_ngrams(ngrams) == (1, 1):  # words: occurrence i is token i
            return wanted
        key = ("by-first", unit, parse_ngrams(ngrams))
        if key not in self._memo:  # the occurrences sorted by their first token, once
            order = np.argsort(first, kind="stable")
            self._memo[key] = (order, first[order])
        order, sorted_first = self._memo[key]
        starts = np.searchsorted(sorted_first, wanted, side="left")
        ends = np.searchsorted(sorted_first, wanted, side="right")
        sizes = ends - starts
        if not sizes.sum():
            return np.zeros(0, dtype=np.int64)
        offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes)
        return np.sort(order[offsets + np.arange(int(sizes.sum()))])

    def _kept_features(self, unit: Unit, ngrams) -> np.ndarray:
        """The features with an occurrence that ``stopwords="drop"`` keeps, once per value."""
        key = ("kept-features", unit, parse_ngrams(ngrams))
        if key not in self._memo:
            term_codes, _first, names = self._features(unit, ngrams)
            kept = term_codes[~self._stopword_occurrences(unit, ngrams)]
            self._memo[key] = np.flatnonzero(np.bincount(kept, minlength=len(names)))
        return self._memo[key]

    def _stopword_occurrences(self, unit: Unit, ngrams) -> np.ndarray:
        """Per occurrence of :meth:`_features`: does its first or last word (lowercase form)
        belong to the display stopwords?"""
        key = ("stopwords", unit, parse_ngrams(ngrams))
        if key not in self._memo:
            lower = self.tokens["lower"]
            stop = np.flatnonzero(stopword_terms(np.asarray(lower.cat.categories, dtype=object)))
            is_stop = np.isin(self._codes("lower"), stop)
            if key[2] == (1, 1):  # words: occurrence i is token i
                marked = is_stop
            else:
                term_codes, first, names = self._features(unit, ngrams)
                length = np.asarray([name.count(" ") + 1 for name in names], dtype=np.int64)
                last = first + (length[term_codes] - 1 if len(names) else 0)
                marked = is_stop[first] | is_stop[last]
            marked.flags.writeable = False
            self._memo[key] = marked
        return self._memo[key]

    # -- as Arrow tables (the cache, the export) ----------------------------------------------
    def to_arrow(self, names: tuple[str, ...] = TABLES) -> dict[str, pa.Table]:
        """The corpus's tables (``names``, of :data:`TABLES`) as Arrow tables, by name.

        What the cache stores (:mod:`rhetoric.store.cache`) and ``rhetoric export``
        writes as Parquet: each table's columns as pandas holds them
        (:func:`rhetoric.store.arrow.table`; a categorical is dictionary-encoded);
        ``cleaned`` as the columns ``id`` and ``text``, ``warnings`` as one column
        ``warning``.

        Parameters
        ----------
        names : tuple of str, default :data:`TABLES`
            The tables wanted, in the order given.

        Returns
        -------
        dict of str to pyarrow.Table
            One Arrow table per name.

        Raises :class:`~rhetoric.errors.RhetoricInputError` naming ``names`` for a name
        that is not a table of a Corpus.
        """
        tables = {}
        for name in names:
            if name == "cleaned":
                frame = pd.DataFrame({"id": self.cleaned.index.to_numpy(dtype=object),
                                      "text": self.cleaned.to_numpy(dtype=object)})  # fmt: skip
            elif name == "warnings":
                frame = pd.DataFrame({"warning": np.asarray(self.warnings, dtype=object)})
            elif name in TABLES:
                frame = getattr(self, name)
            else:
                raise RhetoricInputError(f"names={name!r}: not a table of a Corpus ({TABLES})")
            tables[name] = arrow.table(frame)
        return tables

    @classmethod
    def from_arrow(cls, tables: Mapping[str, pa.Table], **fields) -> Corpus:
        """A Corpus from the Arrow tables :meth:`to_arrow` made (by name) and its other
        fields by keyword (a table may also be given as a keyword, as pandas).

        Parameters
        ----------
        tables : mapping of str to pyarrow.Table
            Tables of :data:`TABLES` by name, as :meth:`to_arrow` made them.
        fields
            The other fields of a Corpus (``themes``, ``parties``, ``data_dir``, and
            optionally ``key``, ``tokenized``), and any table not in ``tables``.

        Returns
        -------
        Corpus
            Its tables as pandas (:func:`rhetoric.store.arrow.frame`).

        Raises ``KeyError`` for a table missing from both, ``ValueError`` for a table
        whose columns are not those :meth:`to_arrow` writes.
        """
        values = dict(fields)
        for name, table in tables.items():
            if name not in TABLES:
                raise ValueError(f"{name}: not a table of a Corpus")
            if name in ("cleaned", "warnings"):  # text, read as Python strings directly
                if table.column_names != list(_LAYOUT[name]):
                    raise ValueError(f"{name}: columns {table.column_names}")
                text = {column: table.column(column).to_pylist() for column in table.column_names}
                if any(not isinstance(v, str) for column in text.values() for v in column):
                    raise ValueError(f"{name}: a value that is not text")
            if name == "cleaned":
                values[name] = pd.Series(np.asarray(text["text"], dtype=object), name="text",
                                         index=pd.Index(text["id"]), dtype=object)  # fmt: skip
            elif name == "warnings":
                values[name] = tuple(text["warning"])
            else:
                frame = arrow.frame(table)
                _check_layout(name, frame)
                values[name] = frame
        missing = [name for name in TABLES if name not in values]
        if missing:
            raise KeyError(f"tables missing: {', '.join(missing)}")
        return cls(**values)

    # -- a part of the corpus ----------------------------------------------------------------
    def select(self, where=None, *, ids=None) -> Corpus:
        """This corpus restricted to some documents, in corpus order.

        Parameters
        ----------
        where : str or list of str, optional
            Conditions as :func:`parse_where` reads them, all of which a document must
            meet (``kind=joint_statement``, ``year!=2010``, ``outlet=TASS,Xinhua``).
        ids : list of str, optional
            Document ids to keep (both may be given).

        Returns
        -------
        Corpus
            Every table cut to the kept documents, so every measure sees only them;
            the key changes with the selection. With no condition and no ids, this
            corpus itself.

        Raises :class:`~rhetoric.errors.RhetoricInputError` for an unknown column, a
        value no document has, an unknown id, or a filter that leaves no document.
        """
        conditions = parse_where(where)
        if not conditions and ids is None:
            return self
        documents = self.documents
        mask = where_mask(documents, where)
        if ids is not None:
            wanted = set(ids)
            unknown = sorted(wanted - set(documents["id"]))
            if unknown:
                raise RhetoricInputError(f"no document {unknown[0]!r} in this corpus")
            mask &= documents["id"].isin(wanted).to_numpy()
        if not mask.any():
            shown = "; ".join(f"{c}{'=' if k else '!='}{','.join(v)}" for c, k, v in conditions)
            raise RhetoricInputError(f"where={shown!r}: no document meets every condition")
        kept = documents["id"].to_numpy()[mask]
        label = repr([*conditions, sorted(ids) if ids is not None else None])
        return _restricted(self, kept, cache.key("selection", self.key, label, code=__name__))


def _check_layout(name: str, frame: pd.DataFrame) -> None:
    """Raise :class:`ValueError` unless ``frame`` has the columns (and kinds) of the table
    ``name`` (:data:`_LAYOUT`; the reprint pairs start with ``a``, ``b``, ``jaccard``)."""
    columns = [str(c) for c in frame.columns]
    if name == "reprints":  # stored as found (four columns), settled when loaded (six)
        if columns not in (list(_REPRINT_COLUMNS[:4]), list(_REPRINT_COLUMNS)):
            raise ValueError(f"reprints: columns {columns}")
        return
    layout = _LAYOUT.get(name)
    if layout is None:
        return
    if columns != list(layout):
        raise ValueError(f"{name}: columns {columns}, not {list(layout)}")
    for column, kind in layout.items():
        dtype = frame[column].dtype
        found = "category" if isinstance(dtype, pd.CategoricalDtype) else dtype.kind
        if kind is not None and found != kind:
            raise ValueError(f"{name}.{column}: {dtype}, not {kind}")


# -- like with like: a document filter ------------------------------------------------------

#: corpus.csv columns a filter may not test (the text itself, and list or hash columns).
_NOT_FILTERS = ("text", "parties", "sha256", "file")


def parse_where(conditions) -> list[tuple[str, bool, tuple[str, ...]]]:
    """Parse filter conditions: ``COLUMN=VALUE[,VALUE...]`` or ``COLUMN!=VALUE[,...]``.

    Parameters
    ----------
    conditions : str or iterable of str or None
        One string or several; a string may join conditions with ``;`` (as a
        notebook parameter does).

    Returns
    -------
    list of (column, keep, values)
        One per condition; ``keep`` is False for ``!=``.

    Raises :class:`~rhetoric.errors.RhetoricInputError` for a condition without ``=``.
    """
    if isinstance(conditions, str):
        conditions = [conditions]
    parsed = []
    for text in (c.strip() for item in conditions or () for c in str(item).split(";")):
        if not text:
            continue
        column, sep, values = text.partition("=")
        keep = not column.endswith("!")
        column = column.rstrip("!").strip()
        choices = tuple(v.strip() for v in values.split(",") if v.strip())
        if not sep or not column or not choices:
            raise RhetoricInputError(
                f"where={text!r}: write COLUMN=VALUE (or COLUMN!=VALUE; several values "
                "joined by commas), e.g. kind=joint_statement"
            )
        parsed.append((column, keep, choices))
    return parsed


def where_mask(documents: pd.DataFrame, where) -> np.ndarray:
    """Which documents meet every condition of ``where``.

    Parameters
    ----------
    documents : pandas.DataFrame
        :attr:`Corpus.documents`, or :func:`rhetoric.data.folder.load_corpus` output.
    where : str or iterable of str or None
        Conditions as :func:`parse_where` reads them.

    Returns
    -------
    numpy.ndarray of bool
        One flag per row of ``documents``; all True when there is no condition.

    Raises :class:`~rhetoric.errors.RhetoricInputError` for an unknown column or a value
    no document has.
    """
    mask = np.ones(len(documents), dtype=bool)
    for column, keep, values in parse_where(where):
        text = f"{column}{'=' if keep else '!='}{','.join(values)}"
        mask &= _where_mask(documents, column, keep, values, text)
    return mask


def _where_mask(documents: pd.DataFrame, column: str, keep: bool, values, text: str):
    if column not in documents.columns or column in _NOT_FILTERS:
        usable = [c for c in documents.columns if c not in _NOT_FILTERS]
        raise RhetoricInputError(
            f"where={text!r}: {column!r} is not a corpus.csv column (use one of "
            f"{', '.join(usable)})"
        )
    found = documents[column].astype(str).to_numpy()
    mask = np.isin(found, list(values))
    if keep and not mask.any():
        known = ", ".join(list(dict.fromkeys(found))[:8])
        there = f"there are: {known}" if known else "the corpus has no documents"
        raise RhetoricInputError(
            f"where={text!r}: no document has {column} {', '.join(values)} ({there})"
        )
    return mask if keep else ~mask


def _cut(frame: pd.DataFrame, keep_code: np.ndarray, new_code: np.ndarray, ids) -> pd.DataFrame:
    """Rows of documents kept, with the ``document`` column recoded to the kept ids."""
    old = codes(frame["document"])
    rows = keep_code[old] if len(old) else np.zeros(0, dtype=bool)
    cut = frame.loc[rows].reset_index(drop=True)
    cut["document"] = categorical(new_code[old[rows]], ids)
    return cut


def _restricted(corpus: Corpus, kept, key: str) -> Corpus:
    ids = list(kept)
    all_ids = list(corpus.documents["id"])
    keep_code = np.isin(np.asarray(all_ids, dtype=object), np.asarray(ids, dtype=object))
    new_code = np.cumsum(keep_code) - 1
    documents = corpus.documents[keep_code].reset_index(drop=True)
    audit = corpus.audit[corpus.audit["document"].isin(ids)].reset_index(drop=True)
    hits = corpus.hits
    if len(hits):
        hits = _cut(hits, keep_code, new_code, ids)
        hits["document"] = hits["document"].cat.set_categories(ids)
    else:
        hits = hits.assign(document=categorical(np.zeros(0, dtype=np.int32), ids))
    return replace(corpus, documents=documents, cleaned=corpus.cleaned[ids], audit=audit,
                   tokens=_cut(corpus.tokens, keep_code, new_code, ids),
                   sentences=_cut(corpus.sentences, keep_code, new_code, ids),
                   hits=hits, key=key)  # fmt: skip


# -- what the corpus holds ----------------------------------------------------------------


def corpus_table(corpus: Corpus) -> pd.DataFrame:
    """One row per document: metadata and sizes.

    Parameters
    ----------
    corpus : Corpus

    Returns
    -------
    DataFrame
        ``id``, ``title``, ``date``, ``dyad``, ``kind``, ``outlet``, ``reprint_of``
        (the canonical document of its reprint cluster, or ""), ``tokens_raw``
        (word tokens in the document text before cleaning), ``tokens_clean`` (word
        tokens after cleaning: the denominator of every rate), ``removed_share``
        (1 - tokens_clean / tokens_raw), ``sentences``, ``quoted_share`` (quoted
        tokens / tokens_clean).
    """
    documents = corpus.documents
    tokens = corpus.tokens
    clean_counts = tokens.groupby("document", observed=False).size()
    quoted = tokens[tokens["voice"] == "quoted"].groupby("document", observed=False).size()
    sentences = corpus.sentences.groupby("document", observed=False).size()
    pairs = zip(documents["text"], corpus.languages.values(), strict=True)
    raw_counts = [len(word_spans(text, language)[0]) for text, language in pairs]
    frame = documents[["id", "title", "date", "dyad", "kind", "outlet", "reprint_of"]].copy()
    frame["tokens_raw"] = raw_counts
    frame["tokens_clean"] = clean_counts.reindex(documents["id"]).to_numpy()
    frame["removed_share"] = 1 - frame["tokens_clean"] / frame["tokens_raw"].where(
        frame["tokens_raw"] > 0
    )
    frame["sentences"] = sentences.reindex(documents["id"]).to_numpy()
    frame["quoted_share"] = quoted.reindex(documents["id"]).to_numpy() / frame[
        "tokens_clean"
    ].where(frame["tokens_clean"] > 0)
    return frame.reset_index(drop=True)


def removal_summary(corpus: Corpus) -> pd.DataFrame:
    """Word tokens each document kept and lost to each cleaning rule.

    Parameters
    ----------
    corpus : Corpus

    Returns
    -------
    DataFrame
        One row per document (corpus order): ``document``, ``kept`` (word
        tokens after cleaning), then one column per rule that removed
        anything, holding the word tokens it removed (counted with the same
        tokenizer in the removed text).
    """
    audit = corpus.audit
    kept = corpus.tokens.groupby("document", observed=False).size()
    frame = pd.DataFrame({"document": corpus.documents["id"].to_numpy()})
    frame["kept"] = kept.reindex(frame["document"]).to_numpy()
    language_of = corpus.languages
    for rule in dict.fromkeys(audit["rule"]):
        rows = audit[audit["rule"] == rule]
        words = [len(word_spans(text, language_of.get(doc, "en"))[0])
                 for doc, text in zip(rows["document"], rows["text"], strict=True)]  # fmt: skip
        removed = pd.Series(words, index=rows["document"].to_numpy()).groupby(level=0).sum()
        frame[rule] = removed.reindex(frame["document"]).fillna(0).astype(int).to_numpy()
    return frame
