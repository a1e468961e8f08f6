"""rhetoric.text.lexicons: quanteda and LIWC dictionaries in, quanteda out (hand-written files)."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from conftest import ROOT, make_data_dir, tree_digest
from rhetoric.cli import main
from rhetoric.errors import RhetoricInputError
from rhetoric.pipeline import process_corpus, tokenize_texts, tokens_frame
from rhetoric.text.lexicons import import_dictionary, quanteda_yaml, themes_yaml
from rhetoric.text.themes import Theme, match_themes

QUANTEDA = """\
economy:
  - jobs
  - Econom*
  - unemployment
  - 2008
politics:
  domestic:
    - election*
    - vote?
  foreign: [diplomacy, united nations, "*lateral"]
Trust & faith:
  - trust
  - "a|b"
empty: []
"""

LIWC_DIC = (
    "%\n1\tposemo\n2\tnegemo\n3\tsocial\n%\n"
    "trust*\t1\t3\n"  # line 6
    "hate\t2\n"
    "kind of\t1\n"  # a phrase
    "like\t(02 134)125/464\t3\n"  # line 9: conditional, then plain
    ":)\t1\n"  # line 10: no letters
    "friend*\t1 3\n"  # tab, then a space between numbers
    "war\t9\n"  # line 12: no category 9
)

LIWC_DICX = "DicTerm,Trust,Threat\ntrust*,X,\nthreat,,X\nsecurity,X,x\nbad,?,\n"

TEXT = (
    "Jobs and the economy: economic growth, unemployment falls. Elections and voter "
    "turnout; votes. Diplomacy at the United Nations, bilateral and multilateral talks. "
    "We trust a kind of friendship; friends like it; we hate war. Trusting partners."
)


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _matches(themes) -> dict[str, list[str]]:
    docs, _ = tokenize_texts({"a": TEXT}, use_cache=False)
    hits = match_themes(tokens_frame(docs), tuple(themes), pd.Series({"a": TEXT}))
    return {t.id: list(hits.loc[hits["theme"] == t.id, "match"]) for t in themes}


def test_quanteda_keys_become_themes_with_quantedas_matching(tmp_path):
    themes, problems = import_dictionary(_write(tmp_path, "dict.yml", QUANTEDA))
    assert [(t.id, t.label) for t in themes] == [
        ("economy", "economy"),
        ("politics_domestic", "politics.domestic"),
        ("politics_foreign", "politics.foreign"),
        ("trust_faith", "Trust & faith"),
    ]
    assert themes[0].terms == (
        "exact: jobs",
        "glob: econom*",
        "exact: unemployment",
        "exact: 2008",
    )
    assert themes[1].terms == ("glob: election*", "glob: vote?")
    assert themes[2].terms == ("exact: diplomacy", "exact: united nations", "glob: *lateral")
    assert themes[3].terms == ("exact: trust",)
    assert "quanteda dictionary dict.yml, key 'politics.domestic'" in themes[1].description
    assert [(p.line, p.message) for p in problems] == [
        (13, ("key 'Trust & faith': 'a|b' cannot be a term (term 'exact: a|b' looks like a "
              "regular expression; exact terms take no wildcards; write 'glob: ...' or "
              "'regex: ...') (line 13)")),
        (14, "key 'empty' has no values (line 14)"),
    ]  # fmt: skip
    assert _matches(themes) == {
        "economy": ["Jobs", "economy", "economic", "unemployment"],  # not "Elections"
        "politics_domestic": ["Elections", "voter", "votes"],  # vote? is one letter more
        "politics_foreign": ["Diplomacy", "United Nations", "bilateral", "multilateral"],
        "trust_faith": ["trust"],  # exact: not "Trusting"
    }


def test_liwc_dic_categories_become_themes(tmp_path):
    themes, problems = import_dictionary(_write(tmp_path, "mini.dic", LIWC_DIC))
    assert [(t.id, t.terms) for t in themes] == [
        ("posemo", ("glob: trust*", "exact: kind of", "glob: friend*")),
        ("negemo", ("exact: hate",)),
        ("social", ("glob: trust*", "exact: like", "glob: friend*")),
    ]
    assert "LIWC dictionary mini.dic, category 'posemo'" in themes[0].description
    assert [p.line for p in problems] == [9, 10, 12]
    assert "conditional category '(02 134)125/464'" in problems[0].message
    assert "':)' cannot be a term" in problems[1].message
    assert "names category 9, not in the header" in problems[2].message
    assert _matches(themes) == {
        "posemo": ["trust", "kind of", "friendship", "friends", "Trusting"],
        "negemo": ["hate"],
        "social": ["trust", "friendship", "friends", "like", "Trusting"],
    }


def test_liwc_dic_with_spaces_for_tabs(tmp_path):
    text = "%\n1 posemo\n2 social\n%\n911 2\nkind of 1 2\nnone\n"
    themes, problems = import_dictionary(_write(tmp_path, "spaces.dic", text))
    assert [(t.id, t.terms) for t in themes] == [
        ("posemo", ("exact: kind of",)),
        ("social", ("exact: 911", "exact: kind of")),
    ]
    assert problems == []


def test_a_quanteda_key_without_values_is_named(tmp_path):
    _themes, problems = import_dictionary(_write(tmp_path, "d.yml", "a:\nb: [x]\n"))
    assert [(p.line, p.message) for p in problems] == [(1, "key 'a' has no values (line 1)")]


def test_liwc22_dicx_columns_become_themes(tmp_path):
    themes, problems = import_dictionary(_write(tmp_path, "mini.dicx", LIWC_DICX))
    assert [(t.id, t.label, t.terms) for t in themes] == [
        ("trust", "Trust", ("glob: trust*", "exact: security")),
        ("threat", "Threat", ("exact: threat", "exact: security")),
    ]
    assert [(p.line, "'bad' has '?' under 'Trust'" in p.message) for p in problems] == [(5, True)]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("x.dic", "1\tposemo\ntrust\t1\n", "expected the categories between two '%' lines"),
        ("x.dic", "%\nposemo\n%\n", "line 2: expected a category number"),
        ("x.dicx", "Word,Trust\ntrust,X\n", "first column is DicTerm"),
        ("x.yml", "- a\n- b\n", "expected a mapping of keys to values"),
        ("x.txt", "a: [b]\n", "give format='quanteda' or format='liwc'"),
    ],
)
def test_unreadable_dictionaries_are_refused_in_one_line(tmp_path, name, text, message):
    path = _write(tmp_path, name, text)
    if name.endswith(".yml"):
        _themes, problems = import_dictionary(path)
        assert message in problems[0].message
        return
    with pytest.raises(RhetoricInputError, match=message):
        import_dictionary(path)


def test_themes_yaml_reads_back_as_the_same_themes(tmp_path):
    from rhetoric.text.themes import check_themes

    themes = (
        Theme(
            "a", 'Quotes " and: colons', "d.", ("trust", "exact: mutual trust", "glob: *lateral")
        ),
        Theme("b", "B", "Two\nlines.", ("regex: tr(u)st\\w*",)),
    )
    path = _write(tmp_path, "themes.yml", themes_yaml(themes, header="made\nby a test"))
    read, problems = check_themes(path)
    assert problems == []
    assert read[0] == themes[0]
    assert read[1].terms == themes[1].terms and read[1].description == "Two lines."
    assert path.read_text("utf-8").startswith("# made\n# by a test\na:\n")


def test_quanteda_export_writes_stem_terms_with_the_forms_they_matched():
    themes = (
        Theme("t", "T", "d", ("trust", "reliable partner*", "cooperat*", "exact: faith")),
        Theme("r", "R", "d", ("regex: trust(ed)?",)),
    )
    text = "They trusted us, trusts grow; reliable partners cooperate in good faith."
    docs, _ = tokenize_texts({"a": text}, use_cache=False)
    hits = match_themes(tokens_frame(docs), themes, pd.Series({"a": text}))
    written, problems = quanteda_yaml(themes, hits, header="a test", source="themes.yml")
    assert written == (
        '# a test\n"t":\n  - "trust"\n  - "trusted"\n  - "trusts"\n'
        '  - "reliable partner*"\n  - "reliable partners"\n  - "cooperat*"\n  - "faith"\n'
    )
    assert yaml.safe_load(written) == {
        "t": ["trust", "trusted", "trusts", "reliable partner*", "reliable partners",
              "cooperat*", "faith"]
    }  # fmt: skip
    assert len(problems) == 1 and problems[0].file == "themes.yml"
    assert "term 'regex: trust(ed)?' left out" in problems[0].message


@pytest.mark.slow
def test_export_then_import_finds_the_same_hits_in_the_bundled_corpus(tmp_path, capsys):
    exported, imported = tmp_path / "quanteda.yml", tmp_path / "themes.yml"
    data = str(ROOT / "data")
    assert main(["lexicon", "export", "--data", data, "--out", str(exported)]) == 0
    assert main(["lexicon", "import", str(exported), "--out", str(imported)]) == 0
    assert "rhetoric lexicon import: 9 themes" in capsys.readouterr().err
    before = process_corpus(ROOT / "data").hits
    after = process_corpus(ROOT / "data", themes_file=imported).hits
    columns = ["document", "theme", "start", "end"]
    pd.testing.assert_frame_equal(before[columns], after[columns])
    assert set(after["term"].str.split(":").str[0]) <= {"exact", "glob"}


def test_cli_import_refuses_and_writes_nothing_unless_told(tmp_path, capsys):
    source = _write(tmp_path, "dict.yml", QUANTEDA)
    out = tmp_path / "themes.yml"
    before = tree_digest(tmp_path)
    assert main(["lexicon", "import", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    heads = [line.split(":")[0] for line in err]
    assert heads == ["refused", "refused", f"rhetoric lexicon import {source}"]
    assert "2 entries cannot be expressed" in err[-1] and "--skip-refused" in err[-1]
    assert tree_digest(tmp_path) == before
    assert main(["lexicon", "import", str(source), "--out", str(out), "--skip-refused"]) == 0
    assert capsys.readouterr().err.splitlines()[0].startswith("left out: ")
    assert "Entries left out: 2." in out.read_text("utf-8")
    written = tree_digest(tmp_path)
    assert main(["lexicon", "import", str(source), "--out", str(out), "--skip-refused"]) == 2
    assert "exists; nothing was written (give --out a new file, or add --replace" in (
        capsys.readouterr().err
    )
    assert tree_digest(tmp_path) == written
    out.write_text("old\n", encoding="utf-8")
    argv = ["lexicon", "import", str(source), "--out", str(out), "--skip-refused", "--replace"]
    assert main(argv) == 0
    assert out.read_text("utf-8").startswith("# Themes imported")
    link = tmp_path / "link.yml"
    link.symlink_to(out)
    assert main([*argv[:3], "--out", str(link), "--skip-refused", "--replace"]) == 2
    assert "is a symbolic link or a folder" in capsys.readouterr().err


def test_cli_import_then_analyse_a_study(tmp_path, capsys):
    dic = _write(tmp_path, "mini.dic", "%\n1\tbond\n%\ntrust*\t1\npartner\t1\n")
    data = make_data_dir(tmp_path / "data", [(TEXT, "2024-01-01", "US,RU")])
    (data / "themes.yml").unlink()
    assert main(["lexicon", "import", str(dic), "--out", str(data / "themes.yml")]) == 0
    assert main(["validate", "--data", str(data)]) == 0
    capsys.readouterr()
    assert main(["lexicon", "--data", str(data), "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows == [
        "theme,language,term,hits,negated,documents,matches,language_documents",
        "bond,en,glob: trust*,2,0,1,trust; trusting,1",
        "bond,en,exact: partner,0,0,0,,1",
    ]


def test_a_format_not_known_is_refused_by_name(tmp_path):
    from rhetoric.text.lexicons import dictionary_format, import_dictionary

    path = tmp_path / "words.dic"
    path.write_text("%\n1\tpositive\n%\ngood\t1\n", encoding="utf-8")
    assert dictionary_format(path, None) == "liwc"
    with pytest.raises(RhetoricInputError, match=r"^format='LIWC': use one of quanteda, liwc$"):
        import_dictionary(path, format=dictionary_format(path, "LIWC"))


def test_many_categories_without_a_latin_name_get_numbered_ids(tmp_path):
    # 3,000 Cyrillic names all reduce to "theme": numbered in one pass (this was quadratic)
    letters = "абвгдежзиклмнопрстуфхцчшщэюя"
    names = [letters[i % 28] + letters[i // 28 % 28] + letters[i // 784] for i in range(3000)]
    lines = ["%", *(f"{i + 1}\t{name}" for i, name in enumerate(names)), "%",
             *(f"слово{i}\t{i + 1}" for i in range(3000))]  # fmt: skip
    path = tmp_path / "cyrillic.dic"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    themes, problems = import_dictionary(path, format="liwc")
    assert problems == []
    assert [t.id for t in themes] == ["theme", *(f"theme_{k}" for k in range(2, 3001))]
    assert [t.label for t in themes] == names


def test_a_value_with_a_line_separator_is_refused_not_split_into_a_phrase(tmp_path):
    path = tmp_path / "odd.dic"
    path.write_text("%\n1\tpositive\n%\ngood\u2028bad\t1\nfine\t1\n", encoding="utf-8")
    themes, problems = import_dictionary(path, format="liwc")
    assert [t.terms for t in themes] == [("exact: fine",)]
    assert len(problems) == 1 and "separated only by spaces" in str(problems[0])
    assert "\\u2028" in str(problems[0])


@pytest.mark.parametrize(
    ("header", "entry", "message"),
    [
        ("²\tpositive", "good\t²", "line 2: expected a category number"),  # a digit, no number
        ("9" * 5000 + "\tpositive", "good\t1", "line 2: expected a category number"),
        ("1\tpositive", "good\t²", "'good' names category '²', not a category number"),
        ("1\tpositive", "good\t" + "9" * 5000, "not a category number (digits 0-9, at most 9)"),
    ],
)
def test_odd_category_numbers_are_one_line(tmp_path, header, entry, message):
    path = tmp_path / "odd.dic"
    path.write_text(f"%\n{header}\n%\n{entry}\nfine\t1\n", encoding="utf-8")
    try:
        _themes, problems = import_dictionary(path, format="liwc")
    except RhetoricInputError as exc:
        found = str(exc)
    else:
        found = "\n".join(str(p) for p in problems)
    assert message in found and len(found) < 300


def test_a_dicx_cell_past_the_csv_limit_is_one_line(tmp_path):
    path = tmp_path / "huge.dicx"
    path.write_text("DicTerm,posemo\ngood,X\n" + "g" * 200_000 + ",X\n", encoding="utf-8")
    with pytest.raises(RhetoricInputError, match=r"huge.dicx: not valid CSV near line 3 \(field"):
        import_dictionary(path, format="liwc")
