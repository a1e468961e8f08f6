"""validation/calibrate.py, small and seeded: the calibration machinery gives fixed outcomes.

The full run (``make calibrate``, reported in validation/README.md) uses the presidential
speeches and hundreds of replicates per design; here the same functions run on the tests'
synthetic corpus and a few replicates, so that a change to the statistics that moves
coverage, false verdicts or keyness flags shows up in ``make test``. And the README must be
what ``render_readme`` makes of results.json: it is generated, not hand-edited.
"""

from __future__ import annotations

import json
from pathlib import Path
import sys

import numpy as np
import pytest

from rhetoric.pipeline import process_corpus
from synthetic import write_synthetic_corpus

VALIDATION = Path(__file__).resolve().parents[1] / "validation"
sys.path.insert(0, str(VALIDATION))
import calibrate


def test_the_readme_is_generated_from_the_results():
    results = json.loads((VALIDATION / "results.json").read_text(encoding="utf-8"))
    assert (VALIDATION / "README.md").read_text(encoding="utf-8") == calibrate.render_readme(
        results)  # fmt: skip


def test_non_interchangeable_nulls_small_and_seeded():
    """Twenty replicates of three designs at 10 units per group: fixed outcomes (seeded; the
    full run's 500 replicates are what the README reports)."""
    runs = {d: calibrate.design_run(d, 10, 20, 5, 499)
            for d in ("lengths differ", "one group burstier", "event-clustered")}  # fmt: skip
    assert {d: r["false_verdict_any"] for d, r in runs.items()} == {
        "lengths differ": 0.05, "one group burstier": 0.0, "event-clustered": 0.05}  # fmt: skip
    events = runs["event-clustered"]
    assert events["false_verdict_any_documents_as_units"] == 0.25
    assert min(r["coverage_min"] for r in runs.values()) == 0.9
    assert runs["lengths differ"]["underpowered_share"] == 0.9889


def test_power_and_keyness_small_and_seeded():
    doubled = calibrate.design_run("interchangeable", 20, 10, 5, 499, ratio=2.0)
    assert (doubled["power"], doubled["wrong_direction_any"]) == (0.0667, 0.0)
    null = calibrate.keyness_run("lengths differ", 20, 4, 5, terms=500)
    # the old test flags words whose rates are equal when only the lengths differ
    assert (null["any_flag"], null["mann_whitney_any_flag"]) == (0.0, 1.0)
    tripled = calibrate.keyness_run("interchangeable", 50, 4, 5, terms=500, ratio=3.0)
    assert (tripled["power"], tripled["false_discovery_proportion"]) == (0.12, 0.0)


def test_event_clustered_groups_share_their_event():
    rng = np.random.default_rng(3)
    groups = calibrate.synthetic_groups("event-clustered", 4, rng)
    y_event, t_event = groups["event"][0], groups["event"][1]
    y_doc, t_doc = groups["document"][0], groups["document"][1]
    assert len(t_event) == 4 and len(t_doc) >= 4
    assert y_event.sum() == y_doc.sum() and t_event.sum() == t_doc.sum()


@pytest.fixture(scope="module")
def synthetic_corpus(tmp_path_factory):
    data = write_synthetic_corpus(tmp_path_factory.mktemp("calibrate") / "data")
    return process_corpus(data, use_cache=False)  # a module fixture: no per-test cache yet


def test_random_splits_of_a_corpus(synthetic_corpus):
    results = calibrate.speech_calibration(synthetic_corpus, [5, 10], 20, 17, 999)
    five, ten = results["5"], results["10"]
    assert (five["coverage_min"], ten["coverage_min"]) == (0.8824, 0.9487)
    assert five["verdict_false_positive_max"] == ten["verdict_false_positive_max"] == 0.0
    # the synthetic corpus is news coverage of statements: 5 + 5 documents often make fewer than
    # 5 events a side (no interval, no test: too_few_units), and the rest cannot pass Holm
    assert (five["interval_share_given"], five["underpowered_share"]) == (0.425, 0.15)
    assert ten["underpowered_share"] == 0.89
    # token-level statistics on the same null splits: the problem the document level solves
    assert ten["exact_coverage_min"] == 0.125
    assert (five["keyness_any_flag"], ten["keyness_any_flag"]) == (0.0, 0.0)
    assert (five["keyness_token_bh_flagged_mean"], ten["keyness_token_bh_flagged_mean"]) == (
        54.1, 64.4)  # fmt: skip


def test_markdown_names_every_size_and_marks_misses(synthetic_corpus):
    results = {
        "command": "x", "machine": "y", "seconds": 1,
        "speeches": calibrate.speech_calibration(synthetic_corpus, [5], 2, 1, 99),
        "synthetic": {
            "nulls": [calibrate.design_run("interchangeable", 5, 2, 1, 99)],
            "power": [calibrate.design_run("interchangeable", 5, 2, 1, 99, ratio=2.0)],
            "keyness": [calibrate.keyness_run("lengths differ", 5, 2, 1, terms=50)],
            "keyness_power": [calibrate.keyness_run("interchangeable", 5, 2, 1, terms=50,
                                                    ratio=3.0)],
        },
    }  # fmt: skip
    text = calibrate.render_readme(results)
    assert "| documents per group | 5 |" in text and "| interchangeable | " in text
    assert "| interchangeable, a × 2.0 | " in text
    assert "✗" in text  # two splits of 5: coverage misses its target, and says so
