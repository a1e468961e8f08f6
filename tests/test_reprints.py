"""rhetoric.text.reprints: near-duplicate documents, on pairs written for the tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import make_data_dir
from rhetoric.cli import main
from rhetoric.pipeline import process_corpus
from rhetoric.text import reprints

WIRE = [
    (
        "Moscow and Beijing on Thursday signed a joint statement pledging to deepen their "
        "partnership and to coordinate more closely at the United Nations, officials said."
    ),
    (
        "The document, released after talks between the two leaders in the Kremlin, calls for a "
        "multipolar world order and criticises what it describes as unilateral sanctions."
    ),
    (
        'Both sides said their relations were "at the highest level in history" and promised to '
        "expand trade in national currencies over the coming years."
    ),
    (
        "Analysts in both capitals noted that the statement repeated much of the language of "
        "earlier agreements while adding new sections on technology and energy."
    ),
    (
        "The leaders also discussed regional security, the statement said, without giving details "
        "of any new military cooperation between the two countries."
    ),
]
STATEMENT_QUOTE = '"at the highest level in history"'
OTHER = [
    (
        "Chinese and Russian leaders met in Moscow this week and agreed a long statement on their "
        "ties, which both governments presented as a new stage of their relationship."
    ),
    (
        f"In the text the two presidents described relations as {STATEMENT_QUOTE}, a phrase "
        "Western diplomats greeted with scepticism given the war in Ukraine."
    ),
    (
        "Trade between the neighbours has grown quickly since 2022, with oil and gas sales rising "
        "and payments moving away from the dollar, according to customs data."
    ),
    (
        "Observers said the meeting mattered more as a signal to Washington than for any single "
        "commitment written into the document itself."
    ),
]


def _article(paragraphs, headline, sign_off=""):
    return "\n\n".join([headline, *paragraphs]) + (f"\n\n{sign_off}" if sign_off else "")


def test_a_wire_reprint_is_found_and_a_separate_report_is_not():
    original = _article(WIRE, "Russia and China deepen partnership in joint statement")
    # same wire text: a new headline, a sign-off, one paragraph dropped
    reprint = _article(WIRE[:3] + WIRE[4:], "Putin, Xi hail ties at highest level", "(AFP)")
    separate = _article(OTHER, "Moscow and Beijing sign statement")
    pairs = reprints.find_reprints({"original": original, "reprint": reprint, "other": separate})
    assert list(zip(pairs["a"], pairs["b"], strict=True)) == [("original", "reprint")]
    value = pairs["jaccard"].iloc[0]
    assert reprints.DEFAULT_THRESHOLD < value < 1
    exact = reprints.jaccard(reprints.shingle_hashes(original), reprints.shingle_hashes(reprint))
    assert value == pytest.approx(exact)
    quoted = reprints.jaccard(reprints.shingle_hashes(original), reprints.shingle_hashes(separate))
    assert quoted < 0.05  # they share a quotation, not a text


def test_shingles_are_lowercased_word_windows():
    a = reprints.shingle_hashes("One two three four five six")
    assert len(a) == 2  # "one two three four five", "two three four five six"
    assert np.array_equal(a, reprints.shingle_hashes("ONE two, three! four five\nsix"))
    assert len(reprints.shingle_hashes("")) == 0 and len(reprints.shingle_hashes("...")) == 0
    assert len(reprints.shingle_hashes("Alone")) == 1


def test_bad_input_runs_through():
    texts = {"empty": "", "one": "Word.", "quote": '"' + " ".join(WIRE) + '"',
             "same": '"' + " ".join(WIRE) + '"', "blank": "   \n\n "}  # fmt: skip
    pairs = reprints.find_reprints(texts)
    assert list(zip(pairs["a"], pairs["b"], strict=True)) == [("quote", "same")]
    assert reprints.find_reprints({}).empty and reprints.find_reprints({"x": "a b"}).empty


def test_hundreds_of_identical_copies_collapse_before_pairing():
    text = _article(WIRE, "Headline")
    texts = {f"copy-{i:03d}": text for i in range(300)}
    texts["other"] = _article(OTHER, "Other")
    sets = [reprints.shingle_hashes(t) for t in texts.values()]
    sketches = np.stack([reprints._sketch(s) for s in sets])
    keys = np.asarray([hash(s.tobytes()) for s in sets])
    # the 300 copies have one representative: at most one pair to form, not 45,150
    assert len(reprints._candidates(sketches, keys, np.ones(len(keys), dtype=bool))) <= 1
    pairs = reprints.find_reprints(texts)
    assert len(pairs) == 299 and set(pairs["a"]) == {"copy-000"}
    canonical = reprints.canonical_of(pairs, list(texts), ["2020-01-01"] * len(texts))
    assert set(canonical.values()) == {"copy-000"} and len(canonical) == 299


def test_the_pairs_are_the_same_on_a_process_pool():
    texts = {f"w{i}": _article(WIRE, f"Headline {i}", f"Reporting by {i}") for i in range(6)}
    texts |= {f"o{i}": _article(OTHER[i:] + OTHER[:i], "Other") for i in range(4)}
    texts["short"] = "Too short to be a reprint."
    one = reprints.find_reprints(texts, workers=1)  # two clusters: 6 and 4 documents
    assert len(one) == 5 + 3 and set(one["a"]) | set(one["b"]) == set(texts) - {"short"}
    pd.testing.assert_frame_equal(reprints.find_reprints(texts, workers=2), one)


def test_canonical_is_the_earliest_then_the_first_listed():
    pairs = pd.DataFrame({"a": ["x", "y"], "b": ["y", "z"], "jaccard": [0.9, 0.8]})
    assert reprints.canonical_of(pairs, ["x", "y", "z"], ["2021-01-01", "2020-05-01",
                                                        "2020-05-01"]) == {"x": "y", "z": "y"}  # fmt: skip
    assert reprints.canonical_of(pairs, ["x", "y", "z"], ["2020-01-01"] * 3) == {
        "y": "x",
        "z": "x",
    }


def test_sketch_agreement_estimates_jaccard():
    rng = np.random.default_rng(5)
    top = np.iinfo(np.uint64).max

    def draw(n):
        return rng.integers(0, top, n, dtype=np.uint64, endpoint=True)

    shared = draw(3000)
    a = np.unique(np.concatenate([shared, draw(1000)]))
    b = np.unique(np.concatenate([shared, draw(1000)]))
    agreement = (reprints._sketch(a) == reprints._sketch(b)).mean()
    assert agreement == pytest.approx(reprints.jaccard(a, b), abs=0.12)  # J = 0.6, 128 bins


# -- in the pipeline and on the command line ---------------------------------------------------

TIMES = "The Moscow Times"


def _reprint_data(tmp_path):
    original = _article(WIRE, "Russia and China deepen partnership")
    reprint = _article(WIRE[:3] + WIRE[4:], "Putin and Xi hail ties", "(AFP)")
    data = make_data_dir(tmp_path / "d", [(original, "2025-05-08", "RU,CN"),
                                          (reprint, "2025-05-09", "RU,CN"),
                                          (_article(OTHER, "Another report"), "2025-05-10",
                                           "RU,CN")])  # fmt: skip
    corpus = data / "corpus.csv"
    lines = corpus.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("outlet")
    rows = [line.split(",") for line in lines[1:]]
    for row in rows:
        row[column] = TIMES  # all three under one outlet: the repeated-paragraph rule applies
    corpus.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return data


def test_a_same_outlet_reprint_keeps_its_text_and_is_counted_once(tmp_path):
    data = _reprint_data(tmp_path)
    kept = process_corpus(data, reprints="keep")
    sizes = kept.tokens.groupby("document", observed=False).size()
    # the repeated-paragraph rule did not delete the shared paragraphs of the two copies
    assert sizes["toy-0"] > 100 and sizes["toy-1"] > 80
    assert list(kept.documents["reprint_of"]) == ["", "toy-0", ""]
    assert kept.reprints[["a", "b", "canonical"]].values.tolist() == [["toy-0", "toy-1", "toy-0"]]
    once = process_corpus(data)
    assert list(once.documents["id"]) == ["toy-0", "toy-2"] and once.key != kept.key
    assert len(once.reprints) == 1  # the pairs of the whole corpus stay visible


def test_cli_add_validate_and_duplicates_report_reprints(tmp_path, capsys):
    data = _reprint_data(tmp_path)
    copy = tmp_path / "again.txt"
    copy.write_text(_article(WIRE, "Yet another headline", "(Reuters)"), encoding="utf-8")
    code = main(["add", str(copy), "--data", str(data), "--date", "2025-05-11",
                 "--parties", "RU,CN", "--title", "Again"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0 and out.strip() == "2025-05-11-ru-cn-again"
    assert err.count("\n") == 1 and "again.txt looks like a reprint of toy-0 (Jaccard" in err
    assert main(["validate", "--data", str(data)]) == 0
    out, err = capsys.readouterr()
    assert "warning: reprints of toy-0: toy-1, 2025-05-11-ru-cn-again" in err
    assert main(["duplicates", "--data", str(data), "--format", "csv"]) == 0
    out, _err = capsys.readouterr()
    assert out.splitlines()[0] == (
        "a,b,kind_a,outlet_a,date_a,kind_b,outlet_b,date_b,jaccard,containment,how,canonical"
    )
    assert len(out.splitlines()) == 3  # two pairs connect the three copies
    assert main(["duplicates", "--data", str(data), "--threshold", "1.5"]) == 2


def test_short_texts_form_no_candidate_pair_however_many():
    """Texts under MIN_WORDS have no shingles, so their sketches are all alike: banded, every
    one would pair with every other (5,000 short documents made 12.5 million pairs)."""
    texts = {f"short-{i:05d}": f"Statement {i} on trust and partnership." for i in range(5000)}
    texts["wire-a"] = _article(WIRE, "Headline")
    texts["wire-b"] = _article(WIRE, "Another headline")
    sets = [reprints._shingles_of(t, characters=False) for t in texts.values()]
    sketches = np.stack([reprints._sketch(s) for s in sets])
    keys = np.asarray([hash(s.tobytes()) if len(s) else -i - 1 for i, s in enumerate(sets)])
    usable = np.asarray([len(s) > 0 for s in sets])
    assert usable.sum() == 2
    assert reprints._candidates(sketches, keys, usable).tolist() == [[5000, 5001]]
    pairs = reprints.find_reprints(texts)
    assert list(zip(pairs["a"], pairs["b"], strict=True)) == [("wire-a", "wire-b")]
