"""What each ``plot_*`` draws, on hand-made tables: labels, artists, values and limits.

The figure files themselves are compared byte for byte in test_figures and
test_notebooks; these tests say what is in them, and that every function
draws on axes it is given (composable panels) without touching the rest of
the figure.
"""

from __future__ import annotations

import matplotlib
from matplotlib.collections import PathCollection
from matplotlib.image import AxesImage
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from rhetoric.study import plots

COLORS = {"RU-US": "#0072B2", "CN-RU": "#D55E00"}
LABELS = {"RU-US": "US–Russia", "CN-RU": "Russia–China"}
THEME_LABELS = {"trust": "Trust", "partnership": "Partnership", "history": "Historical truth"}
CORPUS = pd.DataFrame(
    {
        "id": ["us-2010", "us-2020", "cn-2025"],
        "dyad": ["RU-US", "RU-US", "CN-RU"],
        "date": ["2010-04-25", "2020-04-25", "2025-05-08"],
    }
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _rates(groups, values) -> pd.DataFrame:
    """A theme_rates-like table: per_1000 from ``values`` (groups × themes), n = 10 × rate."""
    rows = []
    for g, group in enumerate(groups):
        for t, theme in enumerate(THEME_LABELS):
            rate = values[g][t]
            rows.append((group, theme, int(rate * 10), 10_000, rate, rate * 0.5, rate * 1.5))
    columns = ["group", "theme", "count", "tokens", "per_1000", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=columns)


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _ticks(labels) -> list[str]:
    return [t.get_text() for t in labels]


def test_figure_of_finds_the_figure_of_axes_arrays_and_figures():
    fig, grid = plt.subplots(2, 2, squeeze=False)
    assert plots.figure_of(grid[1, 1]) is fig
    assert plots.figure_of(grid) is fig
    assert plots.figure_of(list(grid.flat)) is fig
    assert plots.figure_of(fig) is fig
    sub = fig.subfigures(1, 1)
    assert plots.figure_of(sub.add_subplot()) is fig


def test_theme_rates_draws_one_errorbar_per_group_with_counts():
    rates = _rates(["RU-US", "CN-RU"], [[2.0, 1.0, 0.0], [4.0, 3.0, 0.5]])
    ax = plots.plot_theme_rates(rates, colors=COLORS, labels=LABELS, theme_labels=THEME_LABELS)
    assert _ticks(ax.get_yticklabels()) == ["Trust", "Partnership", "Historical truth"]
    assert len(ax.containers) == 2  # one errorbar per group
    first = ax.containers[0].lines[0]  # the dots of RU-US, themes in order
    assert list(first.get_xdata()) == [2.0, 1.0, 0.0]
    assert _texts(ax) == ["n=20", "n=10", "n=0", "n=40", "n=30", "n=5"]
    assert ax.get_xlim()[0] == 0
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # first theme on top
    legend = ax.figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["US–Russia", "Russia–China"]


def test_plots_draw_on_given_axes_and_leave_the_rest_of_the_figure():
    rates = _rates(["RU-US"], [[2.0, 1.0, 0.0]])
    fig, (left, right) = plt.subplots(1, 2)
    ax = plots.plot_theme_rates(
        rates, colors=COLORS, labels=LABELS, theme_labels=THEME_LABELS, ax=right
    )
    assert ax is right
    assert not left.has_data() and right.has_data()
    assert fig.legends == []  # the legend goes in the panel, not below the figure
    assert _ticks(right.get_legend().get_texts()) == ["US–Russia"]
    assert tuple(fig.get_size_inches()) == tuple(plt.rcParams["figure.figsize"])


def test_theme_rates_by_document_heatmap_values_and_dyad_colours():
    rates = _rates(CORPUS["id"], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.5]])
    ax = plots.plot_theme_rates_by_document(
        rates, CORPUS, colors=COLORS, labels=LABELS, theme_labels=THEME_LABELS
    )
    image = next(a for a in ax.get_children() if isinstance(a, AxesImage))
    # rows grouped by dyad in colour order, then by date
    assert _ticks(ax.get_yticklabels()) == ["● us-2010", "● us-2020", "■ cn-2025"]  # dyad marks
    np.testing.assert_array_equal(image.get_array(), [[1, 2, 3], [4, 5, 6], [7, 8, 9.5]])
    assert image.get_clim() == (0, 9.5)
    assert [t.get_color() for t in ax.get_yticklabels()] == ["#0072B2", "#0072B2", "#D55E00"]
    assert "9.5" in _texts(ax) and len(ax.texts) == 9  # every cell annotated
    assert len(ax.figure.axes) == 2  # the heatmap and its colour bar


