"""Document variables are kept (issue 30): front-matter keys become corpus.csv columns, exports
carry them, and outlets.yml gives one name and a type to the spellings of one outlet."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from conftest import make_data_dir
from rhetoric.cli import main
from rhetoric.errors import RhetoricInputError
from rhetoric.pipeline import process_corpus

TEXT = ("The two sides reaffirmed their commitment to trust and partnership, and agreed to meet "
        "again next year to review the progress of their joint work on {topic}.")  # fmt: skip


def _statement(folder, name, front, topic):
    path = folder / f"{name}.txt"
    path.write_text(f"---\n{front}\n---\n{TEXT.format(topic=topic)}\n", encoding="utf-8")
    return path


def test_front_matter_keys_become_columns_and_reach_every_export(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [("A first statement on trade and energy. " * 3,
                                              "2020-01-01", "US,RU")])  # fmt: skip
    before = (data / "corpus.csv").read_text(encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    first = _statement(src, "a", "date: 2021-06-16\nparties: [US, RU]\nid: geneva\n"
                       "partial: true\nevent: geneva-2021\nnote: 'excerpt, agency copy'", "arms")  # fmt: skip
    assert main(["add", str(first), "--data", str(data)]) == 0
    assert capsys.readouterr().err == ""  # kept, not "ignored" with a warning
    table = pd.read_csv(data / "corpus.csv", dtype=str, keep_default_na=False)
    assert table.columns.tolist()[-3:] == ["partial", "event", "note"]
    assert table.set_index("id").loc["geneva", ["partial", "event", "note"]].tolist() == [
        "true", "geneva-2021", "excerpt, agency copy"]  # fmt: skip
    assert table.set_index("id").loc["toy-0", ["partial", "event"]].tolist() == ["", ""]
    # the rows already there keep every value (the table is written again with the columns)
    old = pd.read_csv(io.StringIO(before), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(table[old.columns].iloc[:1], old)
    second = _statement(src, "b", "date: 2021-06-17\nparties: US,RU\ntranslated: yes\n"
                        "translation_of: geneva", "energy")  # fmt: skip
    assert main(["add", str(second), "--data", str(data)]) == 0
    table = pd.read_csv(data / "corpus.csv", dtype=str, keep_default_na=False)
    assert table.columns.tolist()[-2:] == ["translated", "translation_of"]
    assert main(["validate", "--data", str(data)]) == 0
    capsys.readouterr()
    # a key that cannot be a column: one line, nothing added
    bad = _statement(src, "c", "date: 2021-06-18\nparties: US,RU\nSource Note: x", "ports")
    kept = (data / "corpus.csv").read_bytes()
    assert main(["add", str(bad), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "front matter key 'Source Note' cannot be a corpus.csv column" in err
    assert err.count("\n") == 1 and (data / "corpus.csv").read_bytes() == kept
    # every export carries every column
    corpus = process_corpus(data, reprints="keep")
    assert {"partial", "event", "note", "translated"} <= set(corpus.documents.columns)
    assert main(["dfm", "--data", str(data), "--out", str(tmp_path / "dfm")]) == 0
    documents = pd.read_csv(tmp_path / "dfm" / "documents.csv", dtype=str,
                            keep_default_na=False)  # fmt: skip
    assert {"url", "language", "partial", "event", "note", "translated",
            "translation_of"} <= set(documents.columns)  # fmt: skip
    assert main(["export", "--data", str(data), "--out", str(tmp_path / "tables")]) == 0
    parquet = pd.read_parquet(tmp_path / "tables" / "documents.parquet")
    assert parquet.set_index("id").loc["geneva", "note"] == "excerpt, agency copy"


def test_outlets_yml_names_each_outlet_once_and_gives_its_type(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [])
    src = tmp_path / "src"
    src.mkdir()
    spellings = ["Reuters", "REUTERS ", "Thomson  Reuters", "TASS", "The Moscow Times"]
    for n, outlet in enumerate(spellings):
        path = _statement(src, f"d{n}", f"date: 2021-06-1{n}\nparties: US,RU\n"
                          f"kind: news_article\noutlet: '{outlet}'", f"topic {n}")  # fmt: skip
        assert main(["add", str(path), "--data", str(data)]) == 0
    (data / "outlets.yml").write_text(
        "outlets:\n  Reuters:\n    type: wire\n    spellings: [Thomson Reuters]\n"
        "  TASS:\n    type: state agency\n", encoding="utf-8")  # fmt: skip
    corpus = process_corpus(data, reprints="keep")  # five copies of one text
    assert corpus.documents["outlet"].tolist() == ["Reuters"] * 3 + ["TASS", "The Moscow Times"]
    assert corpus.documents["outlet_type"].tolist() == ["wire"] * 3 + ["state agency", ""]
    capsys.readouterr()
    assert main(["corpus", "--data", str(data), "--where", "outlet_type=wire",
                 "--format", "csv"]) == 0  # fmt: skip
    assert len(capsys.readouterr().out.splitlines()) == 4
    # a spelling given for two outlets: one line from validate
    (data / "outlets.yml").write_text(
        "outlets:\n  Reuters:\n    spellings: [TASS]\n  TASS:\n    type: state agency\n",
        encoding="utf-8")  # fmt: skip
    assert main(["validate", "--data", str(data)]) == 2
    assert "spelling 'TASS' is given for 'Reuters' and 'TASS'" in capsys.readouterr().err


def test_partial_and_translated_texts_are_named_in_the_limitations(tmp_path, monkeypatch):
    from rhetoric.study.context import limits, open_study

    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [])
    src = tmp_path / "src"
    src.mkdir()
    fronts = ["partial: true", "translation_of: d0", "translated: 'no'", ""]
    for n, front in enumerate(fronts):
        extra = f"\n{front}" if front else ""
        path = _statement(src, f"d{n}", f"date: 2021-06-1{n}\nparties: {'US,RU' if n % 2 else 'RU,CN'}"
                          f"\nid: d{n}{extra}", f"subject number {n} " * (n + 1))  # fmt: skip
        assert main(["add", str(path), "--data", str(data)]) == 0
    study = open_study("test", data_dir=data, figures_dir=tmp_path / "figures",
                       group_a="RU-US", group_b="CN-RU", reprints="keep")  # fmt: skip
    text = limits(study, "versions")
    assert text == ("- **Partial and translated texts.** 1 document is a partial text (`partial`): "
                    "its rates describe the part at hand, not the whole; 1 document is a "
                    "translation (`translated`, `translation_of`): the words counted are the "
                    "translator's.")  # fmt: skip


def test_outlet_names_reach_the_boilerplate_rules_and_a_hand_typed_type_is_kept(tmp_path,
                                                                                 monkeypatch):  # fmt: skip
    """A boilerplate rule written for the spelling REUTERS stopped firing once outlets.yml
    named the outlet Reuters; an outlet_type typed into corpus.csv was blanked."""
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [])
    src = tmp_path / "src"
    src.mkdir()
    for n, outlet in enumerate(["REUTERS", "Agency X"]):
        path = _statement(src, f"d{n}", f"date: 2021-06-1{n}\nparties: US,RU\nid: d{n}\n"
                          f"kind: news_article\noutlet: {outlet}", f"topic {n}")  # fmt: skip
        path.write_text(path.read_text(encoding="utf-8") + "\nSUBSCRIBE TO OUR NEWSLETTER\n",
                        encoding="utf-8")  # fmt: skip
        assert main(["add", str(path), "--data", str(data)]) == 0
    (data / "boilerplate.yml").write_text(
        "rules:\n  - id: subscribe\n    description: a box\n    pattern: '^SUBSCRIBE.*$'\n"
        "    outlets: [REUTERS]\n", encoding="utf-8")  # fmt: skip
    (data / "outlets.yml").write_text(
        "outlets:\n  Reuters:\n    type: wire\n    spellings: [REUTERS]\n", encoding="utf-8"
    )
    table = pd.read_csv(data / "corpus.csv", dtype=str, keep_default_na=False)
    table["outlet_type"] = ["", "independent"]
    table.to_csv(data / "corpus.csv", index=False)
    corpus = process_corpus(data, reprints="keep")
    assert corpus.documents["outlet"].tolist() == ["Reuters", "Agency X"]
    assert corpus.documents["outlet_type"].tolist() == ["wire", "independent"]
    assert "SUBSCRIBE" not in corpus.cleaned["d0"] and "SUBSCRIBE" in corpus.cleaned["d1"]


def test_a_dataframe_keeps_its_document_variables(tmp_path):
    from rhetoric import process_dataframe

    frame = pd.DataFrame({
        "text": [TEXT.format(topic="arms control and nuclear risk reduction"),
                 TEXT.format(topic="trade, energy and the payments in national currencies")],
        "date": ["2021-06-16", "2021-06-17"], "parties": ["US,RU", "US,RU"],
        "partial": [True, False], "event": ["geneva", "geneva"], "reprint_of": ["", "none"],
    })  # fmt: skip
    corpus = process_dataframe(frame)
    assert corpus.documents[["partial", "event", "reprint_declared"]].values.tolist() == [
        ["true", "geneva", ""], ["false", "geneva", "none"]]  # fmt: skip
    bad = frame.assign(**{"Bad Name": 1})
    with pytest.raises(RhetoricInputError, match=r"column 'Bad Name' cannot be a corpus\.csv"):
        process_dataframe(bad)
