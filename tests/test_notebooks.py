"""The study notebooks: structure, and that a fresh run reproduces every committed byte."""

from __future__ import annotations

import hashlib
import re

import nbformat
import pytest

from conftest import ROOT
import prose
from rhetoric.store import paths
from rhetoric.study.run import run_study, study_notebooks
from synthetic import write_synthetic_corpus

NOTEBOOKS = study_notebooks(ROOT / "notebooks")


def test_the_five_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == [
        "01_corpus.ipynb",
        "02_term_frequencies.ipynb",
        "03_tfidf_similarity.ipynb",
        "04_framing_comparison.ipynb",
        "05_summary.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    assert "version" not in nb.metadata.get("language_info", {})
    title, imports, parameters = nb.cells[:3]
    assert title.cell_type == "markdown"
    assert re.match(rf"# {path.name[:2]} · \S", title.source)
    assert (
        "**Question.**" in title.source
        and "**Inputs.**" in title.source
        and "**Outputs.**" in title.source
    )
    assert imports.cell_type == "code" and "import" in imports.source
    assert parameters.metadata.get("tags") == ["parameters"]
    for name in ("data_dir", "themes_file", "figures_dir", "group_a", "group_b"):
        assert re.search(rf"^{name} = ", parameters.source, flags=re.MULTILINE)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), (
        "not executed top to bottom"
    )
    for cell in code:
        assert all(o.output_type != "error" for o in cell.outputs), f"error output in {path.name}"
        for output in cell.outputs:
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            assert "/work/" not in text and "Warning" not in text, (
                "absolute path or warning in an output"
            )
        assert "execution" not in cell.metadata
    # prose says what the numbers do not show
    prose = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "not" in prose and (
        "population" in prose
        or "does not show" in prose.lower()
        or "what this does and does not show" in prose.lower()
    )
    assert "nltk.download" not in " ".join(c.source for c in code)


def _digest(folder):
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.mark.slow
def test_fresh_run_reproduces_committed_notebooks_and_figures(tmp_path):
    """Re-execute every notebook into a temporary folder: no byte may differ from what is committed."""
    written = run_study(out_dir=tmp_path, progress=False)
    assert written
    fresh_notebooks = _digest(tmp_path / "notebooks")
    committed_notebooks = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in NOTEBOOKS}
    assert fresh_notebooks == committed_notebooks, (
        "an executed notebook changed: run `make analysis` and commit"
    )
    committed_figures = {
        k: v for k, v in _digest(ROOT / "figures").items() if not k.startswith(".")
    }
    assert _digest(tmp_path / "figures") == committed_figures, (
        "a figure changed: run `make analysis` and commit"
    )
    record = "rhetoric-outputs.json"  # what the run wrote, committed with it
    assert (tmp_path / record).read_bytes() == (ROOT / record).read_bytes(), (
        f"{record} changed: run `make analysis` and commit"
    )


def test_the_committed_notebooks_speak_only_of_the_bundled_corpus():
    from rhetoric.pipeline import process_corpus

    processed = process_corpus(paths.DATA_DIR)
    labels = {d: processed.parties.label(d) for d in processed.documents["dyad"]}
    assert prose.problems(NOTEBOOKS, processed, labels, bundled=True) == []
    _static, shown = prose.prose(NOTEBOOKS[3])
    assert "## US–Russia (2 documents, 2010–2020) and Russia–China (1 document, 2025)" in shown


def test_the_prose_check_catches_what_the_first_notebooks_said(tmp_path):
    """The check is not empty: the round-1 wording, run on the synthetic corpus, fails it."""
    from rhetoric.pipeline import process_corpus

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "1. **Three documents are not a population.** The bundled corpus holds two US–Russia "
        "texts and one Russia–China text.\n2. **News reports, not statements.**"
    )])  # fmt: skip
    path = tmp_path / "05_summary.ipynb"
    nbformat.write(nb, path)
    processed = process_corpus(write_synthetic_corpus(tmp_path / "data"))
    labels = {d: processed.parties.label(d) for d in processed.documents["dyad"]}
    found = prose.problems([path], processed, labels, bundled=False)
    assert len(found) == 5, found