def test_many_documents_are_dots_with_their_dyads_pooled_rate():
    ids = [f"d{i}" for i in range(plots.MAX_HEATMAP_ROWS + 2)]
    # CN-RU first in the table: the figure still draws the dyads in colour order
    corpus = pd.DataFrame({"id": ids, "dyad": ["CN-RU", "RU-US"] * (len(ids) // 2),
                           "date": ["2020-01-01"] * len(ids)})  # fmt: skip
    # CN-RU documents: trust 3 and 1 per 1,000 in turn (11 and 10 of them, equal lengths:
    # pooled 43/21); RU-US: 1 throughout
    values = [[3.0, 3.0, 3.0], [1.0, 1.0, 1.0], [1.0, 3.0, 3.0], [1.0, 1.0, 1.0]]
    rates = _rates(ids, values * (len(ids) // 4) + values[: len(ids) % 4])
    ax = plots.plot_theme_rates_by_document(
        rates, corpus, colors=COLORS, labels=LABELS, theme_labels=THEME_LABELS
    )
    assert _ticks(ax.get_yticklabels()) == ["Trust", "Partnership", "Historical truth"]
    assert ax.figure.get_suptitle() == f"Theme rates per document ({len(ids)} documents)"
    dots = [c for c in ax.collections if len(c.get_offsets())]
    assert sum(len(c.get_offsets()) for c in dots) == 3 * len(ids)  # every document, every theme
    first = dots[0]  # RU-US (colour order), trust: every document at 1
    assert first.get_offsets()[:, 0].tolist() == [1.0] * (len(ids) // 2)
    bars = [line.get_xdata()[0] for line in ax.lines]  # per dyad, per theme: the pooled rate
    assert bars[:3] == [1.0, 1.0, 1.0] and bars[3] == pytest.approx(43 / 21)
    assert _ticks(ax.figure.legends[0].get_texts()) == ["US–Russia", "Russia–China",
                                                        "pooled rate of the dyad"]  # fmt: skip


def _cosines(names, value_of) -> pd.DataFrame:
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i:]]
    return pd.DataFrame(
        {"a": [a for a, _ in pairs], "b": [b for _, b in pairs],
         "cosine": [value_of(a, b) for a, b in pairs]}
    )  # fmt: skip


def test_document_similarity_one_symmetric_heatmap_per_panel():
    names = list(CORPUS["id"])
    panels = {
        "All": _cosines(names, lambda a, b: 1.0 if a == b else 0.25),
        "Content": _cosines(names, lambda a, b: 1.0 if a == b else 0.5),
    }
    axes = plots.plot_document_similarity(panels, CORPUS, colors=COLORS, labels=LABELS)
    assert len(axes) == 2
    for ax, off in zip(axes, (0.25, 0.5), strict=True):
        image = next(a for a in ax.get_children() if isinstance(a, AxesImage))
        values = image.get_array()
        np.testing.assert_array_equal(values, values.T)
        assert values[0, 1] == off and values[2, 2] == 1.0
    assert [ax.get_title(loc="left") for ax in axes] == ["All", "Content"]
    _fig, given = plt.subplots(2, 1)
    assert list(plots.plot_document_similarity(panels, CORPUS, colors=COLORS, labels=LABELS,
                                               axes=given)) == list(given)  # fmt: skip
    with pytest.raises(ValueError, match="2 panels to draw, but 1 axes given"):
        plots.plot_document_similarity(panels, CORPUS, colors=COLORS, labels=LABELS,
                                       axes=[given[0]])  # fmt: skip


def test_theme_similarity_rows_are_documents_and_columns_themes():
    frame = pd.DataFrame(
        [(d, t, 0.1 * (i + 1) * (j + 1), 3) for i, d in enumerate(CORPUS["id"])
         for j, t in enumerate(THEME_LABELS)],
        columns=["document", "theme", "cosine", "lexicon_words"],
    )  # fmt: skip
    ax = plots.plot_theme_similarity(
        frame, CORPUS, colors=COLORS, labels=LABELS, theme_labels=THEME_LABELS
    )
    image = next(a for a in ax.get_children() if isinstance(a, AxesImage))
    assert _ticks(ax.get_xticklabels()) == ["Trust", "Partnership", "Historical truth"]
    assert image.get_array()[2, 2] == pytest.approx(0.9)
    assert image.get_clim()[1] == pytest.approx(0.9)


def test_context_similarity_cells_show_cosine_and_context_sizes():
    frame = pd.DataFrame(
        {"theme": ["trust", "partnership"], "a": ["RU-US"] * 2, "b": ["CN-RU"] * 2,
         "cosine": [0.4, np.nan], "a_sentences": [3, 0], "b_sentences": [2, 4]}
    )  # fmt: skip
    ax = plots.plot_context_similarity(frame, labels=LABELS, theme_labels=THEME_LABELS)
    assert _texts(ax) == ["0.40\n(3 vs 2)", "no hit\n(0 vs 4)"]
    assert _ticks(ax.get_xticklabels()) == ["US–Russia vs\nRussia–China"]
    assert _ticks(ax.get_yticklabels()) == ["Trust", "Partnership"]


def test_keyness_bars_are_log_ratios_with_counts_and_documents_in_the_labels():
    frame = pd.DataFrame(
        {"term": ["trust", "spirit", "partnership", "era"], "g2": [9.0, 4.0, -7.5, -2.0],
         "log_ratio": [3.5, 2.0, -3.0, -1.0], "target_count": [9, 4, 0, 1],
         "reference_count": [0, 0, 8, 3], "target_documents": [3, 2, 0, 1],
         "reference_documents": [0, 0, 4, 2], "doc_p_adjusted": [0.01, 0.5, 0.2, 0.9]}
    )  # fmt: skip
    ax = plots.plot_keyness(frame, target_label="US–Russia", reference_label="Russia–China",
                            target_color="#0072B2", reference_color="#D55E00", top=1)  # fmt: skip
    bars = ax.patches
    assert [b.get_width() for b in bars] == [3.5, -3.0]  # the top 1 on each side, by Log Ratio
    assert _ticks(ax.get_yticklabels()) == [
        "* trust  (9/0; 3/0 docs)", "partnership  (0/8; 0/4 docs)"]  # fmt: skip
    assert [matplotlib.colors.to_hex(b.get_facecolor()) for b in bars] == ["#0072b2", "#d55e00"]
    assert [line.get_xdata()[0] for line in ax.lines] == [0]  # no uncorrected p = 0.05 lines
    assert "Log Ratio" in ax.get_xlabel()


def test_theme_rates_without_intervals_draws_dots_and_says_why():
    rates = _rates(["RU-US", "CN-RU"], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    rates["ci_low"] = rates["ci_high"] = np.nan
    rates["interval"] = "none: 2 documents, fewer than the 5 a group interval needs"
    ax = plots.plot_theme_rates(rates, colors=COLORS, labels=LABELS, theme_labels=THEME_LABELS)
    assert "no interval" in ax.get_xlabel()
    whiskers = [seg for coll in ax.collections for seg in coll.get_segments()]
    assert all(np.allclose(seg[0], seg[1]) for seg in whiskers)  # zero-length whiskers


def test_timeline_one_panel_per_theme_with_years():
    rates = _rates(CORPUS["id"], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    axes = plots.plot_timeline(
        rates, CORPUS, colors=COLORS, labels=LABELS, theme_labels=THEME_LABELS,
        themes=["trust", "history"],
    )  # fmt: skip
    assert [ax.get_title(loc="left") for ax in axes] == ["Trust", "Historical truth"]
    fig = plots.figure_of(axes)
    assert sum(ax.get_visible() for ax in fig.axes) == 2  # the third cell of the row is hidden
    assert _ticks(axes[0].get_xticklabels()) == ["2010", "2015", "2020", "2025"]  # evenly spaced
    # US–Russia joined across its two documents, with intervals (few documents)
    us = axes[0].containers[0]
    assert list(us.lines[0].get_ydata()) == [1.0, 4.0]
    assert axes[0].get_ylim()[0] == 0


def test_timeline_spans_the_compared_groups_and_says_what_it_leaves_out():
    corpus = pd.concat([CORPUS, pd.DataFrame({"id": ["us-1972"], "dyad": ["US"],
                                              "date": ["1972-05-29"]})])  # fmt: skip
    rates = _rates(corpus["id"], [[1.0, 2.0, 3.0]] * 4)
    axes = plots.plot_timeline(rates, corpus, colors=COLORS, labels=LABELS,
                               theme_labels=THEME_LABELS, within=["us-2010", "cn-2025"])  # fmt: skip
    # a year either side of the compared documents (25 April 2010, 8 May 2025), not 1972's
    assert axes[0].get_xlim() == pytest.approx((2010 + 114 / 366 - 1, 2025 + 127 / 366 + 1))
    assert _ticks(axes[0].get_xticklabels()) == ["2010", "2015", "2020", "2025"]
    legend = plots.figure_of(axes).legends[0]
    assert legend.get_title().get_text() == (
        "Not drawn: 1 document(s) dated outside the compared groups' 2010–2025 (1972)."
    )
    # three documents are few: joined points, and the legend shows them joined
    assert [h.get_linestyle() for h in legend.legend_handles] == ["-", "-"]


def test_reuse_rows_are_the_articles_that_reproduced_it_by_date():
    corpus = pd.DataFrame({
        "id": ["st", "a1", "a2", "a3"], "dyad": ["RU-US"] * 4,
        "date": ["2020-04-25", "2020-04-27", "2020-04-25", "2021-01-01"],
        "kind": ["joint_statement"] + ["news_article"] * 3,
        "outlet": ["Kremlin", "Reuters", "TASS", "Reuters"],
        "title": ["Joint statement on the Elbe", "Leaders issue joint statement",
                  "Leaders issue joint statement", "A year on"],
    })  # fmt: skip
    matrix = pd.DataFrame([[0.5, 1.0], [1.0, 0.0], [0.0, 0.0]], index=["a1", "a2", "a3"])
    ax = plots.plot_reuse(matrix, statement="st", corpus=corpus)
    # a3 took nothing: no row; the others by date, labelled by date and outlet
    assert _ticks(ax.get_yticklabels()) == ["2020-04-25 news, TASS", "2020-04-27 news, Reuters"]
    assert ax.figure.get_suptitle().replace("\n", " ") == (
        "What the coverage took from “Joint statement on the Elbe” (2020-04-25 statement, "
        "Kremlin): 2 of the 3 articles of its dyad reproduced some of it"
    )
    image = next(a for a in ax.get_children() if isinstance(a, AxesImage))
    np.testing.assert_array_equal(image.get_array(), [[1.0, 0.0], [0.5, 1.0]])


def test_voice_shares_bar_is_the_quoted_share_of_hits():
    rows = []
    for group, quoted, narrated in (
        ("RU-US", (3, 0, 0), (1, 2, 0)),
        ("CN-RU", (0, 1, 0), (4, 1, 0)),
    ):
        for t, theme in enumerate(THEME_LABELS):
            rows.append((group, theme, "quoted", quoted[t]))
            rows.append((group, theme, "narrated", narrated[t]))
    frame = pd.DataFrame(rows, columns=["group", "theme", "voice", "count"])
    axes = plots.plot_voice_shares(frame, colors=COLORS, labels=LABELS, theme_labels=THEME_LABELS,
                                   quoted_token_share={"RU-US": 0.3, "CN-RU": 0.2})  # fmt: skip
    assert len(axes) == 2
    shares = [b.get_width() for b in axes[0].patches[:3]]
    assert shares == [0.75, 0.0, 0.0]
    assert _texts(axes[0]) == ["n=4", "n=2", "no hits"]
    assert axes[1].lines[0].get_xdata()[0] == 0.2
    assert axes[0].get_xlim() == (0, 1)


def test_dispersion_marks_each_hit_at_its_relative_position():
    frame = pd.DataFrame(
        {"document": ["us-2010", "cn-2025", "cn-2025"], "theme": ["trust", "trust", "history"],
         "relative_position": [0.1, 0.5, 0.9]}
    )  # fmt: skip
    axes = plots.plot_dispersion(frame, CORPUS, colors=COLORS, labels=LABELS,
                                 theme_labels=THEME_LABELS, themes=["trust", "history"])  # fmt: skip
    assert [ax.get_title(loc="left") for ax in axes] == ["Trust (2)", "Historical truth (1)"]
    marks = next(c for c in axes[0].collections if isinstance(c, PathCollection))
    np.testing.assert_array_equal(marks.get_offsets(), [[0.1, 0], [0.5, 2]])  # rows: doc order
    assert axes[0].get_xlim() == (0, 1)
    assert _ticks(axes[0].get_yticklabels()) == ["● us-2010", "● us-2020", "■ cn-2025"]
    fig, given = plt.subplots(1, 2)
    drawn = plots.plot_dispersion(frame, CORPUS, colors=COLORS, labels=LABELS,
                                  theme_labels=THEME_LABELS, themes=["trust", "history"], axes=given)  # fmt: skip
    assert list(drawn) == list(given) and fig.legends == []
    assert _ticks(given[1].get_yticklabels()) == ["● us-2010", "● us-2020", "■ cn-2025"]


def test_cleaning_stacks_kept_and_removed_tokens():
    table = pd.DataFrame({"document": ["a", "b"], "kept": [90, 50], "boilerplate": [10, 0]})
    ax = plots.plot_cleaning(table, rule_labels={"boilerplate": "boilerplate rule"})
    widths = [b.get_width() for b in ax.patches]
    assert widths == [90, 50, 10, 0]
    assert _texts(ax) == ["  10% removed", "  0% removed"]
    assert ax.get_xlim() == (0, pytest.approx(100 * 1.18))
    legend = ax.figure.legends[0]
    assert _ticks(legend.get_texts()) == ["kept (analysed)", "boilerplate rule"]
    assert _ticks(ax.get_yticklabels()) == ["a", "b"]  # no labels given: the ids
    ax = plots.plot_cleaning(table, labels={"a": "2020-04-25 news, Reuters"})
    assert _ticks(ax.get_yticklabels()) == ["2020-04-25 news, Reuters", "b"]


def test_document_labels_come_from_the_metadata_and_stay_unique():
    corpus = pd.DataFrame({
        "id": ["a-1", "a-2", "b-1"], "date": ["2020-04-25", "2020-04-25", "2025-05-08"],
        "kind": ["news_article", "news_article", "joint_statement"],
        "outlet": ["The Moscow Times", "The Moscow Times", ""],
    })  # fmt: skip
    labels = plots.document_labels(corpus)
    assert labels["b-1"] == "2025-05-08 statement"
    # two Moscow Times articles of one day: numbered in id order, never a cut id
    assert labels["a-1"] == "2020-04-25 news, The Moscow Times (1)"
    assert labels["a-2"] == "2020-04-25 news, The Moscow Times (2)"
    long = corpus.assign(outlet="South China Morning Post, Hong Kong edition of the weekend")
    assert "…" not in "".join(plots.document_labels(long).values())
    assert plots.document_labels(corpus.drop(columns=["kind"])) == {"a-1": "a-1", "a-2": "a-2",
                                                                    "b-1": "b-1"}  # fmt: skip
    colors = {"RU-US": "#0072B2", "CN-RU": "#D55E00"}
    assert [plots.dyad_marker(d, colors) for d in ("RU-US", "CN-RU", "XX")] == ["o", "s", "o"]


def test_cleaning_at_many_documents_draws_the_most_cleaned_and_says_how_many_are_left_out():
    names = [f"Outlet {i:02d}" for i in range(53)]
    names[5] = "the Diplomat"  # lower case sorts with the rest, not after "Z"
    names[40] = "Zeit Online"
    removed = [0] * 53
    removed[7], removed[5], removed[40] = 30, 10, 10
    table = pd.DataFrame({"document": names, "kept": [100] * 53, "boilerplate": removed})
    ax = plots.plot_cleaning(table, top=5)
    rows = _ticks(ax.get_yticklabels())
    # the largest share removed first, ties by name ignoring case, then documents with nothing
    assert rows == ["Outlet 07", "the Diplomat", "Zeit Online", "Outlet 00", "Outlet 01"]
    assert ax.figure.get_suptitle().replace("\n", " ") == (
        "The 5 documents with the largest share removed (of 53; 50 had nothing removed)"
    )
    assert ax.figure.get_size_inches()[1] < 4


@pytest.mark.parametrize("size", ["10", "12"])
def test_a_larger_figure_style_size_still_fits(size):
    from rhetoric.study.figures import text_problems

    plots.use_style(f"size={size}")
    try:
        table = pd.DataFrame({"document": [f"2020-04-{d:02d} news, South China Morning Post"
                                           for d in range(1, 31)],
                              "kept": [100] * 30, "boilerplate": list(range(30))})  # fmt: skip
        cleaning = plots.plot_cleaning(table)
        corpus = pd.DataFrame({"id": ["st", "a1"], "dyad": ["RU-US"] * 2,
                               "date": ["2020-04-25", "2020-04-26"],
                               "kind": ["joint_statement", "news_article"],
                               "outlet": ["Kremlin", "TASS Russian News Agency"],
                               "title": [("Joint statement of the presidents on the 75th "
                                          "anniversary of the meeting on the Elbe"), "x"]})  # fmt: skip
        reused = plots.plot_reuse(pd.DataFrame([[0.5] * 30], index=["a1"]), statement="st",
                                  corpus=corpus)  # fmt: skip
        for drawn in (cleaning, reused):
            assert text_problems(plots.figure_of(drawn)) == []
    finally:
        plots.use_style()


def test_a_title_with_dollar_signs_is_shown_as_written():
    import io

    def svg(**rc) -> str:
        with plt.style.context(plots.style_path()), matplotlib.rc_context(rc):
            fig, ax = plt.subplots(figsize=(3, 1))
            ax.set_title("A $5 bn deal, $2 bn paid")
            out = io.StringIO()
            fig.savefig(out, format="svg")
            plt.close(fig)
        return out.getvalue()

    # read as TeX math, "$5 bn deal, $" is set in math italics; as text, the glyphs typed
    # (glyphs drawn as paths here, so that their fonts show in the SVG)
    assert "Oblique" in svg(**{"text.parse_math": True, "svg.fonttype": "path"})
    assert "Oblique" not in svg(**{"svg.fonttype": "path"})  # titles, names as written
