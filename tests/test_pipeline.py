"""rhetoric.pipeline: the corpus table, the token cache, and process-pool parity."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from conftest import ROOT
from rhetoric.corpus import TABLES, Corpus, corpus_table
from rhetoric.data.folder import add_statements
from rhetoric.errors import RhetoricEnvironmentError, RhetoricInputError
from rhetoric.pipeline import process_corpus, tokenize_texts


def test_corpus_table_by_hand(toy_data):
    table = corpus_table(process_corpus(toy_data))
    assert list(table["id"]) == ["toy-0", "toy-1", "toy-2"]
    assert list(table["tokens_raw"]) == [10, 8, 5]
    assert list(table["tokens_clean"]) == [10, 8, 5]
    assert list(table["sentences"]) == [2, 1, 2]
    assert list(table["quoted_share"]) == [0.4, 0.0, 0.0]
    assert list(table["dyad"]) == ["RU-US", "RU-US", "CN-RU"]


def test_seed_table_shows_what_cleaning_removed():
    table = corpus_table(process_corpus(ROOT / "data")).set_index("id")
    assert (table["tokens_clean"] < table["tokens_raw"]).all()
    # The two Moscow Times articles lose their donation appeal (about 40% of their words);
    # the 2025 article only its 2-token dateline.
    assert table.loc["2010-04-25-us-ru-elbe", "removed_share"] > 0.35
    assert (
        table.loc["2025-05-08-ru-cn-partnership", "tokens_raw"]
        - table.loc["2025-05-08-ru-cn-partnership", "tokens_clean"]
        == 2
    )


def test_cache_tokenizes_only_new_documents(toy_data, tmp_path):
    first = process_corpus(toy_data)
    assert first.tokenized == 3
    second = process_corpus(toy_data)
    assert second.tokenized == 0
    pd.testing.assert_frame_equal(first.tokens, second.tokens)
    new = tmp_path / "new.txt"
    new.write_text("A new statement on trust.", encoding="utf-8")
    add_statements([new], data_dir=toy_data, date="2026-01-01", parties="US,CN")
    third = process_corpus(toy_data)
    assert third.tokenized == 1 and len(third.documents) == 4


def test_damaged_cache_file_is_rebuilt(toy_data):
    from rhetoric.store import paths

    first = process_corpus(toy_data)
    for path in paths.cache_dir().rglob("*"):
        if path.is_file():
            path.write_bytes(b"not a cache file")
    again = process_corpus(toy_data)
    assert again.tokenized == 3
    pd.testing.assert_frame_equal(first.tokens, again.tokens)


def test_process_pool_gives_identical_results():
    texts = {f"d{i}": f"Trust number {i}. " * (50 + i) + "Mutual partnership." for i in range(6)}
    single, _ = tokenize_texts(texts, workers=1, use_cache=False)
    pooled, _ = tokenize_texts(texts, workers=2, use_cache=False)
    for doc_id in texts:
        for name in ("start", "end", "sentence", "paragraph", "quoted", "after_punct", "codes"):
            assert (getattr(single[doc_id], name) == getattr(pooled[doc_id], name)).all()
        assert single[doc_id].types == pooled[doc_id].types


def test_tokens_table_columns():
    processed = process_corpus(ROOT / "data")
    assert list(processed.tokens.columns) == [
        "document",
        "position",
        "sentence",
        "paragraph",
        "start",
        "end",
        "lower",
        "stem",
        "voice",
        "after_punct",
    ]
    cleaned = processed.cleaned
    sample = processed.tokens.sample(50, random_state=0)
    for row in sample.itertuples():
        assert cleaned[row.document][row.start : row.end].lower().replace("’", "'") == row.lower


def _assert_same_tables(one: Corpus, two: Corpus) -> None:
    """Every table of two corpora equal, to the dtype of a categorical's categories."""
    for name in TABLES:
        a, b = getattr(one, name), getattr(two, name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)
            for column in a.columns:
                if isinstance(a[column].dtype, pd.CategoricalDtype):
                    assert a[column].cat.categories.dtype == b[column].cat.categories.dtype
        elif isinstance(a, pd.Series):
            pd.testing.assert_series_equal(a, b, check_exact=True, obj=name)
        else:
            assert a == b, name


@pytest.mark.parametrize("clean", [True, False])
def test_processed_cache_round_trips_exactly(toy_data, clean):
    fresh = process_corpus(toy_data, clean=clean, reprints="keep")
    stored = process_corpus(toy_data, clean=clean, reprints="keep")
    assert stored.tokenized == 0
    _assert_same_tables(fresh, stored)


