"""Hostile YAML (issue 20, point 5): refused in one line naming the file and line, before
anything is built."""

from __future__ import annotations

import pytest

from rhetoric.cli import main
from rhetoric.errors import RhetoricInputError
from rhetoric.store.yamlfile import MAX_DEPTH, parse_yaml

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=False)
)  # nine levels of nine: 9**9 (387 million) strings once expanded

HOSTILE = {
    "billion laughs": (LAUGHS, "anchors and aliases", 1),
    "an alias": ("x: &v 1\ny: *v\n", "anchors and aliases", 1),
    "a timestamp tag": ("ok: 1\nx: !!timestamp 2024-02-30\n", "YAML tag !!timestamp", 2),
    "a python tag": ("x: !!python/object/apply:os.system [echo]\n", "YAML tag !!python", 1),
    "a 5000-digit integer": ("x: " + "9" * 5000 + "\n", "a number of 5000 characters", 1),
    "a lone surrogate": ('x: "\\ud800"\n', "lone surrogate", 1),
    "5000-deep nesting": ("x: " + "[" * 5000 + "]" * 5000 + "\n", f"more than {MAX_DEPTH}", 1),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_yaml_is_refused_in_one_line(case):
    text, words, line = HOSTILE[case]
    with pytest.raises(RhetoricInputError) as refused:
        parse_yaml(text, source="parties.yml", line_offset=0)
    message = str(refused.value)
    assert message.startswith("parties.yml: ") and words in message and "\n" not in message
    assert message.endswith(f"(line {line})")


def test_plain_yaml_still_reads_and_front_matter_lines_are_shifted():
    assert parse_yaml("x: [1, 2, {a: b}]\nn: '00123'\n", source="t.yml") == {
        "x": [1, 2, {"a": "b"}],
        "n": "00123",
    }
    with pytest.raises(RhetoricInputError, match=r"\(line 5\)$"):
        parse_yaml("a: 1\nb: *x\n", source="statement.txt (front matter)", line_offset=3)


@pytest.mark.parametrize(
    ("front", "words"),
    [
        ("parties: 12", "party code '12'"),
        ("parties: {US: 1}", "must be party codes"),
        ("parties: [[US], RU]", "must be party codes"),
        ("parties: &p [US, RU]", "anchors and aliases"),
    ],
)
def test_front_matter_of_the_wrong_shape_is_one_line(front, words, tmp_path, capsys):
    from conftest import make_data_dir

    data = make_data_dir(tmp_path / "data", [])
    source = tmp_path / "new.txt"
    source.write_text(f"---\ntitle: X\ndate: 2024-01-02\n{front}\n---\nSome text about trust.\n",
                      encoding="utf-8")  # fmt: skip
    assert main(["add", str(source), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert (data / "corpus.csv").read_text(encoding="utf-8").count("\n") == 1  # nothing added


def test_an_unquoted_leading_glob_is_told_to_take_quotes(tmp_path):
    from rhetoric.text.themes import check_themes

    path = tmp_path / "themes.yml"
    path.write_text("t:\n  label: T\n  description: d.\n  terms:\n    - *trust\n", "utf-8")
    _themes, problems = check_themes(path)
    assert len(problems) == 1 and problems[0].line == 5
    assert """a glob that starts with '*' goes in quotes: "*trust\"""" in problems[0].message
