"""The `rhetoric` command: the contract scripts rely on (exit codes, one-line errors, formats)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
import subprocess
import sys

import pytest

from conftest import make_data_dir, tree_digest
from rhetoric.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_clean(capsys, data_dir):
    code, out, err = run(capsys, "validate", "--data", str(data_dir))
    assert code == 0 and err == ""
    assert out.strip().endswith(
        "ok: 3 statements (2 dyads: CN-RU, RU-US), 9 themes, 7 boilerplate rules"
    )


def test_validate_lists_each_problem_and_exits_2(capsys, data_dir):
    (data_dir / "raw" / "2020-04-25-us-ru-elbe.txt").unlink()
    (data_dir / "themes.yml").write_text("trust: [\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", "--data", str(data_dir))
    lines = err.strip().splitlines()
    assert code == 2 and out == ""
    assert len(lines) == 3 and lines[-1].endswith(": 2 problems")
    assert "Traceback" not in err


def test_corpus_csv_columns(capsys, data_dir):
    code, out, _ = run(capsys, "corpus", "--data", str(data_dir), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 3
    assert {"id", "title", "date", "dyad", "kind", "outlet"} <= set(rows[0])
    assert rows[2]["dyad"] == "CN-RU"


def test_corpus_json(capsys, data_dir):
    code, out, _ = run(capsys, "corpus", "--data", str(data_dir), "--format", "json")
    assert code == 0 and json.loads(out)[0]["id"] == "2010-04-25-us-ru-elbe"


def test_add_prints_new_id(capsys, data_dir, tmp_path):
    statement = tmp_path / "s.txt"
    statement.write_text("Both sides value mutual trust.", encoding="utf-8")
    code, out, err = run(
        capsys,
        "add",
        str(statement),
        "--data",
        str(data_dir),
        "--date",
        "2024-05-16",
        "--parties",
        "RU,CN",
        "--title",
        "Beijing statement",
    )
    assert (code, out, err) == (0, "2024-05-16-ru-cn-beijing-statement\n", "")
    assert main(["validate", "--data", str(data_dir)]) == 0


def test_add_refusal_is_one_line_exit_2_and_changes_nothing(capsys, data_dir, tmp_path):
    statement = tmp_path / "s.txt"
    statement.write_text("Text.", encoding="utf-8")
    before = tree_digest(data_dir)
    code, out, err = run(
        capsys,
        "add",
        str(statement),
        "--data",
        str(data_dir),
        "--date",
        "2025-02-30",
        "--parties",
        "US",
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "date '2025-02-30' does not exist" in err
    assert tree_digest(data_dir) == before


def test_usage_error_is_one_line(capsys):
    code, _, err = run(capsys, "corpus", "--format", "xml")
    assert code == 2 and err.count("\n") == 1 and "invalid choice: 'xml'" in err


def test_console_script_no_traceback(data_dir):
    """The installed command, as a user runs it: a missing corpus is one line, status 2."""
    exe = Path(sys.executable).with_name("rhetoric")
    empty = data_dir.parent / "empty"
    empty.mkdir()
    result = subprocess.run(
        [str(exe), "corpus", "--data", str(empty)],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "corpus.csv: file not found" in result.stderr


# -- measure commands on the toy corpus (conftest.TOY_STATEMENTS) ------------------------


def _csv(capsys, *argv: str) -> list[dict]:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_themes_csv_contract(capsys, toy_data):
    rows = _csv(
        capsys,
        "themes",
        "--data",
        str(toy_data),
        "--by",
        "dyad",
        "--format",
        "csv",
        "--draws",
        "100",
    )
    assert list(rows[0])[:9] == [
        "group",
        "theme",
        "count",
        "negated",
        "tokens",
        "per_1000",
        "ci_low",
        "ci_high",
        "exact_low",
    ]
    by_key = {(r["group"], r["theme"]): r for r in rows}
    assert (
        by_key[("RU-US", "trust")]["count"] == "2" and by_key[("RU-US", "trust")]["tokens"] == "18"
    )
    assert (
        by_key[("CN-RU", "empty_theme")]["count"] == "0"
    )  # a theme with no hits: a row, not a crash


def test_themes_by_voice_and_year(capsys, toy_data):
    rows = _csv(
        capsys,
        "themes",
        "--data",
        str(toy_data),
        "--by",
        "year",
        "--voice",
        "--format",
        "csv",
        "--draws",
        "20",
    )
    assert {r["voice"] for r in rows} == {"quoted", "narration"}
    assert {r["group"] for r in rows} == {"2010", "2020", "2025"}
    # 2020 has no quoted tokens: the rate is undefined (empty), not zero, and nothing crashes
    row = next(
        r
        for r in rows
        if r["group"] == "2020" and r["voice"] == "quoted" and r["theme"] == "trust"
    )
    assert row["tokens"] == "0" and row["per_1000"] == ""


def test_terms_csv(capsys, toy_data):
    rows = _csv(
        capsys,
        "terms",
        "--data",
        str(toy_data),
        "--by",
        "document",
        "--top",
        "2",
        "--format",
        "csv",
    )
    assert list(rows[0])[:4] == ["group", "term", "count", "tokens"]
    assert [r["group"] for r in rows] == ["toy-0", "toy-0", "toy-1", "toy-1", "toy-2", "toy-2"]


def test_similarity_commands(capsys, toy_data):
    docs = _csv(
        capsys, "similarity", "--data", str(toy_data), "--between", "documents", "--format", "csv"
    )
    assert list(docs[0]) == ["a", "b", "cosine"] and len(docs) == 6
    themes = _csv(
        capsys, "similarity", "--data", str(toy_data), "--between", "themes", "--format", "csv"
    )
    assert len(themes) == 9
    contexts = _csv(
        capsys, "similarity", "--data", str(toy_data), "--between", "contexts", "--format", "csv"
    )
    assert list(contexts[0])[:4] == ["theme", "a", "b", "cosine"]


def test_keyness_csv(capsys, toy_data):
    rows = _csv(
        capsys, "keyness", "--data", str(toy_data), "--target", "US–Russia", "--format", "csv"
    )
    assert list(rows[0]) == [
        "term", "target_count", "reference_count", "target_total", "reference_total",
        "target_documents", "reference_documents", "g2", "p_value", "log_ratio", "log_odds_z",
        "doc_z", "doc_p_value", "doc_p_adjusted",
    ]  # fmt: skip
    by_term = {r["term"]: r for r in rows}
    assert by_term["trust"]["target_count"] == "2" and by_term["trust"]["reference_total"] == "5"
    # trust is in all three documents; words of a single document are left out by default
    assert (by_term["trust"]["target_documents"], by_term["trust"]["reference_documents"]) == (
        "2", "1")  # fmt: skip
    assert set(by_term) == {"trust", "partnership"}
    every = _csv(capsys, "keyness", "--data", str(toy_data), "--target", "US–Russia",
                 "--min-documents", "1", "--sort", "g2", "--format", "csv")  # fmt: skip
    assert "leaders" in {r["term"] for r in every}
    g2_values = [float(r["g2"]) for r in every]
    assert g2_values == sorted(g2_values, reverse=True)


def test_keyness_single_document_group_and_empty_reference(capsys, toy_data):
    rows = _csv(
        capsys,
        "keyness",
        "--data",
        str(toy_data),
        "--target",
        "toy-2",
        "--by",
        "document",
        "--reference",
        "toy-0",
        "--min-documents",
        "1",
        "--format",
        "csv",
    )
    assert rows and {r["target_total"] for r in rows} == {"5"}
    code, out, _err = run(
        capsys, "keyness", "--data", str(toy_data), "--target", "corpus", "--by", "corpus"
    )
    assert code == 0 and out.startswith("(no rows) columns: term, target_count")


def test_keyness_unknown_group(capsys, toy_data):
    code, _, err = run(capsys, "keyness", "--data", str(toy_data), "--target", "CN-US")
    assert code == 2 and err.count("\n") == 1 and "not a dyad in this corpus" in err


def test_kwic_and_theme(capsys, toy_data):
    rows = _csv(
        capsys, "kwic", "trust", "--data", str(toy_data), "--format", "csv", "--window", "1"
    )
    assert [r["match"] for r in rows] == ["trust", "trust", "trust"]
    assert list(rows[0])[:5] == ["document", "voice", "left", "match", "right"]
    rows = _csv(
        capsys, "kwic", "--theme", "empty_theme", "--data", str(toy_data), "--format", "csv"
    )
    assert rows == []
    code, _, err = run(capsys, "kwic", "--data", str(toy_data))
    assert code == 2 and "give a PATTERN or --theme" in err


def test_collocates_csv(capsys, toy_data):
    rows = _csv(
        capsys,
        "collocates",
        "partner*",
        "--data",
        str(toy_data),
        "--min-count",
        "1",
        "--format",
        "csv",
    )
    assert (
        list(rows[0])[:3] == ["group", "collocate", "count"]
        and "g2" in rows[0]
        and "pmi" in rows[0]
    )
    code, out, _ = run(capsys, "collocates", "hegemony", "--data", str(toy_data))
    assert code == 0 and out.startswith("(no rows)")


def test_lexicon_unmatched(capsys, toy_data):
    rows = _csv(capsys, "lexicon", "--unmatched", "--data", str(toy_data), "--format", "csv")
    assert [(r["theme"], r["term"]) for r in rows] == [("empty_theme", "hegemony")]


def test_bad_by_is_one_line(capsys, toy_data):
    code, _, err = run(capsys, "themes", "--data", str(toy_data), "--by", "party")
    assert code == 2 and err.count("\n") == 1 and "not a document variable" in err


def test_compare_csv_contract_and_too_few_units(capsys, toy_data):
    rows = _csv(capsys, "compare", "--data", str(toy_data), "--a", "US–Russia", "--b", "CN-RU",
                "--format", "csv")  # fmt: skip
    assert list(rows[0])[:14] == [
        "theme", "unit", "a_units", "b_units", "a_documents", "b_documents", "a_per_1000",
        "b_per_1000", "rate_ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "p_adjusted",
        "verdict",
    ]  # fmt: skip
    assert [r["theme"] for r in rows] == ["trust", "partnership", "empty_theme"]
    assert {r["verdict"] for r in rows} == {"too_few_units"}
    assert (rows[0]["a_units"], rows[0]["b_units"], rows[0]["p_value"]) == ("2", "1", "")
    code, _out, err = run(capsys, "compare", "--data", str(toy_data), "--a", "RU-US", "--b", "XX")
    assert code == 2 and err.count("\n") == 1 and "not a dyad in this corpus" in err


def test_compare_gives_a_verdict_with_enough_documents(capsys, tmp_path):
    from test_measures import GROUPED

    data = make_data_dir(tmp_path / "grouped", GROUPED)
    rows = _csv(capsys, "compare", "--data", str(data), "--a", "RU-US", "--b", "CN-RU",
                "--format", "csv")  # fmt: skip
    trust = rows[0]
    assert trust["verdict"] == "a_higher" and float(trust["p_adjusted"]) < 0.05
    again = _csv(capsys, "compare", "--data", str(data), "--a", "RU-US", "--b", "CN-RU",
                 "--format", "csv")  # fmt: skip
    assert again == rows  # the second answer comes from the cache, unchanged
    narrowed = _csv(capsys, "compare", "--data", str(data), "--a", "RU-US", "--b", "CN-RU",
                    "--where", "year!=2010,2011", "--format", "csv")  # fmt: skip
    assert (narrowed[0]["a_documents"], narrowed[0]["b_documents"]) == ("4", "4")
    assert narrowed[0]["verdict"] == "too_few_units"


def test_where_filters_every_analysis_command(capsys, toy_data):
    rows = _csv(capsys, "themes", "--data", str(toy_data), "--where", "dyad=RU-US",
                "--where", "year!=2010", "--format", "csv")  # fmt: skip
    assert {r["group"] for r in rows} == {"toy-1"}
    corpus = _csv(capsys, "corpus", "--data", str(toy_data), "--where", "dyad=CN-RU",
                  "--format", "csv")  # fmt: skip
    assert [r["id"] for r in corpus] == ["toy-2"]
    for where, message in (("colour=red", "not a corpus.csv column"),
                           ("dyad=CN-US", "no document has dyad CN-US"),
                           ("dyad", "write COLUMN=VALUE")):  # fmt: skip
        code, _out, err = run(capsys, "terms", "--data", str(toy_data), "--where", where)
        assert code == 2 and err.count("\n") == 1 and message in err, err


def test_one_stopword_policy_cli_tables_reproduce_the_notebooks(capsys):
    """Without options, the CLI gives the numbers notebooks 03 and 04 show (same calls)."""
    from rhetoric.measures.concordance import collocates
    from rhetoric.measures.similarity import context_similarity
    from rhetoric.pipeline import process_corpus

    processed = process_corpus()
    notebook_03 = context_similarity(processed, by="dyad", stopwords="drop")  # as notebook 03
    code, out, _ = run(capsys, "similarity", "--between", "contexts", "--format", "csv")
    cli = list(csv.DictReader(io.StringIO(out)))
    trust = next(r for r in cli if r["theme"] == "trust")
    expected = notebook_03.set_index("theme").loc["trust", "cosine"]
    assert code == 0 and float(trust["cosine"]) == pytest.approx(expected, abs=1e-12)
    assert round(expected, 3) == 0.103  # the number notebook 03 prints
    code, out, _ = run(capsys, "similarity", "--between", "contexts", "--stopwords", "keep",
                       "--format", "csv")  # fmt: skip
    kept = next(r for r in csv.DictReader(io.StringIO(out)) if r["theme"] == "trust")
    assert round(float(kept["cosine"]), 3) == 0.372  # function words kept: another number
    notebook_04 = collocates(
        processed, "trust", by="dyad", window=5, min_count=1, stopwords="drop"
    )
    code, out, _ = run(capsys, "collocates", "trust", "--min-count", "1", "--format", "csv")
    assert [r["collocate"] for r in csv.DictReader(io.StringIO(out))] == notebook_04[
        "collocate"
    ].tolist()
    code, out, _ = run(capsys, "terms", "--help")
    out = " ".join(out.split())  # argparse wraps the help
    assert "--stopwords {keep,drop}" in out and "counts and denominators always keep" in out


@pytest.mark.parametrize(
    ("call", "library", "command", "option"),
    [
        ("compare", "a='RU-US' and b='RU-US' are the same group",
         ["compare", "--a", "RU-US", "--b", "US–Russia"],
         "--a 'RU-US' and --b 'RU-US' are the same group"),
        ("keyness", "reference='RU-US' is the target itself",
         ["keyness", "--target", "RU-US", "--reference", "RU-US"],
         "--reference 'RU-US' is the target itself"),
        ("themes", "by='colour': not a document variable", ["themes", "--by", "colour"],
         "--by 'colour': not a document variable"),
        ("terms", "ngrams='9': orders from 1 to 5", ["terms", "--ngrams", "9"],
         "--ngrams '9': orders from 1 to 5"),
    ],
)  # fmt: skip
def test_the_library_names_parameters_and_the_command_line_its_options(
    call, library, command, option, capsys, toy_data
):
    from rhetoric import measures
    from rhetoric.errors import RhetoricInputError
    from rhetoric.measures import concordance, rates
    from rhetoric.pipeline import process_corpus

    corpus = process_corpus(toy_data)
    run = {
        "compare": lambda: rates.compare_groups(corpus, a="RU-US", b="US–Russia"),
        "keyness": lambda: measures.keyness(corpus, target="RU-US", reference="RU-US"),
        "themes": lambda: rates.theme_rates(corpus, by="colour"),
        "terms": lambda: measures.term_frequencies(corpus, ngrams="9"),
    }[call]
    with pytest.raises(ValueError, match=library) as raised:  # a ValueError, as Python's are
        run()
    assert isinstance(raised.value, RhetoricInputError)
    with pytest.raises(RhetoricInputError, match=r"^window=-1: must be 0 or more$"):
        concordance.kwic(corpus, "trust", window=-1)  # argparse checks the option first
    assert main([*command, "--data", str(toy_data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(option) and err.count("\n") == 1, err


def test_option_wording_changes_only_the_parameters_an_error_names():
    from rhetoric.cli.app import option_wording
    from rhetoric.errors import RhetoricInputError

    def shown(message, **kwargs):
        return option_wording(RhetoricInputError(message, **kwargs))

    assert shown("window=-1: must be 0 or more") == "--window -1: must be 0 or more"
    assert shown("out_dir='x.txt': not a folder") == "--out 'x.txt': not a folder"
    # a value that holds NAME=... (several --where conditions) stays as it is
    assert shown("where='kind=x; date=2019-06-05; id=a': no document meets every condition") == (
        "--where 'kind=x; date=2019-06-05; id=a': no document meets every condition"
    )
    # a notebook parameter, and the library error inside it
    assert (
        shown("-p where=kind=a;date=2020: no document") == "-p where=kind=a;date=2020: no document"
    )
    assert shown("-p compare_by=x: by='x': not a document variable", parameters=("by",)) == (
        "-p compare_by=x: --by 'x': not a document variable"
    )
    assert shown("a='RU-US' and b='RU-US' are the same group", parameters=("a", "b")) == (
        "--a 'RU-US' and --b 'RU-US' are the same group"
    )
    # paths are not parameters, even with NAME= in them
    assert shown("exports/date=2024/corpus.csv: file not found") == (
        "exports/date=2024/corpus.csv: file not found"
    )
    assert shown("date=2024/corpus.csv: file not found") == "date=2024/corpus.csv: file not found"
    assert shown("data/themes.yml: theme 'trust' has no terms") == (
        "data/themes.yml: theme 'trust' has no terms"
    )


def test_json_keeps_small_numbers_and_writes_missing_ones_as_null(capsys):
    import numpy as np
    import pandas as pd

    from rhetoric.cli.common import print_frame

    frame = pd.DataFrame({"p": [1.5e-12, np.inf, np.nan, 0.1 + 0.2], "n": [1, 2, 3, 4],
                          "name": ["a", None, "c", "d"]})  # fmt: skip
    print_frame(frame, "json")
    records = json.loads(capsys.readouterr().out)
    assert [r["p"] for r in records] == [1.5e-12, None, None, 0.30000000000000004]
    assert [r["n"] for r in records] == [1, 2, 3, 4]
    assert [r["name"] for r in records] == ["a", None, "c", "d"]


def test_run_refuses_an_output_that_is_a_file_in_the_options_words(toy_data, tmp_path, capsys):
    target = tmp_path / "out.txt"
    target.write_text("mine\n", encoding="utf-8")
    assert main(["run", "--data", str(toy_data), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--out ") and "not a folder" in err and err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_compare_every_pair_and_sensitivity(capsys, tmp_path):
    from test_measures import GROUPED

    data = make_data_dir(tmp_path / "grouped", GROUPED)
    rows = _csv(capsys, "compare", "--data", str(data), "--format", "csv")
    assert list(rows[0])[:3] == ["a", "b", "theme"] and {(r["a"], r["b"]) for r in rows} == {
        ("RU-US", "CN-RU")}  # fmt: skip
    rows = _csv(capsys, "compare", "--data", str(data), "--a", "RU-US", "--b", "CN-RU",
                "--sensitivity", "--format", "csv")  # fmt: skip
    assert list(rows[0])[:5] == ["theme", "verdict", "reprints_kept", "primary_only",
                                 "coverage_only"]  # fmt: skip
    trust = rows[0]
    assert (trust["verdict"], trust["events_left_out"]) == ("a_higher", "12")
    code, _out, err = run(capsys, "compare", "--data", str(data), "--a", "RU-US")
    assert code == 2 and err.count("\n") == 1 and "give both" in err
    code, _out, err = run(capsys, "compare", "--data", str(data), "--sensitivity")
    assert code == 2 and "--sensitivity: name the comparison" in err