def test_a_corpus_reads_back_its_arrow_tables():
    corpus = process_corpus(ROOT / "data", use_cache=False)
    tables = corpus.to_arrow()
    assert list(tables) == list(TABLES)
    assert tables["cleaned"].column_names == ["id", "text"]
    assert tables["audit"].num_rows > 0 and tables["hits"].num_rows > 0
    assert pa.types.is_dictionary(tables["tokens"].schema.field("lower").type)
    others = {"themes": corpus.themes, "parties": corpus.parties, "data_dir": corpus.data_dir,
              "key": corpus.key}  # fmt: skip
    _assert_same_tables(Corpus.from_arrow(tables, **others), corpus)
    # a table given as pandas by keyword; one missing altogether is named
    back = Corpus.from_arrow({n: t for n, t in tables.items() if n != "documents"},
                             documents=corpus.documents, **others)  # fmt: skip
    _assert_same_tables(back, corpus)
    with pytest.raises(KeyError, match="tables missing: hits"):
        Corpus.from_arrow({n: t for n, t in tables.items() if n != "hits"}, **others)
    with pytest.raises(RhetoricInputError, match="names='texts'"):
        corpus.to_arrow(("texts",))


def test_no_hits_and_no_reprints_round_trip(toy_data):
    themes = toy_data / "nothing.yml"
    themes.write_text("absent:\n  label: Absent\n  description: d\n  terms: [zzyzx]\n",
                      encoding="utf-8")  # fmt: skip
    fresh = process_corpus(toy_data, themes_file=themes)
    assert fresh.hits.empty and fresh.reprints.empty
    _assert_same_tables(fresh, process_corpus(toy_data, themes_file=themes))


def test_processed_cache_follows_themes(toy_data):
    before = process_corpus(toy_data)
    with (toy_data / "themes.yml").open("a", encoding="utf-8") as handle:
        handle.write("leaders:\n  label: Leaders\n  description: d\n  terms: [leaders]\n")
    after = process_corpus(toy_data)
    assert after.tokenized == 0  # tokens still come from the per-document cache
    assert len(after.hits) == len(before.hits) + 1


def test_damaged_token_batch_is_rebuilt(toy_data):
    from rhetoric.store import paths

    first = process_corpus(toy_data)
    (batch,) = (paths.cache_dir() / "tokens").glob("*.arrow")
    data = batch.read_bytes()
    batch.write_bytes(data[: len(data) - 40])  # cut short
    for stored in (paths.cache_dir() / "corpus").glob("*"):
        stored.unlink()
    again = process_corpus(toy_data)
    assert again.tokenized == 3  # the batch was dropped, not served
    assert not batch.exists() or batch.read_bytes() != data[: len(data) - 40]
    pd.testing.assert_frame_equal(first.tokens, again.tokens)
    assert process_corpus(toy_data).tokenized == 0


def test_cache_write_failure_only_costs_time(toy_data, monkeypatch):
    from rhetoric.store import atomic

    def refuse(*args, **kwargs):
        raise OSError("read-only file system")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    assert process_corpus(toy_data).tokenized == 3
    assert process_corpus(toy_data).tokenized == 3  # nothing was stored, all still works


def test_tokens_table_is_the_same_with_a_pool():
    from rhetoric.pipeline import tokens_frame

    texts = {f"d{i}": f"Trusting partners {i} trusted partnerships. " * (5 + i) for i in range(4)}
    docs, _ = tokenize_texts(texts, workers=1, use_cache=False)
    pd.testing.assert_frame_equal(tokens_frame(docs, workers=1), tokens_frame(docs, workers=2))


# -- a corpus from a DataFrame (issue 21) ------------------------------------------------------


def _toy_frame():
    import pandas as pd

    from conftest import TOY_STATEMENTS

    return pd.DataFrame({
        "id": [f"toy-{i}" for i in range(len(TOY_STATEMENTS))],
        "text": [text for text, _date, _parties in TOY_STATEMENTS],
        "date": [date for _text, date, _parties in TOY_STATEMENTS],
        "parties": [parties.split(",") for _text, _date, parties in TOY_STATEMENTS],
        "kind": "joint_statement",
    })  # fmt: skip


