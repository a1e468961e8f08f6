""":mod:`rhetoric.figures`: save figures for papers, byte for byte reproducibly.

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

from rhetoric.atomic import write_atomic
from rhetoric.plots import style_path

__all__ = ["FORMATS", "MANIFEST", "package_versions", "save_figure"]

FORMATS = ("pdf", "svg", "png")
MANIFEST = "manifest.json"
_METADATA = {
    "pdf": {"CreationDate": None, "Producer": None},
    "svg": {"Date": None},
    "png": {"Software": None},
}
_PACKAGES = ("matplotlib", "nltk", "numpy", "pandas", "scikit-learn", "scipy")
_VECTOR = ("pdf", "svg")


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape the numbers and pixels (Python as major.minor)."""
    versions = {"python": ".".join(platform.python_version_tuple()[:2])}
    for name in _PACKAGES:
        versions[name] = metadata.version(name)
    versions["rhetoric"] = metadata.version("rhetoric")
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
    temporary name and renamed, so a reader never sees half a figure.
    """
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    with plt.style.context(style_path()):
        # The PNG is drawn first, laying the figure out; the layout is then kept (not worked out
        # again for each format), so the three files share one layout and cost one layout pass.
        files = {"png": _file(fig, "png")}
        keep_layout(fig)
        files.update((fmt, _file(fig, fmt)) for fmt in _VECTOR)
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
        "versions": package_versions(),
    })  # fmt: skip
    return written
