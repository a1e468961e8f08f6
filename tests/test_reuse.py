"""rhetoric.measures.reuse: passages of news articles that reproduce a statement, on texts written here."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import make_data_dir
from rhetoric.cli import main
from rhetoric.data.folder import add_statements
from rhetoric.measures import reuse
from rhetoric.pipeline import process_corpus

STATEMENT = (
    "The two sides agreed to strengthen mutual trust between their peoples and to build a "
    "partnership for the new era. They reaffirmed their commitment to the historical truth about "
    "the Second World War. Both sides will expand trade in national currencies and China’s "
    "investment in Russia’s energy sector. The parties oppose unilateral sanctions."
)
# 50 words: 8 + 22 + 3 + 17; quotes 17 statement words in curly quotes, then 12 with one changed
QUOTING = (
    "Russia and China signed a statement on Thursday. The leaders “agreed to strengthen mutual "
    "trust between their peoples and to build a partnership for the new era,” the text said. "
    "Critics were unimpressed. The document also reaffirmed their commitment to the historic "
    "truth about the Second World War, it added."
)
# written separately: the same themes and a few shared words, no passage of eight
SEPARATE = (
    "Moscow and Beijing pledged closer ties. The leaders spoke of trust and of a partnership for "
    "a new era, without details, and of the truth about the war."
)
# straight apostrophes where the statement has curly ones
TRADE = (
    "Officials said both sides will expand trade in national currencies and China's investment "
    "in Russia's energy sector, a plan first floated last year."
)

# another dyad's article with a statement sentence in it: not paired with the statement
OTHER_DYAD = (
    "In Washington, officials noted that the two sides agreed to strengthen mutual trust between "
    "their peoples and to build a partnership for the new era, and said little else about what "
    "the meeting meant for the war in Ukraine."
)


def _corpus(tmp_path):
    data = make_data_dir(tmp_path / "data", [])
    sources = tmp_path / "sources"
    sources.mkdir()
    documents = [
        ("statement", STATEMENT, "joint_statement", "RU,CN"),
        ("quoting", QUOTING, "news_article", "RU,CN"),
        ("separate", SEPARATE, "news_article", "RU,CN"),
        ("trade", TRADE, "news_article", "RU,CN"),
        ("other-dyad", OTHER_DYAD, "news_article", "US,RU"),
    ]
    for name, text, kind, parties in documents:
        (sources / f"{name}.txt").write_text(text, encoding="utf-8")
        add_statements([sources / f"{name}.txt"], data_dir=data, date="2025-05-08",
                       parties=parties, title=name, id=name, kind=kind)  # fmt: skip
    return data


@pytest.fixture
def processed(tmp_path, monkeypatch):
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    return process_corpus(_corpus(tmp_path))


def test_align_tolerates_a_changed_an_added_and_a_dropped_word():
    s = np.arange(30)
    assert reuse.align(s, s) == [(0, 30, 0, 30)]
    changed = s.copy()
    changed[12] = 99
    assert reuse.align(changed, s) == [(0, 30, 0, 30)]
    added = np.concatenate([s[:12], [99], s[12:]])
    assert reuse.align(added, s) == [(0, 31, 0, 30)]
    dropped = np.delete(s, 12)
    assert reuse.align(dropped, s) == [(0, 29, 0, 30)]
    # four changed words in a row split the passage; each part stands if long enough
    split = s.copy()
    split[12:16] = 99
    assert reuse.align(split, s) == [(0, 12, 0, 12), (16, 30, 16, 30)]
    assert reuse.align(split, s, min_words=13) == [(16, 30, 16, 30)]


def test_align_finds_passages_out_of_order_and_skips_short_ones():
    s = np.arange(40)
    a = np.concatenate([[90, 91], s[25:35], [92], s[2:12], [93, 94], s[36:40]])
    assert reuse.align(a, s) == [(2, 12, 25, 35), (13, 23, 2, 12)]
    assert reuse.align(np.arange(7), np.arange(7)) == []  # seven words: below eight


def test_align_with_sentences_does_not_take_a_word_of_the_next_sentence():
    s, s_sentences = np.arange(30), np.repeat([0, 1], [20, 10])
    a, a_sentences = np.concatenate([s[:21], [90, 91, 92, 93]]), np.repeat([0, 1], [20, 5])
    assert reuse.align(a, s) == [(0, 21, 0, 21)]  # "... markets. The" in both texts
    assert reuse.align(a, s, a_sentences=a_sentences, s_sentences=s_sentences) == [(0, 20, 0, 20)]
    # a quotation running over a sentence break stays one passage
    assert reuse.align(s, s, a_sentences=s_sentences, s_sentences=s_sentences) == [(0, 30, 0, 30)]


def test_align_is_linear_on_a_repeated_word():
    same = np.zeros(200_000, dtype=np.int64)
    assert reuse.align(same, same) == []  # every seed repeats: a refrain, not a quote
    empty = np.zeros(0, dtype=np.int64)
    assert reuse.align(empty, np.arange(30)) == reuse.align(np.arange(30), empty) == []


def test_find_reuse_on_articles_written_here(processed):
    passages = reuse.find_reuse(processed)
    assert list(passages.columns) == reuse.PASSAGE_COLUMNS
    quoting = passages[passages["article"] == "quoting"]
    assert quoting["words"].tolist() == [17, 12]
    assert quoting["text"].tolist() == [
        (
            "agreed to strengthen mutual trust between their peoples and to build a partnership "
            "for the new era"
        ),
        "reaffirmed their commitment to the historic truth about the Second World War",
    ]
    text = processed.cleaned["statement"]
    row = quoting.iloc[1]
    assert text[row["statement_start"] : row["statement_end"]] == (
        "reaffirmed their commitment to the historical truth about the Second World War"
    )
    assert processed.cleaned["quoting"][row["article_start"] : row["article_end"]] == row["text"]
    assert "separate" not in set(passages["article"])  # the same themes, written separately
    assert "other-dyad" not in set(passages["article"])  # another dyad's statement is not paired
    # 17 words: "China's" and "Russia's" are two word tokens each, curly or straight
    assert passages.loc[passages["article"] == "trade", "words"].tolist() == [17]


def test_per_article_and_per_sentence(processed):
    articles = reuse.reuse_articles(processed).set_index("article")
    assert articles.loc["quoting", ["words", "reproduced", "passages"]].tolist() == [50, 29, 2]
    assert articles.loc["quoting", "share"] == pytest.approx(29 / 50)
    assert articles.loc["quoting", "sentences"] == "0;1"
    assert (
        articles.loc["separate", "reproduced"] == 0 and articles.loc["separate", "sentences"] == ""
    )
    assert articles.loc["trade", "sentences"] == "2"
    assert "other-dyad" not in articles.index
    sentences = reuse.reuse_sentences(processed)
    assert sentences["articles"].tolist() == [1, 1, 1, 0]
    assert sentences["reproduced_by"].tolist() == ["quoting", "quoting", "trade", ""]
    assert sentences.loc[3, "text"] == "The parties oppose unilateral sanctions."
    assert sentences.loc[0, "covered"] == pytest.approx(17 / 20)
    matrix = reuse.reuse_matrix(processed, "statement")
    assert matrix.index.tolist() == ["quoting", "separate", "trade"]
    assert matrix.loc["quoting"].round(3).tolist() == [0.85, 0.923, 0.0, 0.0]
    assert reuse.reuse_statements(processed) == ["statement"]


def test_theme_rates_of_reproduced_text_and_the_outlets_own_words(processed):
    rates = reuse.reuse_theme_rates(processed, "statement").set_index(["part", "theme"])
    trust = rates.xs("trust", level="theme")
    # toy theme trust ("mutual trust" counts once): the statement says it once in 55 words
    # (20 + 13 + 17 + 5); the articles reproduced 29 (quoting) + 17 (trade) words holding it
    # once; their own words, 21 + 8, never
    assert trust.loc["statement", ["count", "tokens", "documents"]].tolist() == [1, 55, 1]
    assert trust.loc["reproduced", ["count", "tokens", "documents"]].tolist() == [1, 46, 2]
    assert trust.loc["own words", ["count", "tokens", "documents"]].tolist() == [0, 29, 2]
    assert trust.loc["reproduced", "per_1000"] == pytest.approx(1000 / 46)


def test_cli_reuse(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = _corpus(tmp_path)
    assert main(["reuse", "--data", str(data), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ",".join(reuse.PASSAGE_COLUMNS) and len(out) == 4
    assert main(["reuse", "--data", str(data), "--per", "sentence", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 5
    assert main(["reuse", "--data", str(data), "--min-words", "3"]) == 2
    assert "at least 4" in capsys.readouterr().err


def test_bad_input_runs_through(tmp_path, monkeypatch):
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [])
    sources = tmp_path / "sources"
    sources.mkdir()
    documents = [("statement", STATEMENT, "joint_statement"), ("one", "Word.", "news_article"),
                 ("quote", f'"{STATEMENT}"', "news_article")]  # fmt: skip
    documents += [(f"copy-{i}", f"Copy {i}. {QUOTING}", "news_article") for i in range(200)]
    for name, text, _kind in documents:
        (sources / f"{name}.txt").write_text(text, encoding="utf-8")
    for name, _text, kind in documents:
        add_statements([sources / f"{name}.txt"], data_dir=data, date="2025-05-08",
                       parties="RU,CN", title=name, id=name, kind=kind)  # fmt: skip
    processed = process_corpus(data, reprints="keep")
    passages = reuse.find_reuse(processed)
    assert passages.loc[passages["article"] == "quote", "words"].tolist() == [55]
    assert (passages["article"].str.startswith("copy-")).sum() == 400
    sentences = reuse.reuse_sentences(processed, passages)
    assert sentences["articles"].tolist() == [201, 201, 1, 1]


@pytest.mark.slow
def test_notebook_04_shows_what_the_coverage_took(tmp_path):
    import json

    import nbformat

    from rhetoric.store import paths
    from rhetoric.study.run import run_study

    data = _corpus(tmp_path)
    out = tmp_path / "out"
    notebook = paths.NOTEBOOKS_DIR / "04_framing_comparison.ipynb"
    run_study(data_dir=data, out_dir=out, notebooks=[notebook], progress=False)
    manifest = json.loads((out / "figures" / "manifest.json").read_text(encoding="utf-8"))
    assert "04-reuse-statement" in manifest["figures"]
    executed = nbformat.read(out / "notebooks" / notebook.name, as_version=4)
    shown = "".join(str(o.get("data", {}).get("text/markdown", "")) + str(o.get("data", {}).get(
        "text/plain", "")) for c in executed.cells for o in c.get("outputs", []))  # fmt: skip
    assert (
        "Of the one statement with articles of its dyad, articles reproduced at least half "
        "of a sentence: 3 passages"
    ) in shown
    assert "The parties oppose unilateral sanctions." in shown  # the sentence no one reproduced
    import pandas as pd

    # the theme rates of the three parts, written whole next to the figures
    rates = pd.read_csv(out / "figures" / "04-reuse-theme-rates.csv")
    trust = rates[rates["theme"] == "trust"].set_index("part")
    assert trust.loc["reproduced", ["tokens", "documents", "count"]].tolist() == [46, 2, 1]
    assert trust.loc["own words", ["tokens", "documents", "count"]].tolist() == [29, 2, 0]
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "The whole table (9 rows): `figures/04-reuse-theme-rates.csv`." in printed


# -- time and substance (issue 30) ----------------------------------------------------------

GENEVA = (
    "We, President of the United States of America Joseph R. Biden and President of the Russian "
    "Federation Vladimir V. Putin, note the United States' and Russia's demonstrated ability to "
    "make progress on shared goals even in periods of tension. Recent extension of the New START "
    "Treaty exemplifies our commitment to nuclear arms control. Today, we reaffirm the principle "
    "that a nuclear war cannot be won and must never be fought. Consistent with these goals, the "
    "United States and Russia will embark together on an integrated bilateral Strategic Stability "
    "Dialogue in the near future that will be deliberate and robust. Through this Dialogue, we "
    "seek to lay the groundwork for future arms control and risk reduction measures."
)
GENEVA_TITLE = "U.S.-Russia Presidential Joint Statement on Strategic Stability"
# the same day: two sentences in the agency's house style, and the leaders' designations
SAME_DAY = (
    "GENEVA, June 16 - The leaders issued a short text after their summit. “Today, we reaffirm "
    "the principle that a nuclear war cannot be won and must never be fought,” it said. The US "
    "and Russia “will embark together on an integrated bilateral Strategic Stability Dialogue in "
    "the near future that will be deliberate and robust,” the statement added."
)
# dated the day before (a newspaper in another time zone): still coverage
DAY_BEFORE = (
    "Washington, June 15 - The two presidents were expected to say that "
    "recent extension of the New START Treaty exemplifies our commitment to nuclear arms "
    "control, officials said late on Tuesday."
)
# a week before: shares a sentence of the statement (a leaked draft, or a wrong date)
WEEK_BEFORE = (
    "A draft seen by reporters says the sides seek to lay the groundwork for future arms control "
    "and risk reduction measures, but officials cautioned that nothing was agreed."
)
# two days before: the title announced in advance, and nothing of the text
EARLY_TITLE = (
    "Officials said the U.S.-Russia Presidential Joint Statement on Strategic Stability would be "
    "released after the summit, but gave no details of its content."
)
# the day after: only the designations and the title, which every report repeats
DESIGNATIONS = (
    "The U.S.-Russia Presidential Joint Statement on Strategic Stability was signed by President "
    "of the United States of America Joseph R. Biden and President of the Russian Federation "
    "Vladimir V. Putin. Critics called it thin, and markets barely moved."
)


def _geneva(tmp_path):
    data = make_data_dir(tmp_path / "data", [])
    sources = tmp_path / "sources"
    sources.mkdir()
    documents = [
        ("geneva", f"{GENEVA_TITLE}\n\n{GENEVA}", "joint_statement", "2021-06-16", GENEVA_TITLE),
        ("same-day", SAME_DAY, "news_article", "2021-06-16", "Summit text"),
        ("day-before", DAY_BEFORE, "news_article", "2021-06-15", "Preview"),
        ("week-before", WEEK_BEFORE, "news_article", "2021-06-09", "Draft"),
        ("designations", DESIGNATIONS, "opinion", "2021-06-17", "Thin"),
        ("early-title", EARLY_TITLE, "news_article", "2021-06-14", "Preview of the text"),
    ]
    for name, text, kind, date, title in documents:
        (sources / f"{name}.txt").write_text(text, encoding="utf-8")
        add_statements([sources / f"{name}.txt"], data_dir=data, date=date, parties="US,RU",
                       title=title, id=name, kind=kind)  # fmt: skip
    return data


def test_reuse_follows_time_and_counts_substance_not_formula(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    corpus = process_corpus(_geneva(tmp_path))
    assert reuse.statement_pairs(corpus) == [("same-day", "geneva"), ("day-before", "geneva"),
                                             ("designations", "geneva")]  # fmt: skip
    assert reuse.statement_pairs(corpus, anomalies=True) == [("week-before", "geneva"),
                                                             ("early-title", "geneva")]  # fmt: skip
    passages = reuse.find_reuse(corpus)
    texts = passages.groupby("article")["text"].apply(list).to_dict()
    assert set(texts) == {"same-day", "day-before"}  # the designations alone do not count
    assert [t.startswith("Today, we reaffirm") for t in texts["same-day"]] == [True, False]
    assert texts["day-before"] == [("recent extension of the New START Treaty exemplifies our "
                                    "commitment to nuclear arms control")]  # fmt: skip
    # the early article: listed, not counted
    early = reuse.reuse_anomalies(corpus)  # the early title alone is formula: not even listed
    assert early[["article", "statement", "days", "passages"]].values.tolist() == [
        ["week-before", "geneva", 7, 1]]  # fmt: skip
    assert early["text"].iloc[0].startswith("seek to lay the groundwork for future arms control")
    # the headline and the per-sentence table agree: reproduced = half a sentence or more
    sentences = reuse.reuse_sentences(corpus, passages)
    assert sentences["articles"].tolist() == [0, 0, 1, 1, 1, 0]  # the title's: formula
    assert reuse.reuse_statements(corpus, passages) == ["geneva"]
    assert main(["reuse", "--data", str(tmp_path / "data"), "--format", "csv"]) == 0
    err = capsys.readouterr().err
    assert "2 article–statement pairs of one dyad with the article dated before" in err
    assert main(["reuse", "--data", str(tmp_path / "data"), "--per", "anomaly",
                 "--format", "csv"]) == 0  # fmt: skip
    assert capsys.readouterr().out.splitlines()[1].startswith("week-before,geneva,2021-06-09")


def test_a_statement_with_passages_but_no_half_sentence_is_not_counted_reproduced(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [])
    long_sentence = (
        "The sides agreed to work together on the long list of questions of trade, energy, "
        "transport, culture, education, health and science that their ministries will take up "
        "over the coming years in a series of meetings."
    )
    article = ("Officials said the sides agreed to work together on the long list, and gave no "
               "more details.")  # fmt: skip
    sources = tmp_path / "sources"
    sources.mkdir()
    for name, text, kind in (("s", long_sentence, "joint_statement"), ("a", article,
                                                                      "news_article")):  # fmt: skip
        (sources / f"{name}.txt").write_text(text, encoding="utf-8")
        add_statements([sources / f"{name}.txt"], data_dir=data, date="2021-01-01",
                       parties="US,RU", title=name, id=name, kind=kind)  # fmt: skip
    corpus = process_corpus(data)
    passages = reuse.find_reuse(corpus)
    assert passages["text"].tolist() == ["the sides agreed to work together on the long list"]
    assert reuse.reuse_sentences(corpus, passages)["articles"].tolist() == [0]
    assert reuse.reuse_statements(corpus, passages) == []  # as the table says


def test_the_parts_count_hits_as_theme_rates_do_negated_ones_left_out(tmp_path, monkeypatch):
    """The outlets' own words said "no mutual trust": counted as trust there (1), where every
    other rate leaves a negated hit out (0)."""
    from rhetoric.measures import theme_rates

    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [])
    sources = tmp_path / "sources"
    sources.mkdir()
    doubting = QUOTING + " Critics said there was no mutual trust between the two capitals."
    for name, text, kind in (("statement", STATEMENT, "joint_statement"),
                             ("doubting", doubting, "news_article")):  # fmt: skip
        (sources / f"{name}.txt").write_text(text, encoding="utf-8")
        add_statements([sources / f"{name}.txt"], data_dir=data, date="2025-05-08",
                       parties="RU,CN", title=name, id=name, kind=kind)  # fmt: skip
    corpus = process_corpus(data)
    hits = corpus.hits[(corpus.hits["document"] == "doubting") & (corpus.hits["theme"] == "trust")]
    assert hits["negated"].tolist() == [False, True]
    rates = reuse.reuse_theme_rates(corpus, "statement").set_index(["part", "theme"])
    assert rates.loc[("own words", "trust"), "count"] == 0
    assert rates.loc[("reproduced", "trust"), "count"] == 1
    by_document = theme_rates(corpus, by="document", draws=100).set_index(["group", "theme"])
    assert by_document.loc[("doubting", "trust"), "count"] == 1  # the same rule


def test_a_statement_ending_in_a_sentence_without_words(tmp_path, monkeypatch):
    """A statement whose text ends in "* * *" has a last sentence without a word token:
    reuse_sentences raised KeyError on it."""
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [])
    sources = tmp_path / "sources"
    sources.mkdir()
    for name, text, kind in (("statement", STATEMENT + "\n\n* * *", "joint_statement"),
                             ("quoting", QUOTING, "news_article")):  # fmt: skip
        (sources / f"{name}.txt").write_text(text, encoding="utf-8")
        add_statements([sources / f"{name}.txt"], data_dir=data, date="2025-05-08",
                       parties="RU,CN", title=name, id=name, kind=kind)  # fmt: skip
    corpus = process_corpus(data)
    sentences = reuse.reuse_sentences(corpus)
    assert sentences["sentence"].tolist() == [0, 1, 2, 3, 4]
    assert sentences["words"].tolist()[-1] == 0 and sentences["articles"].tolist()[-1] == 0
