"""rhetoric.text.clean: boilerplate removal on the seeds and on toy corpora."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
import pandas as pd
import pytest

from conftest import ROOT
from rhetoric.data.folder import load_corpus
from rhetoric.text.clean import (
    Boilerplate,
    check_boilerplate,
    clean_corpus,
    clean_text,
    load_boilerplate,
)

BOILERPLATE = load_boilerplate(ROOT / "data" / "boilerplate.yml")

# Hand-marked: which lines (1-based) of each raw file are reporting or quotation
# (must be kept, verbatim) and which are the outlet's furniture (must go).
SEED_LINES = {
    "2010-04-25-us-ru-elbe": {"kept": range(1, 8), "removed": range(8, 17)},
    "2020-04-25-us-ru-elbe": {"kept": range(3, 22), "removed": [1, *range(23, 51)]},
    "2025-05-08-ru-cn-partnership": {"kept": range(1, 38), "removed": []},
}
FORBIDDEN = [
    "A Message from The Moscow Times",
    "Support The Moscow Times",
    "Dear readers",
    "newsletter",
    "Privacy Policy",
    "Read more",
    "Remind me later",
    "paiment methods",
    "Not ready to support today",
    "undesirable",
    "date 2025-05-08",
]


@pytest.fixture(scope="module")
def seeds():
    corpus = load_corpus(ROOT / "data")
    cleaned, audit = clean_corpus(corpus, BOILERPLATE)
    return corpus, cleaned, audit


def test_no_boilerplate_left_in_the_seeds(seeds):
    _, cleaned, _ = seeds
    for doc_id, text in cleaned.items():
        for phrase in FORBIDDEN:
            assert phrase not in text, (doc_id, phrase)


@pytest.mark.parametrize("doc_id", list(SEED_LINES))
def test_every_line_of_reporting_is_kept_and_furniture_removed(seeds, doc_id):
    _corpus, cleaned, _ = seeds
    lines = (ROOT / "data" / "raw" / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n")
    text = cleaned[doc_id]
    for number in SEED_LINES[doc_id]["kept"]:
        line = lines[number - 1].strip()
        if number == 1 and doc_id.startswith("2025"):
            line = line.removeprefix("date 2025-05-08 ")
        assert line in text, f"{doc_id} line {number} lost: {line[:60]!r}"
    for number in SEED_LINES[doc_id]["removed"]:
        line = lines[number - 1].strip()
        if line:
            assert line not in text, f"{doc_id} line {number} kept: {line[:60]!r}"


def test_dateline_is_stripped(seeds):
    _, cleaned, audit = seeds
    assert cleaned["2025-05-08-ru-cn-partnership"].startswith("Russian President Vladimir Putin")
    row = audit[audit["rule"] == "dateline"].iloc[0]
    assert (row["document"], row["start"], row["end"], row["text"]) == (
        "2025-05-08-ru-cn-partnership",
        0,
        17,
        " date 2025-05-08 ",
    )


def test_audit_offsets_point_into_the_document_text(seeds):
    corpus, _, audit = seeds
    texts = corpus.set_index("id")["text"]
    for row in audit.itertuples():
        assert texts[row.document][row.start : row.end] == row.text
    assert sorted(audit["rule"].unique()) == [
        "dateline",
        "mt-donation-appeal",
        "mt-newsletter-box",
        "mt-support-banner",
    ]


def _toy(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "outlet", "text"])


def test_repeated_paragraphs_within_one_outlet_only():
    shared = "Subscribe to our daily briefing today."
    corpus = _toy(
        [
            ("a", "Daily", f"Leaders met.\n{shared}\nThey spoke."),
            ("b", "Daily", f"Talks ended.\n{shared}"),
            ("c", "Other", f"Leaders met.\n{shared}"),
            ("d", "", f"{shared}\nMore."),
        ]
    )
    cleaned, audit = clean_corpus(corpus, Boilerplate())
    assert list(cleaned) == [
        "Leaders met.\nThey spoke.",
        "Talks ended.",
        f"Leaders met.\n{shared}",
        f"{shared}\nMore.",
    ]
    assert list(audit["document"]) == ["a", "b"]
    assert set(audit["rule"]) == {"repeated-paragraph"}


def test_short_repeated_lines_are_kept():
    corpus = _toy([("a", "X", "Thank you.\nOne."), ("b", "X", "Thank you.\nTwo.")])
    cleaned, audit = clean_corpus(corpus, Boilerplate())
    assert audit.empty and list(cleaned) == ["Thank you.\nOne.", "Thank you.\nTwo."]


def test_block_rule_without_end_line_is_not_applied(tmp_path):
    path = tmp_path / "b.yml"
    path.write_text(
        "rules:\n  - id: box\n    description: d\n    start: '^BEGIN'\n    end: '^END'\n",
        encoding="utf-8",
    )
    rules = load_boilerplate(path)
    assert clean_text("Keep.\nBEGIN\nx\nEND\nTail.", rules)[0] == "Keep.\nTail."
    assert clean_text("Keep.\nBEGIN\nno end", rules)[0] == "Keep.\nBEGIN\nno end"


def test_boilerplate_problems_name_the_line(tmp_path):
    path = tmp_path / "b.yml"
    path.write_text(
        "rules:\n  - id: a\n    pattern: '(unclosed'\n  - id: a\n    pattern: x\n"
        "  - id: c\n    start: s\n    pattern: p\n",
        encoding="utf-8",
    )
    _, found = check_boilerplate(path)
    problems = [str(p) for p in found]
    assert len(problems) == 3
    assert "rule 'a', pattern (line 3): not a valid regular expression" in problems[0]
    assert "id used twice (lines 2 and 4)" in problems[1]
    assert "give either 'pattern' or 'start' (line 6)" in problems[2]
    assert [p.line for p in found] == [3, 4, 6]
    assert all(p.blocking for p in found)


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_cleaning_never_raises_and_never_adds_text(text):
    corpus = _toy([("a", "X", text), ("b", "X", text + "\nSomething else entirely here.")])
    cleaned, audit = clean_corpus(corpus, BOILERPLATE)
    for doc_id, original in zip(corpus["id"], corpus["text"], strict=True):
        assert _is_subsequence(cleaned[doc_id], original)
    assert set(audit.columns) == {"document", "start", "end", "rule", "text"}


def test_missing_boilerplate_file_means_no_rules(tmp_path):
    assert check_boilerplate(Path(tmp_path / "none.yml")) == (Boilerplate(), [])


def test_repeated_paragraphs_limited_to_kinds():
    formula = "The sides reaffirmed their commitment to the principles above."
    corpus = pd.DataFrame(
        [("a", "Kremlin", "joint_statement", f"One.\n{formula}"), ("b", "Kremlin", "joint_statement", f"Two.\n{formula}"),
         ("c", "Wire", "news_article", f"Three.\n{formula}"), ("d", "Wire", "news_article", f"Four.\n{formula}")],
        columns=["id", "outlet", "kind", "text"],
    )  # fmt: skip
    cleaned, audit = clean_corpus(corpus, Boilerplate(repeated_kinds=("news_article",)))
    assert list(audit["document"]) == ["c", "d"]
    assert cleaned["a"].endswith(formula) and cleaned["c"] == "Three."
    assert BOILERPLATE.repeated_kinds == ("news_article",)


_PATTERNS = [
    r"^Read more\s*$",
    r"^Support The Moscow Times!\s*$",
    r"^Remind me later?",
    r"^A+B",
    r"^x{2}y",
    r"^(?:maybe )?Read",
    r"^Read|^Skip",
    r"Read more",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_PATTERNS),
    st.lists(
        st.sampled_from(["Read more", "Read", "Remind me late", "Remind me later", "AAB", "xxy",
                         "Skip", "maybe ", "\n", " ", "Support The Moscow Times!", "x"]),
        max_size=12,
    ).map("".join),
)  # fmt: skip
def test_required_prefix_never_skips_a_text_that_matches(pattern, text):
    import re

    from rhetoric.text.clean import required_prefix

    compiled = re.compile(pattern, re.MULTILINE)
    prefix = required_prefix(compiled)
    if compiled.search(text):
        assert prefix is None or prefix in text
    if prefix is not None:
        assert all(m.group().startswith(prefix) for m in compiled.finditer(text))
