""":mod:`rhetoric.study.figures`: save figures for papers, byte for byte reproducibly.

:func:`save_figure` writes ``<stem>.pdf``, ``.svg`` and ``.png`` (300 dpi)
with plain ``savefig`` calls and records the figure in ``manifest.json``
(stem, notebook, caption, corpus fingerprint, parameters, package versions).
Re-running on unchanged inputs rewrites identical bytes: no dates in the files
(PDF ``CreationDate``, SVG ``Date``, PNG ``Software`` are left out), fixed SVG
ids (``svg.hashsalt`` in the style), TrueType fonts embedded (``pdf.fonttype``
42, never Type 3).
"""

from __future__ import annotations

from importlib import metadata
import io
import json
from pathlib import Path
import platform

import matplotlib.pyplot as plt
import numpy as np

from rhetoric import __version__
from rhetoric.store.atomic import write_atomic
from rhetoric.study.plots import style_sheets

__all__ = ["FORMATS", "MANIFEST", "package_versions", "save_figure", "text_problems"]

FORMATS = ("pdf", "svg", "png")
MANIFEST = "manifest.json"
_METADATA = {
    "pdf": {"CreationDate": None, "Producer": None},
    "svg": {"Date": None},
    "png": {"Software": None},
}
_PACKAGES = ("matplotlib", "nltk", "numpy", "pandas", "scikit-learn", "scipy")


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape the numbers and pixels (Python as major.minor).

    Returns
    -------
    dict of str to str
        ``python`` (major.minor), the installed versions of ``matplotlib``, ``nltk``,
        ``numpy``, ``pandas``, ``scikit-learn`` and ``scipy``, and ``rhetoric`` (the
        package's ``__version__``).
    """
    versions = {"python": ".".join(platform.python_version_tuple()[:2])}
    for name in _PACKAGES:
        versions[name] = metadata.version(name)
    versions["rhetoric"] = __version__  # the import name; the distribution is rhetoric-study
    return versions


def _file(fig, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=300, metadata=_METADATA[fmt])
    return buffer.getvalue()


def _record(manifest_path: Path, stem: str, entry: dict) -> None:
    """Set the manifest's entry for ``stem`` (a manifest that is not JSON is started afresh)."""
    manifest = {"figures": {}}
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            manifest = {"figures": {}}
    manifest.setdefault("figures", {})[stem] = entry
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(manifest_path, text.encode("utf-8"))


def _rectangles(texts, renderer) -> np.ndarray:
    """Each text's box as drawn: centre x, y, width, height and angle (radians); a rotated
    label's box is turned with it (the box a reader sees), not its axis-aligned hull."""
    rows = []
    for text in texts:
        extent = text.get_window_extent(renderer)
        angle = np.deg2rad(text.get_rotation())
        if abs(np.sin(angle * 2)) > 1e-9:  # not a multiple of 90°: measure it flat
            rotation = text.get_rotation()
            text.set_rotation(0)
            flat = text.get_window_extent(renderer)
            text.set_rotation(rotation)
            width, height = flat.width, flat.height
        else:
            width, height = (extent.width, extent.height) if abs(np.cos(angle)) > 0.5 else (
                extent.height, extent.width)  # fmt: skip
        rows.append((*extent.get_points().mean(axis=0), width, height, angle))
    return np.asarray(rows, dtype=float).reshape(-1, 5)


def _overlap(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    """Whether two turned boxes overlap by more than ``tolerance`` (separating axes)."""
    for angle in (a[4], a[4] + np.pi / 2, b[4], b[4] + np.pi / 2):
        axis = np.array([np.cos(angle), np.sin(angle)])
        reach = []
        for box in (a, b):
            u = np.array([np.cos(box[4]), np.sin(box[4])])
            v = np.array([-u[1], u[0]])
            half = abs(axis @ u) * box[2] / 2 + abs(axis @ v) * box[3] / 2
            centre = axis @ box[:2]
            reach.append((centre - half, centre + half))
        if min(reach[0][1], reach[1][1]) - max(reach[0][0], reach[1][0]) <= tolerance:
            return False
    return True


def text_problems(fig, *, tolerance: float = 1.0) -> list[str]:
    """Text of ``fig`` that a reader could not read: any visible text that reaches past the
    figure's edge, any that was cut short (a line of it ends with "…"), and any two visible texts whose
    boxes overlap (by more than ``tolerance`` pixels), as drawn at the figure's own dpi.
    Empty when every label stands clear and whole.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; it is drawn on its canvas to measure the text.
    tolerance : float, default 1.0
        Pixels (at the figure's dpi) that a text may reach past the edge or into another.

    Returns
    -------
    list of str
        One line per problem: ``past the edge: '<text>'`` (the first 40 characters), then
        ``cut: '<text>'``, then ``overlap: '<text>' and '<text>'`` (the first 30 of each).
    """
    from matplotlib.text import Text

    fig.canvas.draw()  # at the figure's own dpi: text positions as a screen shows them
    renderer = fig.canvas.get_renderer()
    hidden = set()  # text that is not drawn: hidden panels, ticks outside the view
    for ax in fig.axes:
        if not ax.get_visible():  # an unused panel of a grid: none of its text is drawn
            hidden.update(id(t) for t in ax.findobj(Text))
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = (high - low) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - slack <= tick.get_loc() <= high + slack:
                    hidden.update({id(tick.label1), id(tick.label2)})
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
             and id(t) not in hidden]  # fmt: skip
    boxes = np.array([t.get_window_extent(renderer).extents for t in texts]).reshape(-1, 4)
    page = fig.bbox.extents
    problems = []
    for text, (x0, y0, x1, y1) in zip(texts, boxes, strict=True):
        if min(x0 - page[0], y0 - page[1], page[2] - x1, page[3] - y1) < -tolerance:
            problems.append(f"past the edge: {text.get_text()[:40]!r}")
    problems += [f"cut: {t.get_text()[:40]!r}" for t in texts
                 if any(line.rstrip().endswith("…") for line in t.get_text().splitlines())]  # fmt: skip
    # candidates: axis-aligned hulls that overlap; then the turned boxes decide
    wide = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0],
                                                                        boxes[None, :, 0])  # fmt: skip
    tall = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1],
                                                                        boxes[None, :, 1])  # fmt: skip
    pairs = np.argwhere(np.triu((wide > tolerance) & (tall > tolerance), k=1))
    if len(pairs):
        turned = _rectangles(texts, renderer)
        for i, j in pairs:
            if _overlap(turned[i], turned[j], tolerance):
                problems.append(f"overlap: {texts[i].get_text()[:30]!r} and "
                                f"{texts[j].get_text()[:30]!r}")  # fmt: skip
    return problems


