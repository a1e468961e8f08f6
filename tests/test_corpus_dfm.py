"""rhetoric.corpus.Corpus.dfm: the one documents (or groups) x terms matrix, counted by hand.

The toy corpus (conftest.TOY_STATEMENTS), by dyad:
RU-US  toy-0  leaders met | they said we trust our partners in moscow   (10 words)
       toy-1  mutual trust and partnership grew between both sides        (8 words)
CN-RU  toy-2  no trust | only partnership remains                         (5 words)
Display stopwords among them: said, in, and, between, both, only.
"""

from __future__ import annotations

import numpy as np
import pytest

from rhetoric.errors import RhetoricInputError
from rhetoric.pipeline import process_corpus


@pytest.fixture
def toy(toy_data):
    return process_corpus(toy_data)


def _cell(matrix, row: str, term: str) -> int:
    return int(matrix.counts[matrix.rows.index(row), list(matrix.terms).index(term)])


def test_words_by_dyad_with_every_word(toy):
    words = toy.dfm(by="dyad")
    assert words.rows == ["RU-US", "CN-RU"]
    assert list(words.sizes) == [18, 5]  # every word token: the rates' denominator
    assert (_cell(words, "RU-US", "trust"), _cell(words, "CN-RU", "trust")) == (2, 1)
    assert (_cell(words, "RU-US", "partnership"), _cell(words, "CN-RU", "partnership")) == (1, 1)
    assert int(words.counts.sum()) == 23 and words.counts.shape == (2, len(words.terms))


def test_dropping_stopwords_drops_their_occurrences_and_columns(toy):
    kept = toy.dfm(by="dyad", stopwords="drop")
    assert list(kept.sizes) == [18 - 5, 5 - 1]
    assert not {"said", "in", "and", "between", "both", "only"} & set(kept.terms)
    assert {"we", "our", "no", "they"} <= set(kept.terms)  # pronouns and negations stay
    # stems: a stopword is judged on its word form ("only" -> stem "onli" is still dropped)
    stems = toy.dfm(by="dyad", unit="stem", stopwords="drop")
    assert "onli" not in stems.terms and _cell(stems, "RU-US", "partner") == 1
    assert list(stems.sizes) == [13, 4]


def test_bigrams_within_sentences(toy):
    pairs = toy.dfm(by="dyad", ngrams=2)
    assert list(pairs.sizes) == [1 + 7 + 7, 1 + 2]  # no pair crosses a sentence end
    assert _cell(pairs, "RU-US", "mutual trust") == 1 and _cell(pairs, "CN-RU", "no trust") == 1
    assert "met they" not in pairs.terms
    dropped = toy.dfm(by="dyad", ngrams=2, stopwords="drop")
    assert "trust and" not in dropped.terms and "partners in" not in dropped.terms
    assert "mutual trust" in dropped.terms


def test_rows_count_some_tokens_in_the_same_columns(toy):
    every = toy.dfm(by="dyad", ngrams="1-2")
    last = np.flatnonzero(toy.tokens["document"].to_numpy() == "toy-2")
    part = toy.dfm(by="dyad", ngrams="1-2", rows=last)
    assert list(part.terms) == list(every.terms)
    assert part.counts[0].sum() == 0 and list(part.sizes) == [0, 5 + 3]
    assert (part.counts[1] != every.counts[1]).nnz == 0  # all of CN-RU, as in the whole


def test_documents_in_corpus_order_and_a_selection_counts_afresh(toy):
    documents = toy.dfm()
    assert documents.rows == ["toy-0", "toy-1", "toy-2"]
    assert list(documents.sizes) == [10, 8, 5]
    toy.dfm(by="dyad", stopwords="drop")  # fills the value's memo
    two = toy.select(ids=["toy-1", "toy-2"])
    assert two._memo == {}
    assert list(two.dfm(by="dyad").sizes) == [8, 5]
    with pytest.raises(RhetoricInputError, match="stopwords=True: use keep or drop"):
        toy.dfm(stopwords=True)
