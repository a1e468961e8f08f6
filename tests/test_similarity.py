"""rhetoric.measures.similarity: scikit-learn's reference TF-IDF, hand-computed cosines, boilerplate."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import ROOT, make_data_dir
from rhetoric.measures.similarity import (
    TFIDF_PARAMETERS,
    context_similarity,
    document_similarity,
    tfidf_vectorizer,
    theme_similarity,
)
from rhetoric.pipeline import process_corpus


def test_user_guide_example():
    """scikit-learn user guide (feature_extraction.rst): counts -> tf-idf rows."""
    counts = [[3, 0, 1], [2, 0, 0], [3, 0, 0], [4, 0, 0], [3, 2, 0], [3, 0, 2]]
    docs = [["x"] * a + ["y"] * b + ["z"] * c for a, b, c in counts]
    vectorizer = tfidf_vectorizer()
    matrix = vectorizer.fit_transform(docs).toarray()
    assert vectorizer.idf_ == pytest.approx([1.0, 2.25276297, 1.84729786])
    assert matrix[0] == pytest.approx([0.85151335, 0, 0.52433293])
    assert matrix[4] == pytest.approx([0.55422893, 0.83236428, 0])
    assert matrix[5] == pytest.approx([0.63035731, 0, 0.77630514])


def test_parameters_are_sklearn_defaults():
    """The documented claim: TF-IDF as scikit-learn's defaults (checked against the installed
    scikit-learn, not against a copy of the values)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    assert TfidfTransformer().get_params() == TFIDF_PARAMETERS  # every parameter, stated


def test_hand_computed_cosines(tmp_path):
    data = make_data_dir(
        tmp_path / "d",
        [
            ("trust and partnership", "2020-01-01", "US,RU"),
            ("historical truth and trust", "2021-01-01", "US,RU"),
            ("partnership partnership", "2022-01-01", "RU,CN"),
        ],
    )
    frame = document_similarity(process_corpus(data)).set_index(["a", "b"])["cosine"]
    assert frame[("toy-0", "toy-1")] == pytest.approx(0.494265, abs=1e-6)
    assert frame[("toy-0", "toy-2")] == pytest.approx(0.577350, abs=1e-6)
    assert frame[("toy-1", "toy-2")] == pytest.approx(0.0)
    assert frame[("toy-0", "toy-0")] == pytest.approx(1.0)


def test_boilerplate_no_longer_makes_the_us_russia_seeds_alike():
    cleaned = process_corpus(ROOT / "data")
    raw = process_corpus(ROOT / "data", clean=False)
    pair = ("2010-04-25-us-ru-elbe", "2020-04-25-us-ru-elbe")
    for stopwords in ("keep", "drop"):
        on_clean = (
            document_similarity(cleaned, stopwords=stopwords)
            .set_index(["a", "b"])
            .loc[pair, "cosine"]
        )
        on_raw = (
            document_similarity(raw, stopwords=stopwords).set_index(["a", "b"]).loc[pair, "cosine"]
        )
        assert on_clean < on_raw - 0.1


def test_group_similarity_pools_tokens(toy_data):
    frame = document_similarity(process_corpus(toy_data), by="dyad")
    assert list(zip(frame["a"], frame["b"], strict=True)) == [
        ("RU-US", "RU-US"),
        ("RU-US", "CN-RU"),
        ("CN-RU", "CN-RU"),
    ]


def test_theme_similarity(toy_data):
    frame = theme_similarity(process_corpus(toy_data)).set_index(["document", "theme"])
    assert frame.loc[("toy-0", "empty_theme"), "cosine"] == 0
    assert (
        frame.loc[("toy-0", "empty_theme"), "lexicon_words"] == 0
    )  # "hegemony" is in no document
    assert frame.loc[("toy-1", "trust"), "cosine"] > frame.loc[("toy-0", "trust"), "cosine"] > 0


def test_context_similarity_undefined_without_hits(toy_data):
    frame = context_similarity(process_corpus(toy_data)).set_index("theme")
    assert np.isnan(frame.loc["empty_theme", "cosine"])
    assert frame.loc["partnership", ["a_sentences", "b_sentences"]].tolist() == [2, 1]
    # trust in CN-RU only negated ("No trust."), which still marks the sentence as a context
    assert 0 <= frame.loc["partnership", "cosine"] <= 1


def test_sparse_counts_give_what_tfidfvectorizer_gives():
    """The token-table path equals TfidfVectorizer(analyzer=...) on the same tokens."""
    from rhetoric.measures.similarity import document_texts

    processed = process_corpus(ROOT / "data")
    docs = document_texts(processed)
    matrix = tfidf_vectorizer().fit_transform(list(docs.values()))
    expected = (matrix @ matrix.T).toarray()
    frame = document_similarity(processed)
    names = list(docs)
    for a, b, cosine in frame.itertuples(index=False):
        assert cosine == pytest.approx(expected[names.index(a), names.index(b)], abs=1e-12)
