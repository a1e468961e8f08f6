""":mod:`rhetoric.study.reports`: HTML copies of the executed notebooks, for readers without Jupyter.

Each report is one self-contained file: CSS inlined, figures embedded as PNG
data, no script or style loaded from the network (the package's ``offline``
template drops the require.js, MathJax and Mermaid tags that nbconvert's
``lab`` template would fetch from a CDN). Statement text reaches a report
only inside tables, which pandas escapes, and in Markdown that
:mod:`rhetoric.study.context` escapes, so a statement containing ``<script>`` shows
as text. (nbconvert's ``sanitize_html`` is not used: it also escapes the
notebooks' own headings and drops table headers.)
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

__all__ = ["write_html_reports"]


def _exporter(code: bool):
    from nbconvert import HTMLExporter

    templates = str(resources.files("rhetoric").joinpath("templates"))
    exporter = HTMLExporter(extra_template_basedirs=[templates], template_name="offline")
    exporter.embed_images = True
    exporter.exclude_anchor_links = True
    # for readers: prose, tables and figures; the code only when asked for
    exporter.exclude_input = not code
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = not code
    return exporter


def write_html_reports(
    notebooks: Sequence[Path], out_dir: Path, *, code: bool = False
) -> list[Path]:
    """Write ``out_dir/NN_name.html`` for each executed notebook; returns the paths.

    ``code``: also show each code cell (by default a report holds the prose,
    tables and figures a reader needs, and the code is in the notebook).

    Parameters
    ----------
    notebooks : sequence of pathlib.Path
        Executed notebooks; each report is named after its notebook's stem.
    out_dir : pathlib.Path
        Folder of the reports (created if missing); a report already there is replaced.
    code : bool, default False
        Show the code cells and their prompts too.

    Returns
    -------
    list of pathlib.Path
        ``out_dir/<stem>.html`` of each notebook, in the order of ``notebooks``.
    """
    import nbformat

    out_dir.mkdir(parents=True, exist_ok=True)
    exporter = _exporter(code)
    written = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = out_dir / f"{path.stem}.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written
