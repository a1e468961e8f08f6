"""rhetoric.measures.events: every document's event, on a corpus as messy as news (issue 30):
a statement quoted the day before (time zones), a wire copy in another house style, a report
without a quote, coverage a month later with no statement, a declared event, a speech alone."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from conftest import make_data_dir
from rhetoric.cli import main
from rhetoric.data.folder import add_statements
from rhetoric.measures import events
from rhetoric.pipeline import process_corpus
from test_reprint_rule import EXTRA, QUOTE, STORY, house_style

STATEMENT = (
    "Joint Statement of the Presidents on the Elbe anniversary. "
    + QUOTE.replace(', " the two presidents said in the statement.', '."').strip('"')
    + " The meeting of Soviet and American troops on the Elbe is a story of trust between our "
    "peoples that we will keep for future generations. We honour the veterans of both countries, "
    "who showed that our nations can work together for a common goal."
)
QUOTING = (
    "MOSCOW - The Kremlin and the White House marked the anniversary on Saturday. "
    "\u201cThe meeting of Soviet and American troops on the Elbe is a story of trust between our "
    "peoples that we will keep for future generations,\u201d the statement said. "
    + " ".join(EXTRA[:2])
)
NO_QUOTE = " ".join([STORY[2], STORY[7], STORY[9]])
LATER_1 = " ".join([EXTRA[3], STORY[10]])
LATER_2 = " ".join([STORY[11], EXTRA[2]])
MUCH_LATER = "Officials met again in June to discuss arms control. " + STORY[9]
PARTNERSHIP = (
    "The two sides agreed to deepen their comprehensive partnership and strategic interaction "
    "in a new era, to expand trade in national currencies, and to oppose unilateral sanctions "
    "and interference in the internal affairs of other states."
)
PARTNERSHIP_NEWS = (
    "Beijing and Moscow said they would deepen their comprehensive partnership and strategic "
    "interaction in a new era, the agency reported, and expand trade in national currencies."
)
SPEECH = (
    "My fellow citizens, today I speak of the responsibility we share for peace. Arms control "
    "is not a gift to an adversary but a duty to our children, and we will pursue it with "
    "patience and resolve in the months ahead."
)

# id, text, kind, date, parties, outlet, event (declared)
DOCUMENTS = [
    ("statement", STATEMENT, "joint_statement", "2020-04-25", "US,RU", "", ""),
    ("quoting", QUOTING, "news_article", "2020-04-24", "US,RU", "Wire", ""),
    (
        "copy",
        "Leaders recall the Elbe\n\n"
        + house_style(QUOTING).replace(" - ", " — ")
        + "\n\n(Reporting by Daily staff)",
        "news_article",
        "2020-04-25",
        "US,RU",
        "Daily",
        "",
    ),
    ("no-quote", NO_QUOTE, "opinion", "2020-04-29", "US,RU", "Weekly", ""),
    ("later-1", LATER_1, "news_article", "2020-05-20", "US,RU", "Wire", ""),
    ("later-2", LATER_2, "news_article", "2020-05-22", "US,RU", "Daily", ""),
    ("much-later", MUCH_LATER, "news_article", "2020-06-10", "US,RU", "Wire", ""),
    ("partnership", PARTNERSHIP, "joint_statement", "2025-05-08", "RU,CN", "", "moscow-2025"),
    ("partnership-news", PARTNERSHIP_NEWS, "news_article", "2025-05-09", "RU,CN", "Agency", ""),
    ("speech", SPEECH, "speech", "2021-06-16", "US,RU", "", ""),
    ("before-speech", STORY[9], "news_article", "2021-06-09", "US,RU", "Wire", ""),
]


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    folder = make_data_dir(tmp_path / "data", [])
    sources = tmp_path / "sources"
    sources.mkdir()
    for name, text, kind, date, parties, outlet, _event in DOCUMENTS:
        (sources / f"{name}.txt").write_text(text, encoding="utf-8")
        add_statements([sources / f"{name}.txt"], data_dir=folder, date=date, parties=parties,
                       title=name, id=name, kind=kind, outlet=outlet or None)  # fmt: skip
    table = pd.read_csv(folder / "corpus.csv", dtype=str, keep_default_na=False)
    table["event"] = [d[6] for d in DOCUMENTS]  # a column added by the user
    table.to_csv(folder / "corpus.csv", index=False)
    return folder


def test_every_document_gets_its_event_and_says_how(data):
    corpus = process_corpus(data, reprints="keep")
    linked = events.document_events(corpus).set_index("id")
    assert linked[["event", "how"]].to_dict("index") == {
        "statement": {"event": "statement", "how": "primary"},
        "quoting": {"event": "statement", "how": "reuse"},  # a day before: time zones
        "copy": {"event": "statement", "how": "reprint"},  # the wire copy, house style
        "no-quote": {"event": "statement", "how": "date"},  # 4 days after, no quotation
        "later-1": {"event": "ru-us-2020-05-20", "how": "coverage"},  # no statement near
        "later-2": {"event": "ru-us-2020-05-20", "how": "coverage"},  # two days after it
        "much-later": {"event": "ru-us-2020-06-10", "how": "coverage"},
        "partnership": {"event": "moscow-2025", "how": "declared"},
        "partnership-news": {"event": "moscow-2025", "how": "reuse"},  # joins what it quotes
        "speech": {"event": "speech", "how": "primary"},
        "before-speech": {"event": "ru-us-2021-06-09", "how": "coverage"},  # before, not after
    }
    table = events.events(corpus).set_index("event")
    assert table.loc["statement", ["documents", "primary", "coverage", "kinds", "outlets"]].tolist(
    ) == [4, "statement", 3, "news_article 2; opinion 1", "Wire 1; Daily 1; Weekly 1"]  # fmt: skip
    assert table.loc["statement", "links"] == "primary 1; reuse 1; reprint 1; date 1"
    assert table.index[0] == "statement"  # the largest event first
    dominance = events.event_dominance(corpus).set_index("group")
    assert dominance.loc["RU-US", ["events", "documents", "largest_event",
                                  "event_documents"]].tolist() == [5, 9, "statement", 4]  # fmt: skip


def test_the_events_command(data, capsys):
    assert main(["events", "--data", str(data), "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table["event"].tolist()[0] == "statement" and len(table) == 6
    assert main(["events", "--data", str(data), "--per", "document", "--format", "csv"]) == 0
    per_document = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert per_document.columns.tolist() == ["id", "event", "how", "dyad", "kind", "date"]
    # with reprints dropped the copy is not a document of the analysis, nor of its event
    assert main(["events", "--data", str(data), "--reprints", "drop", "--per", "document",
                 "--format", "csv"]) == 0  # fmt: skip
    assert "copy" not in pd.read_csv(io.StringIO(capsys.readouterr().out))["id"].tolist()
    assert main(["events", "--data", str(data), "--per", "group", "--format", "csv"]) == 0
    groups = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("group")
    assert groups.loc["RU-US", ["events", "documents", "largest_event"]].tolist() == [
        5, 9, "statement"]  # fmt: skip
    assert groups.loc["CN-RU", "document_share"] == 1.0
    # a filter picks documents, it does not change their events
    assert main(["events", "--data", str(data), "--where", "kind=news_article", "--per",
                 "document", "--format", "csv"]) == 0  # fmt: skip
    filtered = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("id")
    assert filtered.loc["quoting", ["event", "how"]].tolist() == ["statement", "reuse"]
    assert "statement" not in filtered.index


def test_a_declared_event_that_names_a_document_joins_its_event(data):
    table = pd.read_csv(data / "corpus.csv", dtype=str, keep_default_na=False)
    table["event"] = ["elbe-2020" if i == "statement" else "statement" if i == "later-1" else ""
                      for i in table["id"]]  # fmt: skip
    table.to_csv(data / "corpus.csv", index=False)
    linked = events.document_events(process_corpus(data, reprints="keep")).set_index("id")
    assert linked.loc["statement", ["event", "how"]].tolist() == ["elbe-2020", "declared"]
    assert linked.loc["quoting", ["event", "how"]].tolist() == ["elbe-2020", "reuse"]
    assert linked.loc["later-1", ["event", "how"]].tolist() == ["elbe-2020", "declared"]
    assert linked.loc["later-2", ["event", "how"]].tolist() == ["ru-us-2020-05-22", "coverage"]


def test_events_are_inferred_once_per_corpus_and_handed_out_as_copies(data, monkeypatch):
    processed = process_corpus(data)
    first = events.document_events(processed)
    calls = []
    monkeypatch.setattr(events, "_infer_events", lambda c: calls.append(c) or first)
    again = events.document_events(processed)
    pd.testing.assert_frame_equal(again, first)
    assert calls == []  # the same corpus object: not inferred again
    again.loc[0, "event"] = "changed by a caller"
    assert events.document_events(processed).loc[0, "event"] == first.loc[0, "event"]
    other = process_corpus(data)  # an equal corpus, another object: inferred for itself
    events.document_events(other)
    assert calls == [other]
