"""Figures for papers: formats, fonts, resolution, sizes, manifest, colours."""

from __future__ import annotations

import json
import struct

import matplotlib
import pytest

from conftest import ROOT
from rhetoric.study.plots import OKABE_ITO, dyad_colors

FIGURES = ROOT / "figures"
MANIFEST = json.loads((FIGURES / "manifest.json").read_text(encoding="utf-8"))["figures"]
REQUIRED = [
    "01-cleaning", "02-theme-rates-dyad", "02-theme-rates-document", "02-dispersion",
    "03-document-similarity", "03-document-theme-similarity", "03-context-similarity",
    "04-keyness", "04-timeline", "04-voice",
]  # fmt: skip


def test_every_required_figure_is_in_the_manifest_and_on_disk():
    assert sorted(MANIFEST) == sorted(REQUIRED)
    for stem in REQUIRED:
        for ext in ("pdf", "svg", "png"):
            assert (FIGURES / f"{stem}.{ext}").is_file()


@pytest.mark.parametrize("stem", REQUIRED)
def test_manifest_entry(stem):
    entry = MANIFEST[stem]
    assert entry["notebook"][:2] == stem[:2]
    assert len(entry["caption"]) > 40
    assert len(entry["corpus_fingerprint"]) == 16
    assert entry["parameters"]["group_a"] == "RU-US" and entry["parameters"]["group_b"] == "CN-RU"
    assert {"python", "matplotlib", "numpy", "pandas", "scikit-learn", "nltk"} <= set(
        entry["versions"]
    )
    assert entry["size_inches"][0] in (3.5, 7.2), "one or two journal columns"


@pytest.mark.parametrize("stem", REQUIRED)
def test_pdf_embeds_truetype_and_no_type3(stem):
    data = (FIGURES / f"{stem}.pdf").read_bytes()
    assert b"/Type3" not in data
    assert b"/FontFile2" in data
    assert b"/CreationDate" not in data


@pytest.mark.parametrize("stem", REQUIRED)
def test_png_is_300_dpi_without_software_stamp(stem):
    data = (FIGURES / f"{stem}.png").read_bytes()
    index = data.index(b"pHYs")
    x, y, unit = struct.unpack(">IIB", data[index + 4 : index + 13])
    assert unit == 1 and round(x * 0.0254) == 300 and x == y
    assert b"Software" not in data[:4096]


@pytest.mark.parametrize("stem", REQUIRED)
def test_svg_has_no_date_and_editable_text_in_a_named_font(stem):
    text = (FIGURES / f"{stem}.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in text
    # text is <text> in the font's name (editable in Inkscape, Illustrator), not glyph paths
    assert "<text " in text and "DejaVu Sans" in text
    assert 'id="DejaVuSans-' not in text  # no glyph outlines defined


def test_figure_style_sets_a_journals_font_and_size_or_refuses_in_one_line(tmp_path):
    from rhetoric.errors import RhetoricInputError
    from rhetoric.study import plots
    from rhetoric.study.figures import save_figure

    assert plots.figure_style("") == {}
    style = plots.figure_style("font=DejaVu Serif; size=9")
    assert style["font.family"] == "DejaVu Serif" and style["font.size"] == 9
    assert (style["axes.titlesize"], style["xtick.labelsize"]) == (10, 8)
    assert plots.figure_style("font=serif")["font.family"] == "serif"  # a generic family
    for bad in ("font=No Such Typeface", "size=40", "colour=red", "size=²",
                "font=DejaVu Serif, size=9"):  # fmt: skip
        with pytest.raises(RhetoricInputError, match="figure_style") as caught:
            plots.figure_style(bad)
        assert "\n" not in str(caught.value)
    with pytest.raises(RhetoricInputError):  # refused before anything is set
        plots.use_style("size=40", "single")
    assert plots.figure_width() == plots.DOUBLE
    try:
        plots.use_style("font=DejaVu Serif; size=9")
        fig, ax = matplotlib.pyplot.subplots(figsize=(3.5, 2))
        ax.set_title("Trust")
        save_figure(fig, "01-styled", figures_dir=tmp_path, notebook="01", caption="c" * 41,
                    fingerprint="0" * 16, parameters={})  # fmt: skip
        svg = (tmp_path / "01-styled.svg").read_text(encoding="utf-8")
        assert "DejaVu Serif" in svg and "DejaVu Sans'" not in svg
        assert b"DejaVuSerif" in (tmp_path / "01-styled.pdf").read_bytes()
    finally:
        plots.use_style()
        matplotlib.pyplot.close("all")


def test_dyad_colours_are_stable_when_dyads_are_added():
    before = dyad_colors(["RU-US", "CN-RU"], preferred=["RU-US", "CN-RU", "CN-US"])
    after = dyad_colors(
        ["RU-US", "CN-RU", "CN-US", "IN-RU"], preferred=["RU-US", "CN-RU", "CN-US"]
    )
    assert before == {"RU-US": OKABE_ITO[0], "CN-RU": OKABE_ITO[1]}
    assert {k: after[k] for k in before} == before
    assert len(set(after.values())) == 4


def test_text_problems_finds_overlaps_and_text_past_the_edge():
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rhetoric.study.figures import text_problems

    fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    ax.set_xticks([0, 0.5, 1], ["zero", "half", "one"])
    assert text_problems(fig) == []
    ax.text(0.5, 0.5, "first label")
    ax.text(0.52, 0.5, "second label")
    ax.text(1.3, 0.9, "beyond the right edge", transform=ax.transAxes)
    found = text_problems(fig)
    assert found == ["past the edge: 'beyond the right edge'",
                     "overlap: 'first label' and 'second label'"]  # fmt: skip
    # turned labels side by side: their hulls overlap, the labels do not
    fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    ax.set_xticks(range(6), [f"a long label {i}" for i in range(6)], rotation=30, ha="right",
                  rotation_mode="anchor")  # fmt: skip
    fig.set_layout_engine("constrained")
    assert text_problems(fig) == []
    # a label cut short ends with "…"; one that only holds it is whole
    fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    ax.set_title("Security and arms con…")
    ax.set_xlabel("from … to")
    assert text_problems(fig) == ["cut: 'Security and arms con…'"]
    plt.close("all")


def test_the_committed_figures_have_no_text_problems():
    manifest = json.loads((ROOT / "figures" / "manifest.json").read_text(encoding="utf-8"))
    assert {stem: e["text_problems"] for stem, e in manifest["figures"].items()} == {
        stem: [] for stem in manifest["figures"]
    }
