"""rhetoric.text.themes: lexicons and matching (hand-counted)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
import pandas as pd
import pytest

from conftest import ROOT
from rhetoric.pipeline import process_corpus, tokenize_texts, tokens_frame
from rhetoric.text.themes import Theme, check_themes, compile_term, match_themes


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
    themes = [
        Theme("t", "T", "d", ("trust", "mutual trust", "co*", "a b c")),
        Theme("k", "K", "d", ("*st", "exact: a b", "glob: *t?u*", "regex: t.* \\w+")),
    ]
    hits = hits_for({"a": text, "b": "mutual trust " + text}, themes)
    for row in hits.itertuples():
        assert row.start < row.end


# -- term kinds: stem (default), exact, glob, regex ------------------------------------

KINDS_TEXT = (
    "They trusted us. Trusts grew; distrust and mistrust fell. E-mail, email and emails. "
    "The United States trust them."
)


@pytest.mark.parametrize(
    ("term", "matches"),
    [
        ("trust", ["trusted", "Trusts", "trust"]),  # stems
        ("exact: trusts", ["Trusts"]),  # the form only, case ignored
        ("exact: United States", ["United States"]),
        ("*trust", ["distrust", "mistrust", "trust"]),  # a leading glob in a stem term
        ("glob: *trust", ["distrust", "mistrust", "trust"]),
        ("glob: ?istrust", ["distrust", "mistrust"]),  # '?' is one character
        ("glob: e*mail", ["E-mail", "email"]),  # '*' inside a word; not "emails"
        ("glob: united stat*", ["United States"]),
        ("regex: trust(s|ed)?", ["trusted", "Trusts", "trust"]),  # whole form, case ignored
        ("regex: tru", []),  # not a search: the whole form must match
        ("regex: united stat.*", ["United States"]),  # one expression per word
    ],
)
def test_term_kinds_match_as_documented(term, matches):
    hits = hits_for({"a": KINDS_TEXT}, [Theme("t", "T", "d", (term,))])
    assert list(hits["match"]) == matches
    assert set(hits["term"]) <= {term}


def test_longest_match_wins_across_kinds():
    theme = Theme("t", "T", "d", ("trust", "exact: mutual trust", "regex: mutual"))
    hits = hits_for({"a": "Mutual trust and mutual gains."}, [theme])
    assert list(hits["term"]) == ["exact: mutual trust", "regex: mutual"]


@pytest.mark.parametrize(
    ("term", "problem"),
    [
        ("trust(s)?", "write it as 'regex: ...'"),
        ("co*op", "'*' stands only at the start or end of a word"),
        ("exact: trust*", "exact terms take no wildcards"),
        ("glob: *", "no letters or digits"),
        ("glob: trust *", "of wildcards alone would match every token"),
        ("regex: (", "is not a regular expression"),
        ("regex: " + "a" * 201, "more than 200 characters"),
        ("exact:   ", "has no words after 'exact:'"),
    ],
)
def test_term_problems_name_the_fix(term, problem):
    from rhetoric.text.themes import term_problem

    assert problem in term_problem(term)


def test_terms_of_every_kind_in_themes_yml(tmp_path):
    path = tmp_path / "themes.yml"
    path.write_text(
        "t:\n  label: T\n  description: d.\n  terms:\n"
        "    - trust\n"  # line 5
        "    - exact: Trusts\n"  # a one-key mapping
        '    - "glob: *trust"\n'  # the same kind written in the string
        "    - regex: '(a'\n"  # line 8
        "    - foo: bar\n"  # line 9
        "    - exact: trusts\n",  # line 10: the same term as line 6
        encoding="utf-8",
    )
    themes, problems = check_themes(path)
    assert themes == ()
    assert [p.line for p in problems] == [8, 9, 10]
    assert "'(a' is not a regular expression" in problems[0].message
    assert "a term must be a non-empty word" in problems[1].message
    assert "term 'exact: trusts' is listed twice (lines 6 and 10)" in problems[2].message
    assert "a mapping term is one of stem, exact, glob, regex" in problems[1].message
    path.write_text(
        "t:\n  label: T\n  description: d.\n  terms:\n"
        '    - trust\n    - exact: Trusts\n    - "glob:  *Trust"\n    - regex: Tr(u)st\n',
        encoding="utf-8",
    )
    themes, problems = check_themes(path)
    assert problems == []
    assert themes[0].terms == ("trust", "exact: trusts", "glob: *trust", "regex: Tr(u)st")


def test_a_slow_regex_is_stopped_in_one_line(monkeypatch):
    from rhetoric.errors import RhetoricInputError
    from rhetoric.text import themes as themes_mod

    monkeypatch.setattr(themes_mod, "REGEX_SECONDS", 0.2)
    theme = Theme("t", "T", "d", ("regex: (a|aa)+c",))
    with pytest.raises(RhetoricInputError, match=r"took more than 0.2 s .*'a{40}'"):
        hits_for({"a": "a" * 40 + " and more"}, [theme])


def test_theme_similarity_expands_every_kind():
    import dataclasses

    from rhetoric.measures.similarity import _theme_documents
    from rhetoric.pipeline import process_dataframe

    frame = pd.DataFrame({"text": [KINDS_TEXT], "date": ["2024-01-01"], "parties": ["US,RU"]})
    processed = process_dataframe(frame)
    vocabulary = sorted(set(processed.tokens["lower"].astype(str)))
    themes = (Theme("k", "K", "d", ("exact: trusts", "glob: ?istrust", "regex: e.?mails?")),)
    words = _theme_documents(dataclasses.replace(processed, themes=themes), vocabulary, "lower")
    assert sorted(words["k"]) == ["distrust", "e-mail", "email", "emails", "mistrust", "trusts"]


@given(glob=st.text(alphabet="ab*?", max_size=8), word=st.text(alphabet="abc", max_size=10))
@settings(max_examples=2000, deadline=None)
def test_globs_match_as_their_regular_expressions_do(glob, word):
    import re

    from rhetoric.text.themes import surface_matches

    expected = re.fullmatch("".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                                    for c in glob), word) is not None  # fmt: skip
    assert surface_matches(("glob", glob), [word]).tolist() == [expected]


def test_a_glob_of_many_stars_takes_no_time_to_refuse_a_long_word():
    # as a regular expression, ten stars over a 61-letter word took minutes
    from rhetoric.text.themes import surface_matches

    words = ["a" * 60 + "c", "a" * 60 + "b", "trust"]
    assert surface_matches(("glob", "*a" * 40 + "*b"), words).tolist() == [False, True, False]


def test_the_regex_words_of_a_themes_file_share_one_budget_of_cpu_time(monkeypatch):
    from rhetoric.errors import RhetoricInputError
    from rhetoric.text import themes as themes_mod

    monkeypatch.setattr(themes_mod, "REGEX_FILE_SECONDS", 0.2)
    words = [f"word{i}" for i in range(100_000)]
    budget = themes_mod.RegexBudget()
    calls = 0
    with pytest.raises(
        RhetoricInputError, match=r"regex words of the themes took more than 0.2 s"
    ):
        for k in range(1000):  # cheap each, too many together
            themes_mod.surface_matches(("regex", f"word{k}x?"), words, budget=budget)
            calls += 1
    assert 0 < calls < 1000 and budget.left <= 0
