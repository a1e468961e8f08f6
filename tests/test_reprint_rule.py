"""The reprint rule on pairs as messy as news (issue 30): wire copies in two house styles, cut
endings, partial copies, separately written reports of one statement, shared formulas, a
statement and an article reproducing it, reprints declared and undone by hand."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from rhetoric.cli import main
from rhetoric.pipeline import process_dataframe
from rhetoric.text import reprints

#: A wire story in the style of the first desk (American spelling, "U.S.", numerals).
STORY = [
    (
        "MOSCOW, April 25 (Reuters) - The presidents of Russia and the U.S. marked the "
        "anniversary of the meeting of their armies on the Elbe on Saturday with a rare joint "
        "statement, the first the two leaders have issued together in more than three years."
    ),
    (
        "The statement, published by the Kremlin and the White House, said the spirit of the Elbe "
        "was an example of how the two countries could put aside their differences and cooperate "
        "for the sake of a greater cause."
    ),
    (
        "U.S.-Russian relations have sunk to post-Cold War lows over Ukraine, "
        "Syria and allegations of Russian meddling in U.S. elections, which the Kremlin's officials deny."
    ),
    (
        "U.S. officials said the text had been agreed over several weeks of talks between the "
        "national security staffs and that President Trump had wanted to honor the veterans of both "
        "countries, most of whom are now in their nineties and Washington's guests."
    ),
    (
        "In Moscow, Kremlin spokesman Dmitry Peskov told reporters the statement showed that "
        "dialogue was possible even at a difficult time, and that the two sides would organize "
        "further contacts on strategic stability later this year."
    ),
    (
        "The meeting of Soviet and American troops at Torgau on April 25, 1945 came days before the "
        "surrender of Nazi Germany, and for decades it was a symbol of wartime cooperation that "
        "both governments invoked when relations were at their best."
    ),
    (
        "Some 10 percent of the veterans who were invited to commemorations last year were able "
        "to travel, organizers said, and this year's ceremonies were moved online because of the "
        "coronavirus pandemic."
    ),
    (
        "Critics in the U.S. Congress said the statement glossed over the disputes that divide the two "
        "countries, while supporters of the administration called it a modest but useful gesture "
        "of goodwill at a moment of tension."
    ),
    (
        "Russia's state television led its evening news with the statement and showed archive "
        "footage of soldiers shaking hands on a broken bridge over the river, with commentators "
        "praising the common memory of the war."
    ),
    (
        "Analysts said the joint text was unlikely to change the course of relations, which will "
        "be tested again in talks on extending the U.S.-Russian New START arms control treaty that expires in "
        "February next year."
    ),
    (
        "The two presidents last met in person at a summit in Helsinki in 2018, where Trump was "
        "criticized at home for appearing to accept the Russian leader's denials of election interference."
    ),
    (
        "Both governments said they hoped to hold further events to mark the 75th anniversary of "
        "the end of the war in Europe once travel restrictions were lifted."
    ),
]
#: Paragraphs of the longer copy that the short one does not have (added by another desk).
EXTRA = [
    (
        "The statement was released shortly after a telephone call between the two leaders, the "
        "second in a week, in which they also discussed the oil market and the response to the "
        "pandemic, according to readouts from both sides."
    ),
    (
        "European diplomats in Moscow said they had not been told of the statement in advance and "
        "would study it closely for any sign of a change of tone on sanctions."
    ),
    (
        "Veterans' groups in both countries welcomed the text, though several said they would have "
        "preferred a meeting of the two leaders at the river itself, as was once planned."
    ),
    (
        "Markets showed little reaction, with the rouble trading slightly weaker against the "
        "dollar on Monday as oil prices fell again."
    ),
]
#: The statement both separately written reports quote.
QUOTE = (
    '"The Spirit of the Elbe is an example of how our countries can put aside differences, '
    'build trust, and cooperate in pursuit of a greater cause," the two presidents said in '
    "the statement."
)


def house_style(text: str) -> str:
    """What a second desk does to a wire copy: its own spelling and style, curly quotes."""
    for old, new in (("U.S.", "US"), ("cooperate", "co-operate"), ("cooperation", "co-operation"),
                     ("organize", "organise"), ("organizers", "organisers"), ("honor", "honour"),
                     ("criticized", "criticised"), ("10 percent", "ten per cent"),
                     ("Putin's", "Putin’s"), ("year's", "year’s"), ("'s ", "’s "),
                     ("three years", "3 years"), ("U.S.-Russian", "US-Russian"), (") - ", ") — "),
                     ("post-Cold", "post–Cold"), (", 1945", ", 1945,")):  # fmt: skip
        text = text.replace(old, new)
    return re.sub(r'"([^"]*)"', "“\\1”", text)


def _join(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _pair(a: str, b: str) -> tuple[float, float]:
    """Jaccard and containment of two texts as the rule compares them (folded)."""
    sa, sb = reprints.shingle_hashes(a), reprints.shingle_hashes(b)
    return reprints.jaccard(sa, sb), reprints.containment(sa, sb)


def _raw(a: str, b: str) -> tuple[float, float]:
    """The same without folding (as before issue 30)."""
    sa, sb = reprints.shingle_hashes(a, fold=False), reprints.shingle_hashes(b, fold=False)
    return reprints.jaccard(sa, sb), reprints.containment(sa, sb)


WIRE_A = _join("Russia, U.S. mark Elbe anniversary with rare joint statement", *STORY)
# the second desk: new headline, its style, a dropped word, an ending cut after 6 paragraphs
WIRE_B = _join(
    "Putin and Trump recall wartime alliance in Elbe statement",
    *[house_style(p) for p in STORY[:3]],
    house_style(STORY[3]).replace("several weeks of talks", "weeks of talks"),
    *[house_style(p) for p in STORY[4:6]],
)
# a partial copy: the first five paragraphs inside a longer article with four more of its own
PARTIAL = _join("Elbe statement", *STORY[:5])
LONGER = _join("Leaders mark Elbe anniversary", *STORY[:5], *EXTRA, *STORY[9:])
# two reports written separately, each quoting the same sentence of the statement
REPORT_1 = _join(
    "Kremlin and White House recall 1945 link-up",
    f"In a rare show of unity, the Kremlin and the White House issued a text on Saturday. {QUOTE}",
    *EXTRA[:2],
    "Officials in Washington described the text as a gesture to veterans rather than a sign of "
    "any thaw, noting that disputes over Ukraine and arms control remained unresolved.",
)
REPORT_2 = _join(
    "Putin, Trump issue statement on Elbe meeting",
    f"{QUOTE} The text was the first joint statement of the two leaders in years.",
    "Russian commentators seized on the statement as proof that Washington could not ignore "
    "Moscow, while American critics said it handed the Kremlin a propaganda victory.",
    EXTRA[3],
    "The anniversary falls at a time when both countries are struggling with the pandemic, "
    "and neither government has announced plans for a meeting of the two presidents.",
)
#: A formula two different statements open with.
FORMULA = (
    "The President of the United States of America and the President of the Russian "
    "Federation, recalling the historic meeting of the allied armies on the Elbe, reaffirm "
    "their commitment to the memory of those who fought together against Nazism, and declare "
    "the following."
)
FORMULA_1 = _join(FORMULA, *STORY[5:7], EXTRA[2])
FORMULA_2 = _join(FORMULA, *STORY[9:12], EXTRA[0])


def test_house_style_copies_are_found_after_folding_and_were_missed_before():
    """The issue's Reuters story under two outlets: Jaccard 0.32, containment 0.59 raw. Folded,
    the copy cut short is found by containment; separately written reports and texts that
    share a formula are not."""
    raw_j, raw_c = _raw(WIRE_A, WIRE_B)
    j, c = _pair(WIRE_A, WIRE_B)
    assert raw_j < reprints.DEFAULT_THRESHOLD and raw_c < reprints.DEFAULT_CONTAINMENT
    assert c >= 0.9 and c > raw_c + 0.2  # folding recovers what the desk changed
    assert j < reprints.DEFAULT_THRESHOLD  # the cut ending: Jaccard alone misses it
    partial_j, partial_c = _pair(PARTIAL, LONGER)
    assert partial_c > 0.95 and partial_j < reprints.DEFAULT_THRESHOLD  # the headline differs
    for a, b in ((REPORT_1, REPORT_2), (FORMULA_1, FORMULA_2), (WIRE_A, REPORT_1)):
        j, c = _pair(a, b)
        assert j < 0.2 and c < 0.35, (j, c)  # far below both thresholds


def _frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [r[0] for r in rows], "text": [r[1] for r in rows], "date": [r[2] for r in rows],
        "kind": [r[3] for r in rows], "parties": "US,RU", "title": [r[0] for r in rows],
    })  # fmt: skip


def _clusters(corpus) -> set[frozenset[str]]:
    members: dict[str, set[str]] = {}
    for a, b, canonical in zip(corpus.reprints["a"], corpus.reprints["b"],
                               corpus.reprints["canonical"], strict=True):  # fmt: skip
        members.setdefault(canonical, {canonical}).update((a, b))
    return {frozenset(m) for m in members.values()}


def test_the_clusters_of_a_messy_corpus():
    statement = _join("Joint Statement of the Presidents on the Elbe anniversary", FORMULA,
                      *STORY[1:2], *STORY[5:6], *EXTRA[2:3], QUOTE.replace(" the two", ""))  # fmt: skip
    # a news agency reproduces most of the statement under its own headline and a dateline
    agency = _join("Full text: joint statement on the Elbe", "MOSCOW, April 25 (TASS) -",
                   statement.split("\n\n", 1)[1])  # fmt: skip
    corpus = process_dataframe(_frame([
        ("statement", statement, "2020-04-25", "joint_statement"),
        ("agency", agency, "2020-04-25", "news_article"),
        ("wire-a", WIRE_A, "2020-04-25", "news_article"),
        ("wire-b", WIRE_B, "2020-04-26", "news_article"),  # a day later, another time zone
        ("partial", PARTIAL, "2020-04-27", "news_article"),
        ("longer", LONGER, "2020-04-26", "news_article"),
        ("report-1", REPORT_1, "2020-04-25", "news_article"),
        ("report-2", REPORT_2, "2020-04-25", "news_article"),
        ("formula-1", FORMULA_1, "2019-04-25", "joint_statement"),
        ("formula-2", FORMULA_2, "2020-04-25", "joint_statement"),
        ("wire-late", WIRE_A.replace("Saturday", "Friday"), "2020-06-30", "news_article"),
    ]), reprints="keep")  # fmt: skip
    assert _clusters(corpus) == {frozenset({"wire-a", "wire-b", "partial", "longer"})}
    pairs = corpus.reprints.set_index("b")
    assert (pairs["how"] == "detected").all()
    # the statement keeps its place: the agency's copy of it is reuse, not a reprint
    assert corpus.documents.set_index("id").loc["statement", "reprint_of"] == ""
    # the late copy (two months on) is another text in time, though its words are the same
    assert "wire-late" not in set(corpus.reprints["a"]) | set(corpus.reprints["b"])
    dropped = process_dataframe(_frame([
        ("agency", agency, "2020-04-25", "news_article"),
        ("statement", statement, "2020-04-25", "joint_statement"),
    ]))  # fmt: skip
    assert dropped.documents["id"].tolist() == ["agency", "statement"]


def test_a_primary_text_is_canonical_over_a_later_or_earlier_copy_of_its_group():
    text = _join(FORMULA, *STORY[:6])
    corpus = process_dataframe(_frame([
        ("kremlin-copy", text, "2020-04-24", "joint_statement"),
        ("white-house", text.replace("U.S.", "US"), "2020-04-25", "joint_statement"),
    ]), reprints="keep")  # fmt: skip
    assert corpus.reprints["canonical"].tolist() == ["kremlin-copy"]  # the earliest


def test_reprints_declared_and_undone_by_hand(tmp_path, capsys):
    from conftest import make_data_dir

    data = make_data_dir(tmp_path / "data", [(WIRE_A, "2020-04-25", "US,RU"),
                                             (WIRE_B, "2020-04-26", "US,RU"),
                                             (REPORT_1, "2020-04-25", "US,RU"),
                                             (REPORT_2, "2020-04-25", "US,RU")])  # fmt: skip
    capsys.readouterr()
    assert main(["duplicates", "--data", str(data), "--format", "csv"]) == 0
    found = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert found[["a", "b", "how", "canonical"]].values.tolist() == [
        ["toy-0", "toy-1", "detected", "toy-0"]]  # fmt: skip
    assert found.loc[0, "date_b"] == "2020-04-26" and found.loc[0, "containment"] >= 0.9
    # by hand: toy-1 is no reprint; toy-3 is a reprint of toy-2 (the desk said so)
    table = pd.read_csv(data / "corpus.csv", dtype=str, keep_default_na=False)
    table["reprint_of"] = ["", "none", "", "toy-2"]
    table.to_csv(data / "corpus.csv", index=False)
    assert main(["duplicates", "--data", str(data), "--format", "csv"]) == 0
    found = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert found[["a", "b", "how", "canonical"]].values.tolist() == [
        ["toy-2", "toy-3", "declared", "toy-2"]]  # fmt: skip
    assert found["jaccard"].isna().all()  # declared, not measured
    from rhetoric.pipeline import process_corpus

    kept = process_corpus(data).documents["id"].tolist()
    assert kept == ["toy-0", "toy-1", "toy-2"]
    # a declaration naming no document is one line
    table["reprint_of"] = ["", "", "", "toy-9"]
    table.to_csv(data / "corpus.csv", index=False)
    assert main(["validate", "--data", str(data)]) == 2
    assert "line 5: reprint_of 'toy-9' is not the id of another document" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("days", [0, 1])
def test_the_time_window_is_a_parameter(days):
    corpus = process_dataframe(_frame([
        ("wire-a", WIRE_A, "2020-04-25", "news_article"),
        ("wire-b", WIRE_B, "2020-04-26", "news_article"),
    ]), reprints="keep", reprint_rule=reprints.ReprintRule(days=days))  # fmt: skip
    assert len(corpus.reprints) == days


def test_declarations_that_name_no_document_or_go_round_are_refused_before_writing(tmp_path,
                                                                                   capsys):  # fmt: skip
    """A front matter reprint_of naming no document was written, and then every command
    failed until corpus.csv was edited by hand; two documents declaring each other passed."""
    from conftest import make_data_dir

    data = make_data_dir(tmp_path / "data", [(WIRE_A, "2020-04-25", "US,RU")])
    source = tmp_path / "copy.txt"
    source.write_text(f"---\nreprint_of: wire-x\n---\n{WIRE_B}", encoding="utf-8")
    before = (data / "corpus.csv").read_bytes()
    capsys.readouterr()
    assert main(["add", str(source), "--data", str(data), "--date", "2020-04-26",
                 "--parties", "US,RU"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "copy.txt: reprint_of 'wire-x' is not the id of another document" in err
    assert (data / "corpus.csv").read_bytes() == before and len(
        list((data / "raw").iterdir())
    ) == 1
    source.write_text(f"---\nreprint_of: toy-0\n---\n{WIRE_B}", encoding="utf-8")
    assert main(["add", str(source), "--data", str(data), "--date", "2020-04-26",
                 "--parties", "US,RU", "--id", "copy"]) == 0  # fmt: skip
    table = pd.read_csv(data / "corpus.csv", dtype=str, keep_default_na=False)
    table.loc[table["id"] == "toy-0", "reprint_of"] = "copy"
    table.to_csv(data / "corpus.csv", index=False)
    capsys.readouterr()
    assert main(["validate", "--data", str(data)]) == 2
    assert "reprint_of goes round in a circle (toy-0 -> copy -> toy-0)" in capsys.readouterr().err


def test_a_primary_text_stays_canonical_when_coverage_declares_the_reverse():
    """An article dated before the statement declares itself its reprint: the statement, a
    primary text, is the cluster's canonical document, not the earlier article."""
    text = _join(FORMULA, *STORY[:4])
    frame = _frame([("statement", text, "2020-04-25", "joint_statement"),
                    ("agency", text.replace("U.S.", "US"), "2020-04-24", "news_article")])  # fmt: skip
    frame["reprint_of"] = ["", "statement"]
    from rhetoric.text.reprints import settle

    pairs, canonical = settle(reprints.find_reprints({}), frame.assign(reprint_of=["", ""]),
                              primary_kinds=("joint_statement",),
                              declared=["", "statement"])  # fmt: skip
    assert pairs[["a", "b", "how", "canonical"]].values.tolist() == [
        ["statement", "agency", "declared", "statement"]]  # fmt: skip
    assert canonical == {"agency": "statement"}
    # and without the declaration, ranked by kind before date
    plain = pd.DataFrame({"a": ["agency"], "b": ["statement"]})
    assert reprints.canonical_of(plain, ["statement", "agency"], ["2020-04-25", "2020-04-24"],
                                 primary=[True, False]) == {"agency": "statement"}  # fmt: skip


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("U.S.-Russian relations were criticised, analysed and paralysed",
         "US-Russian relations were criticized, analyzed and paralyzed"),
        ("the U.S.A. and the U.K. will co-operate on 1,000 “projects”",
         "the USA and the UK will cooperate on 1000 \"projects\""),
        ("Russia’s honour, the centre of defence, ten per cent",
         "Russia's honor, the center of defense, 10 percent"),
    ],
)  # fmt: skip
def test_house_style_folds_word_by_word(british, american):
    one = reprints.shingle_hashes(british, 1)
    assert np.array_equal(one, reprints.shingle_hashes(american, 1))
    assert not np.array_equal(one, reprints.shingle_hashes(british, 1, fold=False))


