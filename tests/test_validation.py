"""validation/calibrate.py, small and seeded: the calibration machinery gives fixed outcomes.

The full run (``make calibrate``, recorded in validation/README.md) uses the 1,009
presidential speeches; here the same functions run on the tests' synthetic corpus and on
a few synthetic gamma-heterogeneous groups, so that a change to the statistics that moves
coverage or false positives shows up in ``make test``.
"""

from __future__ import annotations

from pathlib import Path
import sys

import pytest

from rhetoric.pipeline import process_corpus
from synthetic import write_synthetic_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validation"))
import calibrate


def test_synthetic_groups_coverage_and_false_positives_are_fixed_and_calibrated():
    setting = calibrate.synthetic_setting(10, 0.7, 20.0, 400, 17, 999)
    # 800 group intervals, 400 tests: a seeded draw, so exact; and near the nominal levels
    assert (setting["coverage"], setting["permutation_false_positive"]) == (0.9163, 0.0425)
    assert setting["coverage"] >= 0.88 and setting["permutation_false_positive"] <= 0.08
    keyness = calibrate.synthetic_keyness(10, 500, 17)
    assert keyness["flagged_share"] == 0.0 and keyness["unadjusted_p05_share"] == 0.038


@pytest.fixture(scope="module")
def synthetic_corpus(tmp_path_factory):
    data = write_synthetic_corpus(tmp_path_factory.mktemp("calibrate") / "data")
    return process_corpus(data, use_cache=False)  # a module fixture: no per-test cache yet


def test_random_splits_of_a_corpus(synthetic_corpus):
    results = calibrate.speech_calibration(synthetic_corpus, [5, 10], 20, 17, 999)
    five, ten = results["5"], results["10"]
    assert (five["coverage_min"], ten["coverage_min"]) == (0.875, 0.9)
    # 5 + 5 documents cannot pass Holm over 10 themes: every split is too_few_documents
    assert five["too_few_share"] == 1.0 and ten["too_few_share"] == 0.0
    assert five["verdict_false_positive_max"] == ten["verdict_false_positive_max"] == 0.0
    # token-level statistics on the same null splits: the problem the document level solves
    assert min(ten["exact_coverage_by_theme"]) == 0.125
    assert (five["keyness_doc_flagged_mean"], ten["keyness_doc_flagged_mean"]) == (0.0, 0.0)
    assert (five["keyness_token_bh_flagged_mean"], ten["keyness_token_bh_flagged_mean"]) == (
        54.1, 64.4)  # fmt: skip


def test_markdown_tables_name_every_size(synthetic_corpus):
    results = {
        "speeches": calibrate.speech_calibration(synthetic_corpus, [5], 2, 1, 99),
        "synthetic": {"settings": [calibrate.synthetic_setting(5, 1.0, 2.0, 20, 1, 99)],
                      "keyness": [calibrate.synthetic_keyness(5, 50, 1)]},
    }  # fmt: skip
    text = calibrate.markdown(results)
    assert text.startswith("| documents per group | 5 |")
    assert "| 5 | 1.0 | 2.0 |" in text and "| 5 | 50 |" in text
