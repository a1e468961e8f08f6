""":mod:`rhetoric.figures`: save figures for papers, byte for byte reproducibly.

:func:`save_figure` writes ``<stem>.pdf``, ``.svg`` and ``.png`` (300 dpi)
and records the figure in ``manifest.json`` (stem, notebook, caption, corpus
fingerprint, parameters, package versions). Re-running on unchanged inputs
rewrites identical bytes: no dates in the files (PDF ``CreationDate``, SVG
``Date``, PNG ``Software`` are left out), fixed SVG ids (``svg.hashsalt`` in
the style), TrueType fonts embedded (``pdf.fonttype`` 42, never Type 3).

When ``$RHETORIC_BACKGROUND_FIGURES`` is ``1`` (set by :func:`rhetoric.notebooks.run_study`
for its kernels, on Linux), the PNG is written at once and the PDF and SVG are drawn by a
forked copy of the kernel on the other core while the notebook goes on;
:func:`finish_saving` (which the runner calls after the last cell) writes them. The copy
draws the figure as it was when saved, with the same code, so the bytes are those of
drawing it in place; if the copy fails in any way, :func:`finish_saving` draws the figure
in place instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
import io
import json
import os
from pathlib import Path
import platform
import struct
import sys
import tempfile
import warnings

import matplotlib.pyplot as plt

from rhetoric import paths
from rhetoric.plots import style_path

__all__ = ["FORMATS", "MANIFEST", "finish_saving", "package_versions", "save_figure"]

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


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _vector_files(fig) -> dict[str, bytes]:
    """The figure's PDF and SVG files, as bytes."""
    files = {}
    with plt.style.context(style_path()):
        for fmt in _VECTOR:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=300, metadata=_METADATA[fmt])
            files[fmt] = buffer.getvalue()
    return files


def _write_files(targets: dict[str, Path], files: dict[str, bytes]) -> None:
    for fmt, data in files.items():
        _write_atomic(targets[fmt], data)


# -- drawing the vector files in a forked process ----------------------------------------


@dataclass
class _Job:
    """A figure whose PDF and SVG a forked process is drawing."""

    fig: object  # kept, to draw it in place should the process fail
    targets: dict[str, Path]
    pid: int
    pipe: int  # read end: the files, each as an 8-byte length and its bytes


_PENDING: list[_Job] = []
_PR_SET_PDEATHSIG = 1


def _start_drawing(fig, targets: dict[str, Path]) -> _Job | None:
    """Fork a process that draws ``fig``'s PDF and SVG and sends them back; None if it can't
    (or if this is not Linux, where the child could not be tied to the kernel's life)."""
    if sys.platform != "linux":
        return None
    import ctypes
    import signal

    # the backends, imported once here rather than in every child
    import matplotlib.backends.backend_pdf
    import matplotlib.backends.backend_svg  # noqa: F401

    read, write = os.pipe()
    parent = os.getpid()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a process with threads (the kernel's) may deadlock
            # the child on a lock some thread held: this child only draws and writes to a pipe,
            # and if it never finishes, the cell running finish_saving times out.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: never returns into the kernel's code
        status = 1
        try:
            os.close(read)
            # die with the kernel, whatever ends it
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:
                os._exit(1)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the process ends below
            warnings.simplefilter("ignore")  # the kernel already showed them for the PNG
            files = _vector_files(fig)
            payload = b"".join(struct.pack("<Q", len(files[fmt])) + files[fmt] for fmt in _VECTOR)
            view = memoryview(payload)
            while view:
                view = view[os.write(write, view) :]
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return _Job(fig=fig, targets=targets, pid=pid, pipe=read)


def _collect(job: _Job) -> dict[str, bytes] | None:
    """The files the process sent, or None if it failed."""
    with open(job.pipe, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(job.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    files, offset = {}, 0
    for fmt in _VECTOR:
        if offset + 8 > len(payload):
            return None
        (size,) = struct.unpack_from("<Q", payload, offset)
        files[fmt] = payload[offset + 8 : offset + 8 + size]
        offset += 8 + size
    return files if offset == len(payload) else None  # a short file has run past the end


def finish_saving(only: set[Path] | None = None) -> list[Path]:
    """Write the PDF and SVG files still being drawn in the background; returns their paths.

    ``only``: just the figures with one of these files. A figure whose process
    failed is drawn here instead, with the same result.
    """
    written = []
    for job in list(_PENDING):
        if only is not None and not only & set(job.targets.values()):
            continue
        _PENDING.remove(job)
        files = _collect(job)
        _write_files(job.targets, files if files is not None else _vector_files(job.fig))
        written += job.targets.values()
    return written


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
    background: bool | None = None,
) -> list[Path]:
    """Write ``fig`` as PDF, SVG and PNG and record it in the manifest; returns the paths.

    ``stem`` is ``NN-name`` (NN: the notebook's number). Files are written to a
    temporary name and renamed, so a reader never sees half a figure.
    ``background``: draw the PDF and SVG in a forked process, written by
    :func:`finish_saving` (default: ``$RHETORIC_BACKGROUND_FIGURES`` is ``1``;
    only on Linux).
    """
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    targets = {fmt: figures_dir / f"{stem}.{fmt}" for fmt in _VECTOR}
    # an earlier save of the same figure, still being drawn, must not land after this one
    finish_saving(only=set(targets.values()))
    if background is None:
        background = os.environ.get(paths.BACKGROUND_FIGURES_ENV) == "1"
    with plt.style.context(style_path()):
        # The PNG is drawn first, laying the figure out; the layout is then kept (not worked out
        # again for each format), so the three files share one layout and cost one layout pass.
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=300, metadata=_METADATA["png"])
        _write_atomic(figures_dir / f"{stem}.png", buffer.getvalue())
        keep_layout(fig)
        job = _start_drawing(fig, targets) if background else None
        if job is None:
            _write_files(targets, _vector_files(fig))
        else:
            _PENDING.append(job)
    written = [figures_dir / f"{stem}.{fmt}" for fmt in FORMATS]
    manifest_path = figures_dir / MANIFEST
    manifest = {"figures": {}}
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            manifest = {"figures": {}}
    width, height = (round(float(x), 2) for x in fig.get_size_inches())
    manifest.setdefault("figures", {})[stem] = {
        "caption": caption,
        "corpus_fingerprint": fingerprint,
        "files": [p.name for p in written],
        "notebook": notebook,
        "parameters": parameters,
        "size_inches": [width, height],
        "versions": package_versions(),
    }
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    _write_atomic(manifest_path, text.encode("utf-8"))
    return written
