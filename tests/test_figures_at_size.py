"""Every figure kind drawn on corpora of 3, 56 and about 200 documents, two columns and one:
nothing cut, past the edge or overlapping (``text_problems``), journal sizes, unique labels,
one group order, and what is drawn."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from conftest import ROOT
from rhetoric.corpus import removal_summary
from rhetoric.measures import dispersion, keyness, reuse, theme_rates
from rhetoric.measures.similarity import (
    context_similarity,
    document_similarity,
    theme_similarity,
)
from rhetoric.pipeline import process_corpus
from rhetoric.study import plots
from rhetoric.study.figures import text_problems
from synthetic import write_newsroom_corpus, write_synthetic_corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["bundled", "newsroom", "two hundred"])
def corpus(request, tmp_path_factory):
    if request.param == "bundled":
        return process_corpus(ROOT / "data")
    folder = tmp_path_factory.mktemp(request.param.replace(" ", "-")) / "data"
    if request.param == "newsroom":
        write_newsroom_corpus(folder)
    else:
        write_synthetic_corpus(folder, scale=4)
    return process_corpus(folder, use_cache=False)


def _figures(p) -> dict:
    """Each figure kind as the notebooks draw it (the two largest dyads compared)."""
    documents = p.documents
    colors = plots.dyad_colors(list(documents["dyad"]), preferred=list(p.parties.dyad_labels))
    labels = {d: p.parties.label(d) for d in documents["dyad"]}
    themes = {t.id: t.label for t in p.themes}
    a, b = "RU-US", "CN-RU"
    by_document = theme_rates(p, by="document")
    compared = documents.loc[documents["dyad"].isin([a, b]), "id"]
    drawn = {
        "theme rates": plots.plot_theme_rates(theme_rates(p, by="dyad"), colors=colors,
                                              labels=labels, theme_labels=themes),
        "per document": plots.plot_theme_rates_by_document(
            by_document, documents, colors=colors, labels=labels, theme_labels=themes),
        "dispersion": plots.plot_dispersion(dispersion(p), documents, colors=colors,
                                            labels=labels, theme_labels=themes,
                                            themes=list(themes)),
        "timeline": plots.plot_timeline(by_document, documents, colors=colors, labels=labels,
                                        theme_labels=themes, within=list(compared)),
        "cleaning": plots.plot_cleaning(removal_summary(p),
                                        labels=plots.document_labels(documents)),
        "similarity": plots.plot_document_similarity(
            {"All word tokens": document_similarity(p)}, documents, colors=colors,
            labels=labels),
        "theme similarity": plots.plot_theme_similarity(
            theme_similarity(p), documents, colors=colors, labels=labels,
            theme_labels=themes),
        "keyness": plots.plot_keyness(keyness(p, target=a, reference=b, by="dyad"),
                                      target_label=labels[a], reference_label=labels[b],
                                      target_color=colors[a], reference_color=colors[b]),
    }  # fmt: skip
    by_voice = theme_rates(p, by="dyad", voice=True)
    drawn["voice"] = plots.plot_voice_shares(
        by_voice[by_voice["group"].isin([a, b])], colors=colors, labels=labels,
        theme_labels=themes, quoted_token_share={a: 0.3, b: 0.2})  # fmt: skip
    drawn["context similarity"] = plots.plot_context_similarity(
        context_similarity(p, by="dyad", stopwords="drop"), labels=labels, theme_labels=themes
    )
    passages = reuse.find_reuse(p)
    for statement in reuse.reuse_statements(p, passages)[:3]:
        matrix = reuse.reuse_matrix(p, statement, passages)
        drawn[f"reuse {statement}"] = plots.plot_reuse(matrix, statement=statement,
                                                       corpus=documents)  # fmt: skip
    return {name: plots.figure_of(d) for name, d in drawn.items()}, colors, labels


@pytest.mark.parametrize("width", ["double", "single"])
def test_every_figure_reads_at_this_size(corpus, width):
    plots.use_style(width=width)
    try:
        figures, colors, labels = _figures(corpus)
        order = [labels.get(d, d) for d in colors]
        for name, fig in figures.items():
            assert text_problems(fig) == [], name
            w, h = fig.get_size_inches()
            assert w in (plots.SINGLE, plots.DOUBLE) and h <= 9.5, name
            for ax in fig.axes:
                ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
                assert len(ticks) == len(set(ticks)), (name, ticks)
            for legend in fig.legends:  # groups in the one order of every figure
                shown = [t.get_text() for t in legend.get_texts() if t.get_text() in order]
                assert shown == sorted(shown, key=order.index), name
            for ax in fig.axes:  # rows and panels too, where they are groups
                rows = [t.get_text().split(" ", 1)[-1] for t in ax.get_yticklabels()]
                rows = [r for r in rows if r in order]
                assert rows == sorted(rows, key=order.index), (name, rows)
            titles = [ax.get_title(loc="left") for ax in fig.axes]
            panels = [t for t in titles if t in order]
            assert panels == sorted(panels, key=order.index), (name, panels)
        # one column where it fits: rates, keyness, timeline; heatmaps of themes need two
        single = {n for n, f in figures.items() if f.get_size_inches()[0] == plots.SINGLE}
        if width == "single":
            assert {"theme rates", "keyness", "timeline", "cleaning"} <= single
            assert "theme similarity" not in single
        # what is drawn: reuse rows are articles that took something; per-document rates
        # show every document (rows, or dots)
        for name, fig in figures.items():
            if name.startswith("reuse"):
                image = fig.axes[0].images[0].get_array()
                assert (np.asarray(image).sum(axis=1) > 0).all(), name
        per_document = figures["per document"].axes[0]
        n = len(corpus.documents)
        if n <= plots.MAX_HEATMAP_ROWS:
            assert len(per_document.get_yticklabels()) == n
        else:
            dots = sum(len(c.get_offsets()) for c in per_document.collections)
            assert dots == n * len(corpus.themes)
    finally:
        plots.use_style()
        plt.close("all")


@pytest.mark.parametrize("width", ["double", "single"])
def test_a_journals_larger_typeface_still_fits_the_bundled_figures(width):
    plots.use_style("font=DejaVu Serif; size=9", width)
    try:
        figures, _colors, _labels = _figures(process_corpus(ROOT / "data"))
        for name, fig in figures.items():
            assert text_problems(fig) == [], name
            assert fig.get_size_inches()[1] <= 9.5, name
    finally:
        plots.use_style()
        plt.close("all")
