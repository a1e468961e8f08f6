"""rhetoric.themes: lexicons and matching (hand-counted)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
import pandas as pd
import pytest

from conftest import ROOT
from rhetoric.pipeline import process_corpus, tokenize_texts, tokens_frame
from rhetoric.themes import Theme, check_themes, compile_term, match_themes


def hits_for(texts: dict[str, str], themes: list[Theme]) -> pd.DataFrame:
    docs, _ = tokenize_texts(texts, use_cache=False)
    return match_themes(tokens_frame(docs), tuple(themes), pd.Series(texts))


@pytest.fixture(scope="module")
def seeds():
    return process_corpus(ROOT / "data", use_cache=False)


def _count(processed, doc_id, theme):
    hits = processed.hits
    return int(((hits["document"] == doc_id) & (hits["theme"] == theme)).sum())


def test_historical_truth_counts_once_in_2025(seeds):
    hits = seeds.hits[seeds.hits["theme"] == "historical_truth"]
    doc = hits[hits["document"] == "2025-05-08-ru-cn-partnership"]
    assert list(doc["match"]) == ["historical truth", "historical memory"]
    assert list(doc["n_tokens"]) == [2, 2]


def test_mutual_trust_counts_once_for_trust(seeds):
    hits = seeds.hits[
        (seeds.hits["theme"] == "trust") & (seeds.hits["document"] == "2010-04-25-us-ru-elbe")
    ]
    assert list(hits["match"]) == ["mutual trust", "mutual trust"]
    assert list(hits["voice"]) == ["narration", "quoted"]


def test_hail_trust_headline_counts(seeds):
    hits = seeds.hits[
        (seeds.hits["theme"] == "trust") & (seeds.hits["document"] == "2020-04-25-us-ru-elbe")
    ]
    assert list(hits["match"]) == ["Trust", "trust", "trust"]
    assert hits.iloc[0]["sentence"] == 0


def test_seed_counts_by_hand(seeds):
    # Counted by reading the cleaned texts with themes.yml in hand.
    assert (
        _count(seeds, "2025-05-08-ru-cn-partnership", "trust") == 2
    )  # political mutual trust; reliable partners
    assert _count(seeds, "2025-05-08-ru-cn-partnership", "partnership") == 4
    assert _count(seeds, "2010-04-25-us-ru-elbe", "partnership") == 2
    assert _count(seeds, "2020-04-25-us-ru-elbe", "cooperation") == 6


def test_longest_match_wins_and_a_token_counts_once_per_theme():
    theme = Theme("t", "T", "d", ("trust", "mutual trust", "political mutual trust"))
    hits = hits_for({"a": "Political mutual trust and mutual trust and trust."}, [theme])
    assert list(hits["term"]) == ["political mutual trust", "mutual trust", "trust"]


def test_a_token_may_count_for_two_themes():
    themes = [Theme("a", "A", "d", ("trust",)), Theme("b", "B", "d", ("mutual trust",))]
    hits = hits_for({"x": "mutual trust"}, themes)
    assert list(hits["theme"]) == ["b", "a"] or list(hits["theme"]) == ["a", "b"]
    assert len(hits) == 2


def test_phrases_do_not_cross_punctuation_or_sentences():
    theme = Theme("t", "T", "d", ("mutual trust",))
    assert hits_for({"a": "mutual, trust. Mutual. Trust"}, [theme]).empty


def test_globs_match_prefixes_of_the_surface_form():
    theme = Theme("c", "C", "d", ("cooperat*", "reliable partner*"))
    hits = hits_for({"a": "Cooperation, cooperate; reliable partners; co-operation."}, [theme])
    assert list(hits["match"]) == ["Cooperation", "cooperate", "reliable partners"]


def test_stems_match_inflections():
    hits = hits_for({"a": "They trusted and trusts."}, [Theme("t", "T", "d", ("trust",))])
    assert list(hits["match"]) == ["trusted", "trusts"]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("We do not trust them.", True),
        ("They don't trust us.", True),
        ("There is no mutual trust.", True),
        ("a lack of trust", True),
        ("a so-called trust", True),
        ("never again will we fully and truly trust", False),  # negator four tokens back
        ("No. Trust is back.", False),  # other sentence
        ("We trust them.", False),
    ],
)
def test_negation_within_three_tokens(text, negated):
    hits = hits_for({"a": text}, [Theme("t", "T", "d", ("trust", "mutual trust"))])
    assert list(hits["negated"]) == [negated]


def test_compile_term():
    assert compile_term("Historical Truth") == (("stem", "histor"), ("stem", "truth"))
    assert compile_term("one-China policy") == (("stem", "one-china"), ("stem", "polici"))
    assert compile_term("partner*") == (("prefix", "partner"),)


def test_bundled_themes_are_valid():
    themes, problems = check_themes(ROOT / "data" / "themes.yml")
    assert problems == []
    ids = [t.id for t in themes]
    for required in (
        "trust",
        "partnership",
        "historical_truth",
        "cooperation",
        "security",
        "war_memory",
        "sovereignty_multipolarity",
        "third_party_criticism",
    ):
        assert required in ids
    terms = {t.id: t.terms for t in themes}
    assert {"mutual trust"} <= set(terms["trust"])
    assert {"historical truth", "historical memory"} <= set(terms["historical_truth"])


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_matching_never_raises(text):
    themes = [Theme("t", "T", "d", ("trust", "mutual trust", "co*", "a b c"))]
    hits = hits_for({"a": text, "b": "mutual trust " + text}, themes)
    for row in hits.itertuples():
        assert row.start < row.end
