""":mod:`rhetoric.store.arrow`: tables as Apache Arrow, the one form they take on disk.

The cache (:mod:`rhetoric.store.cache`) stores Arrow IPC files, ``rhetoric export``
writes Parquet (:mod:`rhetoric.export`), both from the same Arrow tables
(:meth:`rhetoric.corpus.Corpus.to_arrow`). Two conventions, in both directions:

- **pandas.** :func:`table` is ``pyarrow.Table.from_pandas`` without the index
  (a categorical column becomes a dictionary-encoded one); :func:`frame` reads a
  table back as the pipeline builds its tables: a text column from Python strings
  (pandas chooses its dtype, as it does for the pipeline's own tables), the
  categories of a categorical as an ``object`` index
  (:func:`rhetoric.corpus.categorical`), a list as a tuple (the document table's
  ``parties``), numbers and booleans in their own dtype (numbers without a missing
  value are views of the Arrow memory, not copies).
- **Several tables in one file.** An Arrow IPC file holds one schema; :func:`write`
  stores several named tables as one table of one row, each column one table
  (a list of its rows, as structs), and :func:`decode` takes them apart. Decoding
  accepts only numbers, booleans, text, and dictionaries and lists of them, and
  validates every offset (``Table.validate(full=True)``): whatever a file holds,
  nothing in it runs as code or reads past its end.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc

__all__ = ["decode", "frame", "table", "write"]


def table(frame: pd.DataFrame) -> pa.Table:
    """A pandas table as an Arrow table (without its index).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; a categorical column becomes a dictionary-encoded one.

    Returns
    -------
    pyarrow.Table
        Its columns, in order, without the index; a categorical without categories
        (an empty table's) is a dictionary of text, as it would be with categories.
    """
    result = pa.Table.from_pandas(frame, preserve_index=False)
    for i, field in enumerate(result.schema):
        if pa.types.is_dictionary(field.type) and pa.types.is_null(field.type.value_type):
            text = pa.dictionary(field.type.index_type, pa.string())
            result = result.set_column(i, field.name, result.column(i).cast(text))
    return result


def _text(array: pa.Array) -> np.ndarray:
    return np.asarray(array.to_pylist(), dtype=object)


def _column(values: pa.ChunkedArray):
    values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    kind = values.type
    if pa.types.is_dictionary(kind):
        categories = pd.Index(_text(values.dictionary), dtype=object)
        indices = values.indices.fill_null(-1) if values.indices.null_count else values.indices
        codes = indices.to_numpy(zero_copy_only=False)
        return pd.Categorical.from_codes(codes, categories=categories)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind):
        return _text(values)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        result = np.empty(len(values), dtype=object)
        for i, value in enumerate(values.to_pylist()):  # one by one: never a 2-D array
            result[i] = None if value is None else tuple(value)
        return result
    return values.to_numpy(zero_copy_only=False)


def frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as pandas, as the pipeline builds its tables (module docstring).

    Parameters
    ----------
    table : pyarrow.Table
        The table, e.g. one that :func:`decode` returned.

    Returns
    -------
    pandas.DataFrame
        Its columns, in order, with a default ``RangeIndex``: text from Python strings, a
        dictionary column as a categorical, a list column as tuples.
    """
    columns = {name: _column(table.column(name)) for name in table.column_names}
    return pd.DataFrame(columns, columns=table.column_names, index=pd.RangeIndex(table.num_rows),
                        copy=False)  # fmt: skip


def _rows(part: pa.Table) -> pa.StructArray:
    """A table's rows as one struct array, sharing the table's memory."""
    chunks = part.to_struct_array()
    return chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks()


def write(tables: Mapping[str, pa.Table], sink: BinaryIO) -> None:
    """Write named tables as one Arrow IPC file to ``sink``, an open binary file (read back
    by :func:`decode`); nothing is copied whole on the way.

    Raises :class:`TypeError` for a column that is not numbers, booleans or text (or
    dictionaries, lists or structs of them), :class:`ValueError` for no table at all.

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table
        The tables, by name (each name becomes a column of the file).
    sink : file object
        An open binary file (or a file-like object) to write to.
    """
    if not tables:
        raise ValueError("no table to write (an entry holds at least one)")
    columns = {}
    for name, part in tables.items():
        for field in part.schema:
            if not _plain(field.type):
                raise TypeError(f"{name}.{field.name}: {field.type} is not a plain type")
        rows = _rows(part)
        columns[name] = pa.LargeListArray.from_arrays(pa.array([0, len(rows)], pa.int64()), rows)
    one_row = pa.table(columns)
    with pa.ipc.new_file(sink, one_row.schema) as writer:
        writer.write_table(one_row)


def _leaf(kind: pa.DataType) -> bool:
    return (pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind)
            or pa.types.is_string(kind) or pa.types.is_large_string(kind)
            or pa.types.is_null(kind))  # fmt: skip


def _plain(kind: pa.DataType) -> bool:
    """A column type a table may have: numbers, booleans or text; a dictionary of text
    (a categorical); a list of numbers, booleans or text."""
    if pa.types.is_dictionary(kind):
        return pa.types.is_signed_integer(kind.index_type) and (
            pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
        )
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _leaf(kind.value_type)
    return _leaf(kind)


def _names_once(names: list[str], where: str) -> None:
    if len(set(names)) != len(names):
        raise ValueError(f"{where}: a name is used twice")


def decode(data: pa.Buffer) -> dict[str, pa.Table]:
    """The tables :func:`write` wrote, by name, sharing ``data``'s memory.

    Raises :class:`ValueError` for anything else: bytes that are not an Arrow IPC
    file, a layout it does not write, a type that is not plain, an offset out of range.

    Parameters
    ----------
    data : pyarrow.Buffer
        The bytes of the file (the cache maps them from disk).

    Returns
    -------
    dict of str to pyarrow.Table
        The tables, by name, in the order they were written.
    """
    try:
        one_row = pa.ipc.open_file(data).read_all()
        one_row.validate(full=True)
    except (pa.ArrowException, OSError) as exc:
        raise ValueError(f"not a table file: {exc}") from exc
    if one_row.num_rows != 1:
        raise ValueError(f"{one_row.num_rows} rows, not 1")
    _names_once(one_row.column_names, "tables")
    tables = {}
    for i, name in enumerate(one_row.column_names):
        kind = one_row.schema.field(i).type
        if not (pa.types.is_large_list(kind) and pa.types.is_struct(kind.value_type)):
            raise ValueError(f"{name}: {kind} is not a table")
        rows = kind.value_type
        fields = [rows.field(j) for j in range(rows.num_fields)]
        _names_once([field.name for field in fields], name)
        for field in fields:
            if not _plain(field.type):
                raise ValueError(f"{name}.{field.name}: {field.type} is not a plain type")
        tables[name] = pa.Table.from_struct_array(one_row.column(i).chunk(0).flatten())
    return tables
