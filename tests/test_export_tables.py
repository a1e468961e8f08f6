"""The token, hit and document tables as Parquet, read back (issue 21)."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq

from rhetoric.cli import main
from rhetoric.export import TABLE_FILES, write_tables
from rhetoric.pipeline import process_corpus


def test_the_tables_read_back_with_their_counts(toy_data, tmp_path):
    processed = process_corpus(toy_data)
    written = write_tables(processed, tmp_path / "tables")
    assert [p.name for p in written] == list(TABLE_FILES)
    tokens = pd.read_parquet(tmp_path / "tables" / "tokens.parquet")
    hits = pq.read_table(tmp_path / "tables" / "hits.parquet").to_pandas()
    documents = pd.read_parquet(tmp_path / "tables" / "documents.parquet")
    # 10, 8 and 5 word tokens; "trust" three times, once per document
    assert len(tokens) == 23 and list(tokens.groupby("document", observed=True).size()) == [
        10,
        8,
        5,
    ]
    assert (tokens["lower"] == "trust").sum() == 3
    assert list(documents["tokens"]) == [10, 8, 5] and "text" in documents
    assert documents.loc[2, "text"] == processed.cleaned[documents.loc[2, "id"]]
    assert len(hits) == len(processed.hits)
    assert sorted(hits.loc[hits["theme"] == "trust", "document"].astype(str)) == sorted(
        processed.hits.loc[processed.hits["theme"] == "trust", "document"].astype(str)
    )
    # a token's offsets point into its document's cleaned text
    first = tokens.iloc[0]
    assert (
        processed.cleaned[str(first["document"])][first["start"] : first["end"]].lower()
        == (first["lower"])
    )


def test_the_cli_exports_the_tables(toy_data, tmp_path, capsys):
    assert main(["export", "--data", str(toy_data), "--out", str(tmp_path / "x")]) == 0
    assert "tokens.parquet, hits.parquet, documents.parquet written to" in capsys.readouterr().err
    first = (tmp_path / "x" / "tokens.parquet").read_bytes()
    assert main(["export", "--data", str(toy_data), "--out", str(tmp_path / "x")]) == 0
    assert (tmp_path / "x" / "tokens.parquet").read_bytes() == first  # the same bytes again
