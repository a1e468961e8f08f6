"""rhetoric.study.context: the findings and the group mix the notebooks show (no kernel needed)."""

from __future__ import annotations

from conftest import make_data_dir
from rhetoric.study.context import findings, group_mix, open_study
from test_measures import GROUPED


def test_findings_say_no_group_test_is_possible_on_the_bundled_data(tmp_path):
    study = open_study("05_summary", figures_dir=tmp_path / "figures")
    table, text = findings(study)
    assert text.startswith("**No group test is possible.** US–Russia has 2 documents and "
                           "Russia–China 1 document; a test with documents as the unit needs "
                           "at least 5 in each group.")  # fmt: skip
    assert set(table["verdict"]) == {"too few documents to test"}
    assert table["units"].tolist()[0] == "2 vs 1 documents"
    assert "weak evidence" not in text and "more frequent" not in text
    assert "- **Trust**: US–Russia 9.9 vs Russia–China 3.1 per 1,000 tokens (5 vs 2 hits" in text


def test_findings_with_enough_documents_state_the_test_and_verdicts(tmp_path):
    data = make_data_dir(tmp_path / "grouped", GROUPED)
    study = open_study("05_summary", data_dir=data, figures_dir=tmp_path / "figures")
    table, text = findings(study)
    assert text.splitlines()[0] == (
        "*Test: studentized log rate ratio over 6 and 6 documents: the larger p of an exact "
        "permutation test (924 splits) and, where that p is below 0.05, a parametric bootstrap "
        "that keeps each group's spread (999 simulated pairs); Holm over 3 tests; verdicts at "
        "Holm-adjusted p < 0.05; intervals simultaneous 95% over 3 tests (Bonferroni: each at "
        "98.33%), robust Poisson GLM over documents (HC3).*")  # fmt: skip
    assert table["verdict"].tolist()[:2] == [
        "higher in US–Russia",
        (
            "underpowered: no difference found, but this test would miss even a doubling (no hit "
            "in either group); silence here is not evidence of similarity"
        ),
    ]
    assert "- **Trust**: US–Russia" in text and ": higher in US–Russia." in text


def test_group_mix_and_where(tmp_path):
    data = make_data_dir(tmp_path / "grouped", GROUPED)
    study = open_study("02_term_frequencies", data_dir=data, figures_dir=tmp_path / "f")
    mix, note = group_mix(study)
    assert mix.to_dict("records") == [
        {"group": "US–Russia", "documents": 6, "kinds": "joint_statement: 6",
         "outlets": "(none): 6"},
        {"group": "Russia–China", "documents": 6, "kinds": "joint_statement: 6",
         "outlets": "(none): 6"},
    ]  # fmt: skip
    assert note == "Both groups hold the same kinds of document from the same outlets."
    narrowed = open_study("02_term_frequencies", data_dir=data, figures_dir=tmp_path / "f",
                          where="year!=2010; year!=2011")  # fmt: skip
    assert len(narrowed.corpus.documents) == 8
    assert narrowed.parameters["where"] == "year!=2010; year!=2011"
    assert study.parameters["where"] == "every document"
    bundled = open_study("02_term_frequencies", figures_dir=tmp_path / "f")
    _mix, note = group_mix(bundled)
    assert note.startswith("The two groups differ in their outlets")


def test_user_labels_cannot_become_markdown_in_the_prose(tmp_path):
    import mistune

    from rhetoric.study.context import heading, limits

    data = make_data_dir(tmp_path / "grouped", GROUPED)
    parties = (data / "parties.yml").read_text(encoding="utf-8")
    hostile = "'![x](http://example.org/a.png) **bold** <b>x</b>'"
    (data / "parties.yml").write_text(parties.replace("RU-US: US–Russia", f"RU-US: {hostile}"),
                                      encoding="utf-8")  # fmt: skip
    study = open_study("05_summary", data_dir=data, figures_dir=tmp_path / "figures")
    assert study.label("RU-US").startswith("![x]")
    _table, text = findings(study)
    for markdown in (text, heading(study), limits(study)):
        rendered = mistune.html(markdown)
        assert "example.org/a.png)" in rendered  # the label is shown, as text
        assert "<img" not in rendered and "<b>x" not in rendered and "<strong>bold" not in rendered


def test_limits_follow_the_corpus(tmp_path):
    from rhetoric.study.context import limits

    data = make_data_dir(tmp_path / "grouped", GROUPED)
    study = open_study("05_summary", data_dir=data, figures_dir=tmp_path / "figures")
    text = limits(study)
    assert (
        "**12 documents are not a population.** The corpus holds 6 US–Russia, 6 Russia–China"
        in text
    )
    assert "**Texts of the parties, not coverage.**" in text  # joint statements only
    assert "**Tested with documents as the unit.** US–Russia has 6 documents" in text
    assert "Too few" not in text and "one document" not in text
    bundled = open_study("05_summary", figures_dir=tmp_path / "f2")
    assert limits(bundled, "tests").startswith(
        "- **Too few documents to test.** US–Russia has 2 documents, Russia–China 1 document: "
        "there are 3 ways to split them into two groups of those sizes, too few for a "
        "permutation test to reach p < 0.05"
    )
    assert limits(bundled, "kinds").startswith("- **News reports, not statements.** All 3")


def test_show_table_shows_the_top_and_writes_the_whole_table(tmp_path, capsys):
    import pandas as pd

    import prose

    study = open_study("01_corpus", figures_dir=tmp_path / "figures")
    frame = pd.DataFrame({"document": [f"d{i:03d}" for i in range(75)], "n": range(75)})
    study.show_table(frame, "01-long", rows=30)
    assert capsys.readouterr().out.splitlines()[-1] == (
        "The first 30 rows shown, 45 left out. The whole table (75 rows): `figures/01-long.csv`."
    )
    written = (tmp_path / "figures" / "01-long.csv").read_text(encoding="utf-8").splitlines()
    assert written[0] == "document,n" and written[-1] == "d074,74" and len(written) == 76
    study.show_table(frame.head(3), "01-short")
    assert capsys.readouterr().out.splitlines()[-1] == (
        "The whole table (3 rows): `figures/01-short.csv`."
    )
    # the output-length check used on executed notebooks counts what a cell prints
    import nbformat

    cell = nbformat.v4.new_code_cell("print(...)", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="line\n" * 100),
        nbformat.v4.new_output("display_data", data={"text/markdown": "a\nb"}),
    ])  # fmt: skip
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp_path / "x.ipynb")
    assert prose.output_lines(tmp_path / "x.ipynb") == {0: 102}


def test_a_url_in_a_label_is_text_in_the_html_reports_not_a_link():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from rhetoric.study.context import escape

    label = "Kremlin, http://kremlin.ru/events/president/news/1 (2025)"
    assert "<a " in markdown2html_mistune(label)  # a bare URL in Markdown becomes a link
    shown = markdown2html_mistune(escape(label))
    assert "<a " not in shown and "http://kremlin.ru/events/president/news/1" in shown
