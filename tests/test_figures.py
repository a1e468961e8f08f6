"""Figures for papers: formats, fonts, resolution, sizes, manifest, colours."""

from __future__ import annotations

import json
import os
import struct
import sys

import pytest

from conftest import ROOT
from rhetoric.plots import OKABE_ITO, dyad_colors

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
def test_svg_has_no_date(stem):
    text = (FIGURES / f"{stem}.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in text


def test_dyad_colours_are_stable_when_dyads_are_added():
    before = dyad_colors(["RU-US", "CN-RU"], preferred=["RU-US", "CN-RU", "CN-US"])
    after = dyad_colors(
        ["RU-US", "CN-RU", "CN-US", "IN-RU"], preferred=["RU-US", "CN-RU", "CN-US"]
    )
    assert before == {"RU-US": OKABE_ITO[0], "CN-RU": OKABE_ITO[1]}
    assert {k: after[k] for k in before} == before
    assert len(set(after.values())) == 4


# -- the PDF and SVG drawn by a forked process (what `rhetoric run` does) ------------------

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="background drawing is Linux only")


@pytest.fixture(autouse=True)
def _nothing_left_pending():
    yield
    from rhetoric.figures import _PENDING, finish_saving

    if _PENDING:  # a failed test must not hand its drawings to the next one
        finish_saving()


def _figure(title):
    import matplotlib.pyplot as plt

    from rhetoric.plots import style_path

    with plt.style.context(style_path()):
        fig, ax = plt.subplots(figsize=(3.5, 2.0))
        ax.barh(["trust", "partnership", "historical truth"], [3.0, 1.5, 0.4])
        ax.set_title(title)
        ax.set_xlabel("hits per 1,000 word tokens")
    return fig


def _save(fig, folder, stem, background):
    from rhetoric.figures import save_figure

    return save_figure(fig, stem, figures_dir=folder, notebook="99_test.ipynb", caption="A test figure.",
                       fingerprint="0" * 16, parameters={}, background=background)  # fmt: skip


def _bytes(folder, stem):
    return {ext: (folder / f"{stem}.{ext}").read_bytes() for ext in ("pdf", "svg", "png")}


@linux_only
def test_background_drawing_writes_the_same_bytes_once_finished(tmp_path):
    from rhetoric.figures import _PENDING, finish_saving

    _save(_figure("Trust – 2010"), tmp_path / "inline", "99-a", background=False)
    _save(_figure("Trust – 2010"), tmp_path / "background", "99-a", background=True)
    assert len(_PENDING) == 1
    pid = _PENDING[0].pid
    assert (tmp_path / "background" / "99-a.png").is_file()
    assert not (tmp_path / "background" / "99-a.pdf").exists(), "written only by finish_saving"
    written = finish_saving()
    assert sorted(p.name for p in written) == ["99-a.pdf", "99-a.svg"]
    assert not _PENDING
    assert _bytes(tmp_path / "background", "99-a") == _bytes(tmp_path / "inline", "99-a")
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # the drawing process was waited for: no zombie left


@linux_only
def test_a_failed_background_process_is_replaced_by_drawing_in_place(tmp_path, monkeypatch):
    from rhetoric import figures

    test_process = os.getpid()
    draw = figures._vector_files

    def fails_in_the_child(fig):
        if os.getpid() != test_process:
            raise MemoryError("the child ran out of memory")
        return draw(fig)

    monkeypatch.setattr(figures, "_vector_files", fails_in_the_child)
    _save(_figure("Partnership"), tmp_path / "background", "99-b", background=True)
    assert figures.finish_saving()
    _save(_figure("Partnership"), tmp_path / "inline", "99-b", background=False)
    assert _bytes(tmp_path / "background", "99-b") == _bytes(tmp_path / "inline", "99-b")


@linux_only
def test_saving_a_figure_again_waits_for_the_first_drawing(tmp_path):
    from rhetoric.figures import _PENDING, finish_saving

    _save(_figure("First version"), tmp_path / "background", "99-c", background=True)
    _save(_figure("Second version"), tmp_path / "background", "99-c", background=False)
    assert not _PENDING  # the first was written before the second, not after it
    assert finish_saving() == []
    _save(_figure("Second version"), tmp_path / "inline", "99-c", background=False)
    assert _bytes(tmp_path / "background", "99-c") == _bytes(tmp_path / "inline", "99-c")
