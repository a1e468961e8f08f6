""":mod:`rhetoric.notebooks`: run the numbered study notebooks, reproducibly.

:func:`run_study` executes ``notebooks/NN_name.ipynb`` in order (kernel
``python3``, working directory ``notebooks/``), stages the executed notebooks
and the figures in a temporary folder and moves them into place only when
every notebook succeeded, so a failed run leaves the previous outputs as they
were. Executed notebooks carry no timing metadata and no interpreter patch
version: re-running on unchanged inputs changes no byte.

Parameters reach the notebooks in two ways:

- a cell tagged ``injected-parameters`` (as papermill writes it) is inserted
  after the cell tagged ``parameters`` when a run changes a parameter (another
  data directory); the default run injects nothing;
- the kernel's environment: ``RHETORIC_DATA`` and ``RHETORIC_FIGURES`` tell
  :func:`rhetoric.study.setup` where to read and where to write figures.

``RHETORIC_BACKGROUND_FIGURES=1`` lets each kernel draw the figures' PDF and
SVG files in a forked process while the notebook goes on (the kernel alone
uses one core); a cell appended to each notebook, and removed from the
executed copy, writes them (:func:`rhetoric.figures.finish_saving`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
import contextlib
import os
from pathlib import Path
import re
import signal
import subprocess
import sys
import tempfile
import threading

from rhetoric import paths
from rhetoric.errors import RhetoricInputError, StudyRunError, display_path

__all__ = ["execute_notebook", "run_study", "study_notebooks"]

NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
#: Set when SIGINT or SIGTERM arrives during a run (see :func:`_interruptible`).
_INTERRUPTED = threading.Event()
KERNEL = "python3"
CELL_TIMEOUT = 600
#: Run after a notebook's last cell; imports nothing if the notebook saved no figure.
_FINISH_SAVING = (
    "import sys as _sys\n"
    "if 'rhetoric.figures' in _sys.modules:\n"
    "    _sys.modules['rhetoric.figures'].finish_saving()\n"
    "del _sys"
)


def study_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """The study's notebooks, ``NN_name.ipynb``, in run order."""
    notebooks_dir = notebooks_dir or paths.NOTEBOOKS_DIR
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """SIGINT/SIGTERM: remember the interrupt, then stop with KeyboardInterrupt (cleanup runs)."""

    def stop(signum, frame):
        _INTERRUPTED.set()
        raise KeyboardInterrupt

    from rhetoric.corpus import signal_handler

    _INTERRUPTED.clear()
    with signal_handler(stop):
        yield


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _inject(nb, parameters: dict[str, object]) -> None:
    """Insert an ``injected-parameters`` cell after the ``parameters`` cell (papermill's way)."""
    import nbformat

    if not parameters:
        return
    index = next(
        (
            i
            for i, c in enumerate(nb.cells)
            if "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    source = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    cell.id = "injected-parameters"
    nb.cells.insert(0 if index is None else index + 1, cell)


def _tidy(nb) -> None:
    """Drop what differs between machines or runs but says nothing about the results."""
    nb.metadata.get("language_info", {}).pop("version", None)
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for key in ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled"):
            cell.get("metadata", {}).pop(key, None)


class _SignalNotingLoop(asyncio.SelectorEventLoop):
    """An event loop on which nbclient's own SIGINT/SIGTERM handling also sets ``_INTERRUPTED``.

    While a notebook runs, nbclient replaces the process's SIGINT and SIGTERM
    handlers with one that shuts the kernel down, and afterwards restores the
    defaults rather than the handlers it found. Without this loop a signal
    could stop the kernel unnoticed (a notebook that had just finished was
    then written as if nothing happened) and the next notebook ran with no
    handler of ours at all.
    """

    def __init__(self) -> None:
        super().__init__()
        self._replaced: dict[int, object] = {}

    def add_signal_handler(self, sig, callback, *args):
        previous = signal.getsignal(sig)

        def noted(*values):
            _INTERRUPTED.set()
            callback(*values)

        super().add_signal_handler(sig, noted, *args)
        self._replaced.setdefault(sig, previous)

    def remove_signal_handler(self, sig):
        removed = super().remove_signal_handler(sig)
        if sig in self._replaced:
            signal.signal(sig, self._replaced.pop(sig))
        return removed


def _run_client(client, **kernel_options) -> None:
    """``client.execute(**kernel_options)`` on a :class:`_SignalNotingLoop`.

    After a signal, nbclient shuts the kernel down twice at once (from its
    signal handler and on leaving the notebook), and one of the two fails on
    the other's cleared state. That shutdown is awaited and its error taken
    here, and the tasks left pending are cancelled, so that neither is
    reported on stderr later as a never-retrieved exception or a destroyed task.
    """

    async def finish(future) -> None:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await future

    with asyncio.Runner(loop_factory=_SignalNotingLoop) as runner:
        try:
            runner.run(client.async_execute(**kernel_options))
        finally:
            cleanup = getattr(client, "_async_cleanup_kernel_future", None)
            if cleanup is not None:
                runner.run(finish(cleanup))


def execute_notebook(
    source: Path,
    target: Path,
    *,
    parameters: dict[str, object] | None = None,
    cwd: Path | None = None,
    progress=None,
) -> None:
    """Execute one notebook and write the executed copy to ``target``.

    Raises :class:`StudyRunError` naming the notebook, the cell number
    (1-based, as shown in Jupyter) and the error if a cell fails.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    import nbformat

    nb = nbformat.read(source, as_version=4)
    _inject(nb, parameters or {})
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": KERNEL,
    }
    state = {"cell": 0}
    cells = len(nb.cells)
    # a last cell, removed again below, writes the figure files still being drawn
    nb.cells.append(nbformat.v4.new_code_cell(_FINISH_SAVING))
    nb.cells[-1].id = "rhetoric-finish-saving"

    def started(cell, cell_index):
        state["cell"] = cell_index + 1
        if progress is not None:
            progress(source.name, min(cell_index + 1, cells), cells)

    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL,
        record_timing=False,
        resources={"metadata": {"path": str(cwd or source.parent)}},
        on_cell_execute=started,
    )
    try:
        # The kernel process's own log (ipykernel's start-up notices) is not the notebook's output.
        _run_client(client, stderr=subprocess.DEVNULL)
    except (
        KeyboardInterrupt,
        asyncio.CancelledError,
    ):  # a signal arrived inside nbclient's event loop
        raise KeyboardInterrupt from None
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line naming the notebook
        # nbclient's clean-up can fail after an interrupt; stop cleanly instead
        if _INTERRUPTED.is_set():
            raise KeyboardInterrupt from None
        if isinstance(exc, CellExecutionError) and state["cell"] > cells:
            raise StudyRunError(
                f"{display_path(source)}: writing the figures' PDF and SVG files failed: "
                f"{exc.ename}: {exc.evalue}"
            ) from None
        if isinstance(exc, CellExecutionError):
            raise StudyRunError(
                f"{display_path(source)}: cell {state['cell']} failed: {exc.ename}: {exc.evalue}"
            ) from None
        if isinstance(exc, DeadKernelError):
            raise StudyRunError(
                f"{display_path(source)}: the Python kernel died ({exc}); nothing in the output folder changed"
            ) from None
        # e.g. nbclient's own clean-up failing after a signal: still one line, not a traceback
        raise StudyRunError(
            f"{display_path(source)}: the run stopped ({type(exc).__name__}: {exc}); "
            "nothing in the output folder changed"
        ) from None
    if _INTERRUPTED.is_set():  # a signal that nbclient's event loop swallowed: stop all the same
        raise KeyboardInterrupt
    del nb.cells[cells:]
    _tidy(nb)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def _progress_bar(total_notebooks: int):
    """A tqdm bar on stderr: which notebook, which cell."""
    from tqdm import tqdm

    bar = tqdm(
        total=total_notebooks,
        unit="notebook",
        file=sys.stderr,
        leave=True,
        disable=None,
        bar_format="{l_bar}{bar:20}| {n_fmt}/{total_fmt} {desc}",
    )

    def update(name: str, cell: int, cells: int) -> None:
        bar.set_description_str(f"{name} cell {cell}/{cells}")

    return bar, update


def run_study(
    *,
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    notebooks: Sequence[Path] | None = None,
    parameters: dict[str, object] | None = None,
    html: bool = False,
    progress: bool = True,
) -> list[Path]:
    """Execute the study's notebooks in order; write notebooks, figures (and HTML) to ``out_dir``.

    Parameters
    ----------
    data_dir : path, optional
        Data directory to analyse (default: the project's ``data/``). Another
        directory is injected as the ``data_dir`` parameter.
    out_dir : path, optional
        Where ``notebooks/``, ``figures/`` (and ``reports/``) are written;
        default: the project itself, which is what ``make analysis`` does.
    parameters : dict, optional
        Values for the notebooks' ``parameters`` cell (``group_a``,
        ``group_b``, ``compare_by``, ``themes_file``), injected after it.
    html : bool
        Also write ``reports/NN_name.html`` for readers without Jupyter.

    Returns the files written. Nothing in ``out_dir`` changes unless every
    notebook ran.
    """
    from rhetoric.corpus import load_corpus

    default_data = paths.DATA_DIR.resolve()
    data_dir = Path(data_dir).resolve() if data_dir is not None else default_data
    out_dir = Path(out_dir).resolve() if out_dir is not None else paths.PROJECT_ROOT
    if out_dir.exists() and not out_dir.is_dir():
        raise RhetoricInputError(f"{display_path(out_dir)}: --out must be a directory")
    sources = list(notebooks) if notebooks is not None else study_notebooks()
    if not sources:
        print("rhetoric run: no notebooks to run in notebooks/", file=sys.stderr)
        return []
    load_corpus(data_dir)  # refuse a broken corpus before starting any kernel
    injected = {} if data_dir == default_data else {"data_dir": str(data_dir)}
    injected.update(parameters or {})
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix=".rhetoric-run-", dir=out_dir) as tmp:
        stage = Path(tmp)
        figures = stage / "figures"
        figures.mkdir()
        bar, update = _progress_bar(len(sources)) if progress else (None, None)
        env = {"RHETORIC_DATA": str(data_dir), "RHETORIC_FIGURES": str(figures),
               paths.BACKGROUND_FIGURES_ENV: "1"}  # fmt: skip
        try:
            with _interruptible(), _environment(env):
                for source in sources:
                    execute_notebook(
                        source,
                        stage / "notebooks" / source.name,
                        parameters=injected,
                        cwd=source.parent,
                        progress=update,
                    )
                    if bar is not None:
                        bar.update(1)
        finally:
            if bar is not None:
                bar.close()
        if html:
            from rhetoric.reports import write_html_reports

            write_html_reports(sorted((stage / "notebooks").glob("*.ipynb")), stage / "reports")
        from rhetoric.corpus import _signals_deferred

        with _signals_deferred():  # every output file is moved, or none is
            _move_outputs(stage, out_dir, written)
    return written


def _move_outputs(stage: Path, out_dir: Path, written: list[Path]) -> None:
    """Move the staged notebooks, figures and reports into ``out_dir``, file by file (each rename is atomic)."""
    for folder in ("notebooks", "figures", "reports"):
        staged = stage / folder
        for path in sorted(staged.rglob("*")) if staged.is_dir() else []:
            if path.is_file():
                target = out_dir / path.relative_to(stage)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                written.append(target)
