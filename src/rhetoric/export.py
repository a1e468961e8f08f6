""":mod:`rhetoric.export`: the document-feature matrix, for the tools scholars already use.

:func:`document_feature_matrix` counts every feature (word form or stem, or
n-grams formed within sentences) in every document; :func:`write_dfm` writes
it to a folder as

- ``dfm.mtx``: Matrix Market coordinate format, documents as rows (R:
  ``Matrix::readMM``, then ``quanteda::as.dfm``; Python: ``scipy.io.mmread``);
- ``dfm.npz``: the same matrix as SciPy writes a sparse matrix
  (``scipy.sparse.load_npz``), with fixed member dates so that the same corpus
  gives the same bytes;
- ``features.csv``: one row per column: ``column`` (from 0), ``feature``,
  ``count`` (in the whole corpus) and ``documents`` (documents holding it);
- ``documents.csv``: one row per row: ``row`` (from 0), ``id``, ``title``,
  ``date``, ``dyad``, ``kind``, ``outlet`` and ``tokens`` (word tokens kept for
  analysis: the denominator of every rate), then every other document variable
  (``year``, ``parties`` joined by ``;``, ``url``, ``language``, ``outlet_type``,
  ``reprint_of``, and each column added to corpus.csv).

:func:`write_tables` writes the token and hit tables and the documents as
Parquet (``tokens.parquet``, ``hits.parquet``, ``documents.parquet``), for R's
arrow, polars and DuckDB: one row per word token (document, position, sentence,
paragraph, character offsets into the cleaned text, lowercase form, stem,
voice), per theme hit, and per document (its metadata and cleaned text).

The files are swapped in as one step (:func:`rhetoric.store.atomic.swap_in`),
with ``rhetoric-exports.json``, the record of every file these two functions wrote
into the folder: an existing file they did not write is never replaced (one line,
nothing changed), so ``--out`` can name a folder that holds files of yours.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
import zipfile

import numpy as np
import pandas as pd
import pyarrow as pa

from rhetoric.corpus import Corpus, Stopwords, Unit, codes
from rhetoric.errors import RhetoricInputError, display_path
from rhetoric.store import arrow
from rhetoric.store.atomic import (
    environment_error,
    folder_lock,
    remove_leftovers,
    staged,
    swap_in,
    write_file,
)
from rhetoric.text.stopwords import hidden_term

__all__ = [
    "DFM_FILES", "EXPORTS_FILE", "TABLE_FILES", "document_feature_matrix", "write_dfm",
    "write_tables",
]  # fmt: skip

DFM_FILES = ("dfm.mtx", "dfm.npz", "features.csv", "documents.csv")
TABLE_FILES = ("tokens.parquet", "hits.parquet", "documents.parquet")
_DOCUMENT_COLUMNS = ("id", "title", "date", "dyad", "kind", "outlet")
#: Document columns a table of documents leaves out: the text, and where it was read from.
_NOT_EXPORTED = ("text", "file", "sha256")
#: The record, in an output folder, of the files :func:`write_dfm` and :func:`write_tables`
#: wrote there: the only existing files they replace.
EXPORTS_FILE = "rhetoric-exports.json"
_MTX_COMMENT = " documents x features; rhetoric dfm (documents.csv, features.csv name them)"


def document_feature_matrix(
    corpus: Corpus, *, unit: Unit = "lower", ngrams=1, stopwords: Stopwords = "keep"
):
    """The documents × features counts of :meth:`rhetoric.corpus.Corpus.dfm`, as exported.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus.
    unit : {"lower", "stem"}, default "lower"
        Lowercase word forms or Snowball stems.
    ngrams : int, str or tuple of int, default 1
        ``1``, ``2`` or a range ``"1-3"`` (formed within sentences).
    stopwords : {"keep", "drop"}, default "keep"
        ``keep`` every feature; ``drop`` leaves out the display stopwords, n-grams that
        start or end with one, and features with a word without a letter, as
        ``rhetoric terms`` does (:func:`rhetoric.text.stopwords.hidden_term`).

    Returns
    -------
    tuple
        ``(matrix, features, documents)``: the counts (SciPy CSR of int64, rows in
        corpus order, columns in alphabetical order of the features), and the two
        tables described in the module docstring.
    """
    every = corpus.dfm(unit=unit, ngrams=ngrams, dtype=np.int64)
    matrix, names = every.counts, every.terms
    kept = np.argsort(names, kind="stable")  # columns in alphabetical order of the features
    if stopwords == "drop":
        kept = kept[[not hidden_term(name.split(" ")) for name in names[kept]]]
    matrix, names = matrix[:, kept], names[kept]
    matrix.sum_duplicates()
    matrix.sort_indices()
    features = pd.DataFrame({
        "column": np.arange(len(names)),
        "feature": names,
        "count": np.asarray(matrix.sum(axis=0)).ravel().astype(np.int64),
        "documents": np.diff(matrix.tocsc().indptr).astype(np.int64),
    })  # fmt: skip
    docs = corpus.documents
    documents = pd.DataFrame({"row": np.arange(len(docs))})
    for column in _DOCUMENT_COLUMNS:
        documents[column] = docs[column].to_numpy() if column in docs else ""
    documents["tokens"] = _word_tokens(corpus)
    for column in docs.columns:  # every other document variable: corpus.csv's columns and more
        if column not in documents and column not in _NOT_EXPORTED:
            values = docs[column]
            documents[column] = [";".join(v) if isinstance(v, tuple) else v for v in values]
    return matrix, features, documents


def _word_tokens(corpus: Corpus) -> np.ndarray:
    """The word tokens kept for analysis in each document, in corpus order."""
    return np.bincount(codes(corpus.tokens["document"]), minlength=len(corpus.documents))


def _matrix_market(matrix) -> bytes:
    """The matrix in Matrix Market coordinate format, integer entries, 1-based indices, by
    ``scipy.io.mmwrite`` (ten times faster than writing the lines here), entries row by
    row in column order: ``matrix`` is canonical (sorted indices, no duplicates), so its
    COO form lists them so, and the same matrix gives the same bytes."""
    from scipy.io import mmwrite

    buffer = io.BytesIO()
    mmwrite(buffer, matrix.tocoo(), comment=_MTX_COMMENT, field="integer", symmetry="general")
    return buffer.getvalue()


def _npz(matrix) -> bytes:
    """The matrix as ``scipy.sparse.save_npz`` lays it out, with fixed member dates."""
    arrays = {"indices": matrix.indices, "indptr": matrix.indptr, "format": np.array("csr"),
              "shape": np.array(matrix.shape), "data": matrix.data}  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def _exported(out_dir: Path) -> set[str]:
    """The files the record in ``out_dir`` (:data:`EXPORTS_FILE`) says were exported there,
    and the record itself; empty when there is none or it cannot be read."""
    from rhetoric.store.inputs import read_input

    path = out_dir / EXPORTS_FILE
    if path.is_symlink() or not path.is_file():
        return set()
    try:
        files = json.loads(read_input(path, within=out_dir).decode("utf-8"))["files"]
        known = {*DFM_FILES, *TABLE_FILES}
        return {EXPORTS_FILE} | {name for name in files if name in known}
    except (OSError, ValueError, KeyError, TypeError, RhetoricInputError):
        return set()


def _swap_files(out_dir: Path, contents: dict[str, bytes]) -> list[Path]:
    """Write ``contents`` (name -> bytes) into ``out_dir`` (made if missing), all or none,
    with the record of what was exported there; an existing file the record does not
    hold is refused (:class:`~rhetoric.errors.RhetoricInputError`, nothing changed)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise RhetoricInputError(
            f"{display_path(out_dir)}: is a file, not a folder; give a folder"
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise environment_error(exc, out_dir) from None
    with folder_lock(out_dir, exclusive=True):
        remove_leftovers(out_dir)
        recorded = _exported(out_dir)
        names = [*contents, EXPORTS_FILE]
        foreign = [n for n in names if os.path.lexists(out_dir / n) and n not in recorded]
        if foreign:
            more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
            raise RhetoricInputError(
                f"{display_path(out_dir / foreign[0])}{more}: not written by rhetoric (not in "
                f"{EXPORTS_FILE}), where an export goes; nothing was changed (move it away, "
                "or give --out another folder)"
            )
        files = sorted((recorded | set(contents)) - {EXPORTS_FILE})
        about = (
            "the files `rhetoric dfm` and `rhetoric export` wrote here; they replace only these"
        )
        with staged(out_dir) as stage:
            for name, data in contents.items():
                write_file(stage / "new" / name, data)
            text = json.dumps({"about": about, "files": files}, indent=1) + "\n"
            write_file(stage / "new" / EXPORTS_FILE, text.encode("utf-8"))
            swap_in(stage, out_dir, names)
    return [out_dir / name for name in contents]


def write_dfm(corpus: Corpus, out_dir: Path, **options) -> list[Path]:
    """Write the four files of the module docstring into ``out_dir``, all of them or none.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus.
    out_dir : pathlib.Path
        The folder to write to (made if missing); other files in it stay, and one of
        the same name as an output that this module did not write there is refused
        (:data:`EXPORTS_FILE`).
    options
        ``unit``, ``ngrams``, ``stopwords``: as :func:`document_feature_matrix`.

    Returns
    -------
    list of pathlib.Path
        The files written (:data:`DFM_FILES`, in ``out_dir``).
    """
    matrix, features, documents = document_feature_matrix(corpus, **options)
    return _swap_files(out_dir, {
        "dfm.mtx": _matrix_market(matrix),
        "dfm.npz": _npz(matrix),
        "features.csv": features.to_csv(index=False, lineterminator="\n").encode("utf-8"),
        "documents.csv": documents.to_csv(index=False, lineterminator="\n").encode("utf-8"),
    })  # fmt: skip


def _parquet(table: pa.Table) -> bytes:
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def write_tables(corpus: Corpus, out_dir: Path) -> list[Path]:
    """Write the token, hit and document tables as Parquet into ``out_dir``, all or none.

    The tables are the corpus's own (:meth:`rhetoric.corpus.Corpus.to_arrow`), the
    documents with their word tokens and cleaned text (module docstring).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus.
    out_dir : pathlib.Path
        The folder to write to (made if missing); other files in it stay, and one of
        the same name as an output that this module did not write there is refused
        (:data:`EXPORTS_FILE`).

    Returns
    -------
    list of pathlib.Path
        The files written (:data:`TABLE_FILES`, in ``out_dir``).
    """
    docs = corpus.documents.drop(columns=["text", "file"], errors="ignore")
    cleaned = [corpus.cleaned[d] for d in docs["id"]]
    documents = docs.assign(tokens=_word_tokens(corpus), text=cleaned)
    tables = corpus.to_arrow(("tokens", "hits"))
    return _swap_files(out_dir, {
        "tokens.parquet": _parquet(tables["tokens"]),
        "hits.parquet": _parquet(tables["hits"]),
        "documents.parquet": _parquet(arrow.table(documents)),
    })  # fmt: skip