def keep_layout(fig) -> None:
    """Stop ``fig`` from working out its layout again at each draw: keep the last one."""
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")


def save_figure(
    fig,
    stem: str,
    *,
    figures_dir: Path,
    notebook: str,
    caption: str,
    fingerprint: str,
    parameters: dict,
) -> list[Path]:
    """Write ``fig`` as PDF, SVG and PNG and record it in the manifest; returns the paths.

    ``stem`` is ``NN-name`` (NN: the notebook's number). Files are written to a
    temporary name and renamed, so a reader never sees half a figure. The
    manifest entry lists the figure's :func:`text_problems` (none, for a figure
    whose labels all stand clear).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, drawn with the package's style; its layout, worked out once at its own
        dpi, is then kept for the PNG, PDF and SVG (its layout engine is switched off).
    stem : str
        File name without suffix.
    figures_dir : path
        Folder of the files and of ``manifest.json`` (created if missing).
    notebook : str
        The notebook's name, recorded in the manifest.
    caption : str
        Recorded in the manifest.
    fingerprint : str
        Corpus fingerprint (:func:`rhetoric.data.folder.corpus_fingerprint`), recorded.
    parameters : dict
        The notebook's parameters, recorded (JSON values).

    Returns
    -------
    list of pathlib.Path
        ``figures_dir/<stem>.pdf``, ``.svg`` and ``.png`` (300 dpi), in this order. The
        manifest entry for ``stem`` (replaced if there was one) holds ``caption``,
        ``corpus_fingerprint``, ``files``, ``notebook``, ``parameters``, ``size_inches``,
        ``text_problems`` and ``versions`` (:func:`package_versions`).
    """
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    with plt.style.context(style_sheets()):
        # Laid out once, at the figure's own dpi, where text_problems measures it (laid out at
        # the PNG's 300 dpi, a label can fit there and reach a pixel past the edge at 100);
        # the layout is then kept, so the three files share it and the checked positions.
        fig.canvas.draw()
        keep_layout(fig)
        problems = text_problems(fig)
        files = {fmt: _file(fig, fmt) for fmt in FORMATS}
    written = [figures_dir / f"{stem}.{fmt}" for fmt in FORMATS]
    for path in written:
        write_atomic(path, files[path.suffix[1:]])
    width, height = (round(float(x), 2) for x in fig.get_size_inches())
    _record(figures_dir / MANIFEST, stem, {
        "caption": caption,
        "corpus_fingerprint": fingerprint,
        "files": [p.name for p in written],
        "notebook": notebook,
        "parameters": parameters,
        "size_inches": [width, height],
        "text_problems": problems,
        "versions": package_versions(),
    })  # fmt: skip
    return written