def test_a_dataframe_gives_the_same_processed_corpus_as_a_data_folder(toy_data):
    from rhetoric import process_dataframe
    from rhetoric.measures import keyness, term_frequencies, theme_rates

    from_frame = process_dataframe(_toy_frame(), defaults=toy_data)  # its three YAML files
    from_folder = process_corpus(toy_data)
    assert list(from_frame.documents["id"]) == list(from_folder.documents["id"])
    assert list(from_frame.documents["dyad"]) == ["RU-US", "RU-US", "CN-RU"]
    pd.testing.assert_frame_equal(from_frame.tokens, from_folder.tokens)
    pd.testing.assert_frame_equal(from_frame.hits, from_folder.hits)
    for measure in (lambda p: term_frequencies(p, by="dyad"),
                    lambda p: theme_rates(p, by="dyad", draws=100),
                    lambda p: keyness(p, target="RU-US", min_documents=1)):  # fmt: skip
        pd.testing.assert_frame_equal(measure(from_frame), measure(from_folder))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda f: f.drop(columns=["parties"]), "DataFrame: no column parties"),
        (lambda f: f.assign(date=["2010-01-01", "2020-02-30", "2025-01-01"]),
         "DataFrame row 1: date '2020-02-30' does not exist"),
        (lambda f: f.assign(text=["a", "b", None]), "DataFrame row 2: 'text' holds no text"),
        (lambda f: f.assign(id=["a", "b", "a"]), "DataFrame row 2: id 'a' is taken"),
        (lambda f: f.assign(parties=["US,RU", "US,ZZ", "RU"]), "row 1: party code 'ZZ' is not"),
        (lambda f: f.assign(title=["T" * 200_000, "b", "c"]),
         "row 0: title is longer than 2,000 characters (200,000; is it the text?)"),
        (lambda f: f.assign(id=["a" * 300, "b", "c"]), "is longer than 120 characters"),
        # the battery's: blamed on a generated id, a warning, a traceback
        (lambda f: f.assign(date=[None, "2020-01-01", "2025-01-01"]),
         "DataFrame row 0: no date (give YYYY-MM-DD)"),
        (lambda f: f.assign(parties=[[], "US,RU", "RU,CN"]), "DataFrame row 0: no parties"),
        (lambda f: f.assign(date=pd.to_datetime(["2010-04-25 10:30", "2020-04-25 00:00", "2025-05-08 00:00"])),
         "DataFrame row 0: date 2010-04-25 10:30:00 has a time of day; give the date"),
        (lambda f: f.set_axis(pd.MultiIndex.from_tuples([("a", c) for c in f.columns]), axis=1),
         "DataFrame: column names must be text (found ('a', 'id'))"),
        (lambda f: f.set_axis(range(f.shape[1]), axis=1), "column names must be text (found 0)"),
        (lambda f: pd.concat([f, f[["date"]]], axis=1),
         "DataFrame: column 'date' appears more than once; keep one"),
        (lambda f: f.iloc[:0], "DataFrame: no rows (a corpus needs at least one document)"),
    ],
)  # fmt: skip
def test_a_dataframe_that_cannot_be_a_corpus_is_one_line(edit, message):
    from rhetoric import process_dataframe

    with pytest.raises(RhetoricInputError) as caught:
        process_dataframe(edit(_toy_frame()))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_dataframe_text_that_opens_like_front_matter_is_all_text():
    from rhetoric import process_dataframe

    frame = _toy_frame()
    opening = "---\ntitle: a memo\n---\n"
    frame.loc[0, "text"] = opening + frame.loc[0, "text"]
    frame["date"] = pd.to_datetime(frame["date"])  # timestamps at midnight are dates
    corpus = process_dataframe(frame, reprints="keep")
    texts = dict(zip(corpus.documents["id"], corpus.documents["text"], strict=True))
    assert texts["toy-0"] == frame.loc[0, "text"]  # all of it is the document's text
    assert corpus.documents["date"].tolist() == _toy_frame()["date"].tolist()
    expected = process_dataframe(_toy_frame(), reprints="keep")
    assert len(corpus.hits) == len(expected.hits)  # the row keeps its hits


def test_write_data_folder_makes_a_whole_new_folder_or_nothing(tmp_path, monkeypatch):
    from rhetoric.data import folder as data_folder

    target = tmp_path / "a" / "data"
    data_folder.write_data_folder(_toy_frame(), target)
    assert sorted(p.name for p in target.iterdir()) == [
        "boilerplate.yml", "corpus.csv", "kinds.yml", "parties.yml", "raw", "themes.yml"]  # fmt: skip
    assert len(list((target / "raw").iterdir())) == 3
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    # a folder that holds anything is refused in one line, and left as it was
    with pytest.raises(RhetoricInputError, match="exists and is not an empty folder"):
        data_folder.write_data_folder(_toy_frame(), target)
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before
    # a write that fails half-way leaves no half-made folder behind
    real = Path.write_bytes
    written = []

    def fail_second(self, data):
        written.append(self)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", fail_second)
    other = tmp_path / "b" / "data"
    with pytest.raises(RhetoricEnvironmentError, match="No space left"):
        data_folder.write_data_folder(_toy_frame(), other)
    assert not other.exists() and list(other.parent.iterdir()) == []
