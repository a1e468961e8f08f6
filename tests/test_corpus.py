"""rhetoric.data.folder: loading, checking and adding statements."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import ROOT, tree_digest
from rhetoric.data.folder import (
    add_statements,
    check_corpus,
    corpus_fingerprint,
    load_corpus,
    split_front_matter,
    validate_data,
)
from rhetoric.errors import RhetoricInputError, display_path

SEEDS = ROOT.parent / "shared" / "seeds"


# -- the bundled corpus --------------------------------------------------------------


def test_bundled_raw_files_are_the_seeds_byte_for_byte():
    corpus = load_corpus(ROOT / "data")
    for row in corpus.itertuples():
        raw = (ROOT / "data" / row.file).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == row.sha256
    if SEEDS.is_dir():  # the shared folder sits beside the checkout in development and CI
        seeds = {hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")}
        assert seeds == set(corpus["sha256"])


def test_load_corpus_returns_metadata_dyads_and_text():
    corpus = load_corpus(ROOT / "data")
    assert list(corpus["id"]) == [
        "2010-04-25-us-ru-elbe",
        "2020-04-25-us-ru-elbe",
        "2025-05-08-ru-cn-partnership",
    ]
    assert list(corpus["dyad"]) == ["RU-US", "RU-US", "CN-RU"]
    assert list(corpus["dyad_label"]) == ["US–Russia", "US–Russia", "Russia–China"]
    assert list(corpus["year"]) == [2010, 2020, 2025]
    assert corpus.loc[0, "parties"] == ("US", "RU")
    assert corpus.loc[2, "text"].startswith(" date 2025-05-08 Russian President")
    assert corpus.loc[0, "text"].endswith("Remind me later.")


def test_validate_clean_bundled_data():
    problems, summary = validate_data(ROOT / "data")
    assert problems == []
    assert "3 statements" in summary and "2 dyads: CN-RU, RU-US" in summary


def test_fingerprint_changes_with_themes(data_dir):
    before = corpus_fingerprint(data_dir)
    with (data_dir / "themes.yml").open("a", encoding="utf-8") as f:
        f.write("\nextra:\n  label: Extra\n  description: d\n  terms: [word]\n")
    assert corpus_fingerprint(data_dir) != before
    assert len(before) == 16


def test_extra_column_is_kept_as_a_document_variable(data_dir):
    csv_file = data_dir / "corpus.csv"
    lines = csv_file.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",venue"] + [line + ",Moscow" for line in lines[1:]]
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert list(load_corpus(data_dir)["venue"]) == ["Moscow"] * 3
    assert validate_data(data_dir)[0] == []


# -- validation: each problem is reported -------------------------------------------


def _edit_csv(data_dir: Path, old: str, new: str) -> None:
    path = data_dir / "corpus.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(data_dir: Path) -> list[str]:
    return [str(p) for p in validate_data(data_dir)[0]]


def test_missing_raw_file(data_dir):
    (data_dir / "raw" / "2010-04-25-us-ru-elbe.txt").unlink()
    problems = _problems(data_dir)
    assert len(problems) == 1
    assert "2010-04-25-us-ru-elbe.txt: missing (listed on" in problems[0]
    assert "corpus.csv line 2" in problems[0]


def test_sha256_mismatch(data_dir):
    with (data_dir / "raw" / "2020-04-25-us-ru-elbe.txt").open("ab") as f:
        f.write(b" edited")
    problems = _problems(data_dir)
    assert len(problems) == 1 and "sha256 differs from" in problems[0] and "line 3" in problems[0]
    with pytest.raises(RhetoricInputError, match="sha256 differs"):
        load_corpus(data_dir)


def test_duplicate_id(data_dir):
    _edit_csv(data_dir, "2020-04-25-us-ru-elbe,raw/", "2010-04-25-us-ru-elbe,raw/")
    problems = _problems(data_dir)
    assert any("id '2010-04-25-us-ru-elbe' duplicates line 2" in p for p in problems)


def test_duplicate_text(data_dir):
    raw = data_dir / "raw"
    (raw / "copy.txt").write_bytes((raw / "2010-04-25-us-ru-elbe.txt").read_bytes())
    sha = hashlib.sha256((raw / "copy.txt").read_bytes()).hexdigest()
    with (data_dir / "corpus.csv").open("a", encoding="utf-8") as f:
        f.write(f"copy,raw/copy.txt,Copy,2010-04-26,US;RU,news_article,,,en,{sha}\n")
    problems = _problems(data_dir)
    assert problems == [
        f"{data_dir / 'corpus.csv'}: line 5: same text as line 2 (duplicate statement)"
    ]


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2025-02-30", "does not exist"),
        ("8 May 2025", "is not YYYY-MM-DD"),
        ("", "is not YYYY-MM-DD"),
    ],
)
def test_bad_dates(data_dir, date, message):
    _edit_csv(data_dir, ",2025-05-08,", f",{date},")
    problems = _problems(data_dir)
    assert len(problems) == 1 and message in problems[0] and "line 4" in problems[0]


def test_unknown_party_code(data_dir):
    _edit_csv(data_dir, "RU;CN", "RU;XX")
    assert _problems(data_dir) == [
        f"{data_dir / 'corpus.csv'}: line 4: party code 'XX' is not in parties.yml (add it there)"
    ]


def test_malformed_themes_reports_line(data_dir):
    themes = data_dir / "themes.yml"
    themes.write_text("trust:\n  label: Trust\n  description: d\n  terms: []\n", encoding="utf-8")
    assert _problems(data_dir) == [f"{themes}: theme 'trust' has no terms (line 1)"]
    themes.write_text("trust:\n  label: Trust\n  terms: [trust\n", encoding="utf-8")
    (problem,) = _problems(data_dir)
    assert problem.startswith(f"{themes}: ") and "(line 4)" in problem


def test_every_problem_is_listed_once(data_dir):
    (data_dir / "raw" / "2010-04-25-us-ru-elbe.txt").unlink()
    _edit_csv(data_dir, "RU;CN", "RU;XX")
    (data_dir / "raw" / "stray.txt").write_text("text", encoding="utf-8")
    problems = _problems(data_dir)
    assert len(problems) == 3
    assert any("stray.txt: not listed in" in p for p in problems)


def test_file_outside_raw_is_refused(data_dir):
    _edit_csv(data_dir, "raw/2010-04-25-us-ru-elbe.txt", "../../etc/passwd")
    problems = _problems(data_dir)
    assert any("must be a path inside raw/" in p for p in problems)


def test_missing_column(data_dir):
    _edit_csv(data_dir, ",language,", ",lang,")
    (problem,) = _problems(data_dir)
    assert problem.endswith(
        "missing column language (the header must name "
        "id, file, title, date, parties, kind, outlet, url, language, sha256)"
    )


# -- front matter ----------------------------------------------------------------------


def test_front_matter_is_split_and_dates_stay_strings():
    meta, body = split_front_matter(
        "---\ntitle: T\ndate: 2025-02-30\nparties: [US, CN]\n---\nBody text.\n", source="f"
    )
    assert meta == {"title": "T", "date": "2025-02-30", "parties": ["US", "CN"]}
    assert body == "Body text.\n"


def test_loader_skips_front_matter(data_dir, tmp_path):
    statement = tmp_path / "s.txt"
    statement.write_text(
        "---\ndate: 2024-01-02\nparties: [US, CN]\n---\nWe trust.\n", encoding="utf-8"
    )
    (new_id,) = add_statements([statement], data_dir=data_dir)
    corpus = load_corpus(data_dir).set_index("id")
    assert corpus.loc[new_id, "text"] == "We trust.\n"
    assert (data_dir / "raw" / f"{new_id}.txt").read_bytes() == statement.read_bytes()


# -- add -------------------------------------------------------------------------------


def test_add_with_flags_copies_bytes_and_appends_a_row(data_dir, tmp_path):
    statement = tmp_path / "joint.txt"
    statement.write_bytes(b"The parties reaffirm mutual trust.\r\nNo more.")
    before = (data_dir / "corpus.csv").read_bytes()
    ids = add_statements(
        [statement],
        data_dir=data_dir,
        date="2024-05-16",
        parties="RU,CN",
        title="Joint statement on the new era",
        kind="joint_statement",
        outlet="Kremlin",
    )
    assert ids == ["2024-05-16-ru-cn-joint-statement-new-era"]
    assert (data_dir / "raw" / f"{ids[0]}.txt").read_bytes() == statement.read_bytes()
    after = (data_dir / "corpus.csv").read_bytes()
    assert after.startswith(before)
    corpus = load_corpus(data_dir).set_index("id")
    row = corpus.loc[ids[0]]
    assert (row["dyad"], row["kind"], row["outlet"]) == ("CN-RU", "joint_statement", "Kremlin")
    assert row["text"] == "The parties reaffirm mutual trust.\nNo more."
    assert validate_data(data_dir)[0] == []


def test_add_reads_front_matter_and_flags_override(data_dir, tmp_path):
    statement = tmp_path / "fm.txt"
    statement.write_text(
        "---\ntitle: Front title\ndate: 2023-03-21\nparties: [RU, CN]\nsource: TASS\n"
        "kind: news_article\nmood: kept\n---\nText.\n",
        encoding="utf-8",
    )
    warnings = []
    (new_id,) = add_statements(
        [statement], data_dir=data_dir, kind="joint_statement", warn=warnings.append
    )
    row = load_corpus(data_dir).set_index("id").loc[new_id]
    assert new_id == "2023-03-21-ru-cn-front-title"
    assert (row["title"], row["outlet"], row["kind"]) == ("Front title", "TASS", "joint_statement")
    assert warnings == [] and row["mood"] == "kept"  # another key is a document variable


def test_generated_ids_do_not_collide(data_dir, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("First text.", encoding="utf-8")
    b.write_text("Second text.", encoding="utf-8")
    ids = add_statements([a, b], data_dir=data_dir, date="2024-01-01", parties="US", title="Same")
    assert ids == ["2024-01-01-us-same", "2024-01-01-us-same-2"]


REFUSALS = [
    ("missing", None, {}, "file not found"),
    ("empty", b"", {}, "the file is empty"),
    ("blank", b" \n\t\n", {}, "the file is empty"),
    ("latin1", "Caf\xe9 diplomacy".encode("latin-1"), {}, "not UTF-8 text"),
    ("utf16", "Trust".encode("utf-16"), {}, "UTF-16"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00", {}, "binary"),
    ("nodate", b"Text.", {"date": None}, "no date"),
    ("baddate", b"Text.", {"date": "2025-02-30"}, "does not exist"),
    ("noparties", b"Text.", {"parties": None}, "no parties"),
    ("unknownparty", b"Text.", {"parties": "US,ZZ"}, "'ZZ' is not in parties.yml"),
    ("badid", b"---\nid: ../escape\n---\nText.", {}, "must be lowercase letters"),
    ("upperid", b"---\nid: Bad_Id\n---\nText.", {}, "must be lowercase letters"),
    ("dupid", b"---\nid: 2010-04-25-us-ru-elbe\n---\nText.", {}, "already in the corpus"),
    ("badkind", b"Text.", {"kind": "tweet"}, "kind 'tweet' is not one of"),
    (
        "unsafe",
        b"---\ndate: !!python/object/apply:os.system [echo hi]\n---\nText.",
        {},
        "unsafe or unknown YAML tag !!python/object/apply:os.system",
    ),
    ("unclosed", b"---\ndate: 2020-01-01\nText.", {}, "never closed"),
    ("fmonly", b"---\ndate: 2020-01-01\n---\n\n", {}, "front matter but no text"),
    ("yestitle", b"---\ntitle: yes\n---\nText.", {}, "front matter 'title' is read as true"),
    ("numberoutlet", b"---\noutlet: 2.50\n---\nText.", {}, "'outlet' is read as 2.5,"),
]


@pytest.mark.parametrize(
    ("name", "content", "flags", "message"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_add_refusals_change_nothing(data_dir, tmp_path, name, content, flags, message):
    good = tmp_path / "good.txt"
    good.write_text("A perfectly good statement about trust.", encoding="utf-8")
    bad = tmp_path / f"{name}.txt"
    if content is not None:
        bad.write_bytes(content)
    options = {"date": "2024-01-01", "parties": "US,RU", **flags}
    before = tree_digest(data_dir)
    with pytest.raises(RhetoricInputError) as info:
        add_statements([good, bad], data_dir=data_dir, **options)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert tree_digest(data_dir) == before


def test_add_refuses_text_already_in_corpus(data_dir):
    before = tree_digest(data_dir)
    with pytest.raises(RhetoricInputError, match="same text as statement '2010-04-25-us-ru-elbe'"):
        add_statements(
            [data_dir / "raw" / "2010-04-25-us-ru-elbe.txt"],
            data_dir=data_dir,
            date="2010-04-25",
            parties="US,RU",
        )
    assert tree_digest(data_dir) == before


def test_add_refuses_same_text_twice_in_one_call(data_dir, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Same words.", encoding="utf-8")
    b.write_text("Same words.", encoding="utf-8")
    before = tree_digest(data_dir)
    with pytest.raises(RhetoricInputError, match="same text as statement"):
        add_statements([a, b], data_dir=data_dir, date="2024-01-01", parties="US")
    assert tree_digest(data_dir) == before


def test_add_refuses_into_a_broken_corpus(data_dir, tmp_path):
    (data_dir / "raw" / "2010-04-25-us-ru-elbe.txt").unlink()
    statement = tmp_path / "s.txt"
    statement.write_text("Text.", encoding="utf-8")
    before = tree_digest(data_dir)
    with pytest.raises(RhetoricInputError, match="must validate before adding"):
        add_statements([statement], data_dir=data_dir, date="2024-01-01", parties="US")
    assert tree_digest(data_dir) == before


def test_add_id_with_several_files_is_refused(data_dir, tmp_path):
    with pytest.raises(RhetoricInputError, match=r"id=.* names one statement"):
        add_statements([tmp_path / "a", tmp_path / "b"], data_dir=data_dir, id="x")


def test_check_corpus_returns_good_rows(data_dir):
    rows, problems = check_corpus(data_dir)
    assert problems == [] and next(r["id"] for r in rows) == "2010-04-25-us-ru-elbe"


def test_problems_are_values_with_file_line_and_whether_they_block(data_dir):
    from rhetoric.errors import Problem

    (data_dir / "raw" / "stray.txt").write_text("Not imported.", encoding="utf-8")
    _edit_csv(data_dir, ",2010-04-25,US;RU", ",2010-02-30,US;RU")
    problems = validate_data(data_dir)[0]
    assert all(isinstance(p, Problem) for p in problems)
    bad_date, stray = problems
    assert (bad_date.file, bad_date.line, bad_date.blocking) == (
        display_path(data_dir / "corpus.csv"),
        2,
        True,
    )
    assert "date '2010-02-30' does not exist" in bad_date.message
    assert str(bad_date) == f"{bad_date.file}: {bad_date.message}"
    assert stray.file == display_path(data_dir / "raw" / "stray.txt") and not stray.blocking
    # only the blocking one stops loading
    with pytest.raises(RhetoricInputError, match="does not exist"):
        load_corpus(data_dir)
    _edit_csv(data_dir, ",2010-02-30,US;RU", ",2010-04-25,US;RU")
    assert len(load_corpus(data_dir)) == 3  # the stray file alone does not block


def test_theme_problems_carry_their_line(tmp_path):
    from rhetoric.text.themes import check_themes

    path = tmp_path / "themes.yml"
    path.write_text(
        "trust:\n  label: Trust\n  description: d\n  terms: [trust, trust]\n", encoding="utf-8"
    )
    _, (problem,) = check_themes(path)
    assert problem.line == 4 and problem.blocking and "listed twice" in problem.message


def test_the_format_characters_are_those_of_unicode():
    """The ranges left out of the analysed text are every character of category Cf."""
    import sys
    import unicodedata

    from rhetoric.data.folder import FORMAT_CHARACTERS

    listed = {c for low, high in FORMAT_CHARACTERS for c in range(low, high + 1)}
    found = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert listed == found


def test_a_corpus_table_that_is_a_fifo_is_named_as_such(data_dir):
    import os

    (data_dir / "corpus.csv").unlink()
    os.mkfifo(data_dir / "corpus.csv")
    problems, _summary = validate_data(data_dir)
    assert len(problems) == 1 and "corpus.csv: not a regular file" in str(problems[0])
