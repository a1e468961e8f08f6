"""rhetoric.measures.concordance: KWIC lines, lexicon audit and collocates, by hand."""

from __future__ import annotations

import re

import pytest

from conftest import make_data_dir
from rhetoric.errors import RhetoricInputError
from rhetoric.measures.concordance import collocates, kwic, lexicon_report, theme_kwic
from rhetoric.measures.keyterms import g2
from rhetoric.pipeline import process_corpus


@pytest.fixture
def toy(toy_data):
    return process_corpus(toy_data)


def test_kwic_lines(toy):
    frame = kwic(toy, "trust", window=2)
    assert frame[["document", "voice", "left", "match", "right"]].values.tolist() == [
        ["toy-0", "quoted", 'said "we', "trust", "our partners"],
        ["toy-1", "narration", "Mutual", "trust", "and partnership"],
        ["toy-2", "narration", "No", "trust", ". Only partnership"],
    ]


def test_kwic_phrase_and_glob(toy):
    assert list(kwic(toy, "mutual trust", window=1)["match"]) == ["Mutual trust"]
    assert list(kwic(toy, "partner*", window=0)["match"]) == [
        "partners",
        "partnership",
        "partnership",
    ]


def test_theme_kwic_lists_every_hit(toy):
    frame = theme_kwic(toy, "trust")
    assert list(frame["match"]) == ["trust", "Mutual trust", "trust"]
    assert list(frame["negated"]) == [False, False, True]
    with pytest.raises(RhetoricInputError, match=r"not in themes\.yml"):
        theme_kwic(toy, "nope")


def test_lexicon_report_lists_unmatched_terms(toy):
    frame = lexicon_report(toy).set_index(["theme", "term"])
    assert frame.loc[("empty_theme", "hegemony"), "hits"] == 0
    assert (
        frame.loc[("partnership", "partner*"), "matches"] == "partners"
    )  # exact "partnership" wins ties
    assert frame.loc[("partnership", "partnership"), "hits"] == 2
    assert frame.loc[("trust", "trust"), ["hits", "negated", "documents"]].tolist() == [2, 1, 2]


def test_collocates_by_hand(tmp_path):
    data = make_data_dir(
        tmp_path / "d",
        [
            (
                "Mutual trust grows. Mutual trust wins. Other words here entirely.",
                "2020-01-01",
                "US,RU",
            ),
        ],
    )
    frame = collocates(
        process_corpus(data), "trust", by="corpus", window=1, min_count=1
    ).set_index("collocate")
    # spans: "Mutual", "grows", "Mutual", "wins" -> 4 span tokens, of 10 in all
    row = frame.loc["mutual"]
    assert (row["count"], row["span_tokens"], row["frequency"], row["tokens"]) == (2, 4, 2, 10)
    assert row["g2"] == pytest.approx(float(g2(2, 4, 0, 6)))
    assert row["pmi"] == pytest.approx(1.3219, abs=1e-4)  # log2(2 / (2*4/10))
    assert "words" not in frame.index  # outside every span


def test_bad_patterns_are_refused(toy):
    with pytest.raises(RhetoricInputError, match="regular expression"):
        kwic(toy, "trust|faith")
    with pytest.raises(RhetoricInputError, match="no letters"):
        collocates(toy, "...")


def test_kwic_sorts_by_the_words_left_and_right_and_prints_aligned(tmp_path, monkeypatch):
    from rhetoric.measures.concordance import format_kwic

    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [
        ("We build trust. Mutual trust grew. Old trust fades.", "2020-01-01", "US,RU"),
        ("Zero trust here, and before the word trust now.", "2021-01-01", "US,RU"),
    ])  # fmt: skip
    processed = process_corpus(data)
    lines = kwic(processed, "trust", window=2)
    # the word left of each match: build, mutual, old (document 0), zero, word (document 1)
    assert lines["left"].tolist() == ["We build", "trust. Mutual", "grew. Old", "Zero", "the word"]
    by_left = kwic(processed, "trust", window=2, sort="L1")["left"].tolist()
    assert by_left == ["We build", "trust. Mutual", "grew. Old", "the word", "Zero"]
    # the word right of each match: mutual, grew, fades, here, now
    by_right = kwic(processed, "trust", window=2, sort="R1")["right"].tolist()
    assert [re.findall(r"\w+", r)[0] for r in by_right] == [
        "fades",
        "grew",
        "here",
        "Mutual",
        "now",
    ]
    # two words left: we, trust, grew, (none), the
    by_l2 = kwic(processed, "trust", window=2, sort="L2")["left"].tolist()
    assert by_l2 == ["Zero", "grew. Old", "the word", "trust. Mutual", "We build"]
    printed = format_kwic(lines)
    assert len({line.index(" | ") for line in printed}) == 1  # every match in one column
    assert printed[0].startswith("[toy-0, 0] narration") and printed[0].endswith(
        "We build | trust | . Mutual trust"
    )
    with pytest.raises(RhetoricInputError, match="sort="):
        kwic(processed, "trust", sort="L9")


def test_spread_sample_takes_one_line_per_document_and_the_groups_in_turn():
    import pandas as pd

    from rhetoric.measures.concordance import spread_sample

    # five hits in a1 (the first document), then a2, b1, b2: as a concordance sorted by
    # document lists them
    lines = pd.DataFrame({"document": ["a1"] * 5 + ["a2", "b1", "b1", "b2"],
                          "match": list("abcdefghi")})  # fmt: skip
    groups = {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}
    assert list(spread_sample(lines, 3, groups)["match"]) == ["a", "f", "g"]  # a1, a2; b1
    assert list(spread_sample(lines, 10, groups)["match"]) == ["a", "f", "g", "i"]
    assert spread_sample(lines.iloc[:0], 3, groups).empty
    # the compared groups first: B's first document even when only one line is shown
    assert list(spread_sample(lines, 1, groups, order=["B", "A"])["match"]) == ["g"]
