"""The document-feature matrix export, read back as R and Python users read it (issue 21)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from scipy import io as scipy_io
from scipy import sparse

from rhetoric.cli import main
from rhetoric.export import DFM_FILES, write_dfm
from rhetoric.pipeline import process_corpus


@pytest.fixture
def toy(toy_data):
    return process_corpus(toy_data)


def test_the_dfm_reads_back_with_the_counts_by_hand(toy, tmp_path):
    written = write_dfm(toy, tmp_path / "dfm")
    assert [p.name for p in written] == list(DFM_FILES)
    matrix = sparse.load_npz(tmp_path / "dfm" / "dfm.npz")
    market = scipy_io.mmread(tmp_path / "dfm" / "dfm.mtx").tocsr()
    assert (matrix != market).nnz == 0 and matrix.dtype.kind == "i"
    features = pd.read_csv(tmp_path / "dfm" / "features.csv")
    documents = pd.read_csv(tmp_path / "dfm" / "documents.csv")
    # 10, 8 and 5 word tokens; 20 word forms, alphabetical
    assert matrix.shape == (3, 20)
    assert list(matrix.sum(axis=1).A1) == [10, 8, 5] == list(documents["tokens"])
    assert list(features["feature"]) == sorted(features["feature"])
    trust = features.set_index("feature").loc["trust"]
    assert (trust["count"], trust["documents"]) == (3, 3)
    assert list(matrix[:, int(trust["column"])].toarray().ravel()) == [1, 1, 1]
    assert list(documents["id"]) == list(toy.documents["id"])
    assert list(documents["dyad"]) == ["RU-US", "RU-US", "CN-RU"]


def test_the_dfm_of_ngrams_without_stopwords_and_its_bytes(toy, tmp_path):
    write_dfm(toy, tmp_path / "a", ngrams=2)
    pairs = sparse.load_npz(tmp_path / "a" / "dfm.npz")
    assert list(pairs.sum(axis=1).A1) == [8, 7, 3]  # pairs within sentences
    first = {name: (tmp_path / "a" / name).read_bytes() for name in DFM_FILES}
    write_dfm(toy, tmp_path / "a", ngrams=2)  # again: the same bytes, the files replaced
    assert {name: (tmp_path / "a" / name).read_bytes() for name in DFM_FILES} == first
    write_dfm(toy, tmp_path / "b", stopwords="drop")
    kept = set(pd.read_csv(tmp_path / "b" / "features.csv")["feature"])
    assert "trust" in kept and not {"and", "in", "the"} & kept
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".rhetoric-stage")]


def test_the_cli_writes_the_dfm(toy_data, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["dfm", "--data", str(toy_data), "--out", str(out), "--unit", "stem"]) == 0
    assert "dfm.mtx, dfm.npz, features.csv, documents.csv written to" in capsys.readouterr().err
    assert (
        (out / "dfm.mtx")
        .read_text(encoding="ascii")
        .startswith("%%MatrixMarket matrix coordinate integer general\n")
    )
    stems = set(pd.read_csv(out / "features.csv")["feature"])
    assert "leader" in stems and "leaders" not in stems


def test_dfm_and_export_replace_only_the_files_they_wrote(toy_data, tmp_path, capsys):
    """`--out` may name a folder of the user's: a file of theirs named like an export
    (documents.csv, a link named features.csv) is refused, not replaced; what rhetoric wrote
    there (the record rhetoric-exports.json) it replaces, dfm and export alike."""
    from conftest import tree_digest

    out = tmp_path / "papers"
    out.mkdir()
    (out / "documents.csv").write_text("my own table\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / "elsewhere.csv").write_text("linked\n", encoding="utf-8")
    (out / "features.csv").symlink_to(tmp_path / "elsewhere.csv")
    before = tree_digest(tmp_path)
    assert main(["dfm", "--data", str(toy_data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "features.csv and 1 more: not written by rhetoric (not in rhetoric-exports.json)" in err
    assert tree_digest(tmp_path) == before
    (out / "documents.csv").rename(tmp_path / "documents.csv")
    (out / "features.csv").unlink()
    for command in (["dfm"], ["export"], ["dfm", "--unit", "stem"]):  # again: its own files
        assert main([*command, "--data", str(toy_data), "--out", str(out)]) == 0
    capsys.readouterr()
    record = json.loads((out / "rhetoric-exports.json").read_text(encoding="utf-8"))
    assert record["files"] == sorted(
        ["dfm.mtx", "dfm.npz", "documents.csv", "documents.parquet", "features.csv",
         "hits.parquet", "tokens.parquet"])  # fmt: skip
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    # a record naming a file outside the exports gives it no right to be replaced
    (out / "rhetoric-exports.json").write_text(json.dumps({"files": ["notes.txt"]}), "utf-8")
    (out / "dfm.mtx").unlink()
    assert main(["dfm", "--data", str(toy_data), "--out", str(out)]) == 2
    assert "dfm.npz and 2 more: not written by rhetoric" in capsys.readouterr().err
    # --out naming a file is one line, exit 2
    assert main(["dfm", "--data", str(toy_data), "--out", str(out / "notes.txt")]) == 2
    assert "notes.txt: is a file, not a folder" in capsys.readouterr().err
