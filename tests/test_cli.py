"""The `rhetoric` command: the contract scripts rely on (exit codes, one-line errors, formats)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
import subprocess
import sys

from conftest import tree_digest
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