def test_identical_texts_follow_the_time_window_and_the_declarations():
    """Identical texts were represented by their first copy only: one dated a month before
    hid the later pair, and one declared `none` kept its copies apart."""
    copy = WIRE_A.replace("U.S.", "US")
    found = reprints.find_reprints({"a0": WIRE_A, "a30": WIRE_A, "a31": WIRE_A, "b31": copy},
                                   dates=["2020-01-01", "2020-01-31", "2020-02-01", "2020-02-01"])  # fmt: skip
    clusters = reprints.canonical_of(found, ["a0", "a30", "a31", "b31"],
                                     ["2020-01-01", "2020-01-31", "2020-02-01", "2020-02-01"])  # fmt: skip
    assert clusters == {"a31": "a30", "b31": "a30"}
    found = reprints.find_reprints({"a0": WIRE_A, "a1": WIRE_A, "a2": WIRE_A}, exclude={"a0"})
    assert found[["a", "b"]].values.tolist() == [["a1", "a2"]]


def test_a_short_copy_inside_a_much_longer_text_is_found():
    """Bands follow Jaccard, which is about 1/16 here: the probe of the short text's smallest
    shingles finds it (the review measured 3 in 40 found by the bands alone at this ratio)."""
    short = _join(*STORY[:5])
    from rhetoric.text.quality import english_words

    vocabulary = sorted(english_words())[::7]
    filler = [vocabulary[(i * 7919) % len(vocabulary)] for i in range(15 * len(short.split()))]
    long = " ".join(filler[:1000]) + "\n\n" + short + "\n\n" + " ".join(filler[1000:])
    pairs = reprints.find_reprints({"short": short, "long": long})
    assert pairs[["a", "b"]].values.tolist() == [["short", "long"]]
    assert pairs["containment"].iloc[0] == 1.0 and pairs["jaccard"].iloc[0] < 0.08
