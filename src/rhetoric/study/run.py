""":mod:`rhetoric.study.run`: run the numbered study notebooks, reproducibly.

:func:`run_study` executes ``notebooks/NN_name.ipynb`` in order (kernel
``python3``), stages the executed notebooks and the figures in a staging
folder and swaps them in as one step only when every notebook succeeded
(:func:`rhetoric.store.atomic.swap_in`: a failed, interrupted or killed run leaves
every previous output or every new one). The whole run holds the data
folder's shared lock, so that every notebook reads one corpus (an add waits
until the run is done), and the output folder's exclusive lock (one run at a
time writes there). Executed notebooks carry no timing metadata and no
interpreter patch version: re-running on unchanged inputs changes no byte.

Parameters reach the notebooks in two ways:

- a cell tagged ``injected-parameters`` (as papermill writes it) is inserted
  after the cell tagged ``parameters`` when a run changes a parameter (another
  data directory); the default run injects nothing;
- the kernel's environment: ``RHETORIC_DATA`` and ``RHETORIC_FIGURES`` tell
  :func:`rhetoric.study.context.open_study` where to read and where to write figures.

Each notebook runs through nbclient's public API (``NotebookClient.async_execute``)
on an event loop in a worker thread, so that SIGINT and SIGTERM stay with this
process's own handlers (:func:`rhetoric.store.atomic.stop_on_signals`): on either,
the execution is cancelled, the kernel shut down, and the run stops.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
import contextlib
import errno
import inspect
import json
import os
from pathlib import Path
import re
import subprocess
import sys
import threading

from rhetoric.errors import (
    RhetoricEnvironmentError,
    RhetoricInputError,
    StudyRunError,
    display_path,
)
from rhetoric.store import paths
from rhetoric.store.atomic import (
    environment_error,
    folder_lock,
    refuse_links,
    remove_leftovers,
    signals_deferred,
    staged,
    stop_on_signals,
    swap_in,
    write_atomic,
    write_file,
)

__all__ = ["execute_notebook", "run_study", "study_notebooks"]

NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
KERNEL = "python3"
CELL_TIMEOUT = 600


def study_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """The study's notebooks, ``NN_name.ipynb``, in run order.

    Parameters
    ----------
    notebooks_dir : pathlib.Path, optional
        Folder of the notebooks (default: ``notebooks/`` of the study folder,
        :func:`rhetoric.store.paths.study_path`).

    Returns
    -------
    list of pathlib.Path
        The files whose names are two digits, ``_`` and lowercase letters, digits or
        ``_``, then ``.ipynb``, sorted by name; other notebooks are left out.
    """
    notebooks_dir = notebooks_dir or paths.study_path("notebooks")
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))


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
    """Insert an ``injected-parameters`` cell after the ``parameters`` cell (papermill's way),
    in place of any an earlier run left: a notebook run again gets only this run's values."""
    import nbformat

    nb.cells = [c for c in nb.cells
                if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]  # fmt: skip
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
        if "outputs" in cell:
            cell.outputs = merged_streams(cell.outputs)


def merged_streams(outputs: list) -> list:
    """A cell's outputs with each run of consecutive ``stream`` outputs joined into one
    stdout output followed by one stderr output. The kernel sends the two streams
    separately and flushes them when it can, so a busy machine splits a print into
    several outputs or interleaves stdout and stderr differently; after the merge, neither
    changes the notebook's bytes. (Other outputs, such as figures, keep their place.)"""
    merged: list = []
    run: dict[str, dict] = {}
    for output in outputs:
        if output.get("output_type") != "stream":
            merged.extend(run[name] for name in ("stdout", "stderr") if name in run)
            run = {}
            merged.append(output)
        elif output.get("name") in run:
            joined = run[output["name"]]
            joined["text"] = "".join(joined["text"]) + "".join(output["text"])
        else:
            run[output.get("name")] = output
    merged.extend(run[name] for name in ("stdout", "stderr") if name in run)
    return merged


class _Stopped(Exception):
    """Raised by the hook before a cell once the run has been interrupted."""


#: After an interrupt, how long a notebook may take to stop through nbclient's failure path
#: before its execution is cancelled (and its kernel shut down on the way out).
STOP_SECONDS = 10.0


async def _interrupt_kernel(manager) -> None:
    """Send the kernel an interrupt (its running cell then fails with KeyboardInterrupt)."""
    with contextlib.suppress(Exception):  # a kernel that is gone, or not yet started
        result = manager.interrupt_kernel()
        if inspect.isawaitable(result):
            await result


class _Execution:
    """One notebook executed by nbclient on an event loop in a worker thread.

    The main thread waits for it. On an interrupt it stops the notebook through
    nbclient's ordinary failure path, so that nbclient shuts its kernel down
    as after any failed cell: the running cell is interrupted
    (``interrupt_kernel``, scheduled on the worker's loop, once the kernel has
    answered: ``on_notebook_start``), and the hook run before each cell
    (``on_cell_execute``) refuses to start another. An interrupt can be lost (one that
    reaches the kernel as it takes a cell up leaves nbclient waiting for a reply that
    never comes): when the notebook has not stopped after :data:`STOP_SECONDS`, its
    execution is cancelled, which shuts the kernel down.
    """

    def __init__(self, client) -> None:
        self.client = client
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task | None = None
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        self.kernel_ready = threading.Event()
        self.done = threading.Event()
        before = client.on_cell_execute

        def before_cell(**kwargs) -> None:
            if self.stopping.is_set():
                raise _Stopped
            if before is not None:
                before(**kwargs)

        client.on_cell_execute = before_cell
        client.on_notebook_start = lambda **kwargs: self.kernel_ready.set()
        self.thread = threading.Thread(target=self._run, name="rhetoric-notebook", daemon=True)

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.task = asyncio.current_task()
        # The kernel process's own log (ipykernel's start-up notices) is not the notebook's output.
        await self.client.async_execute(stderr=subprocess.DEVNULL)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            self.error = exc
        finally:
            self.done.set()

    def _stop(self) -> None:
        self.stopping.set()
        manager, loop = self.client.km, self.loop
        # a kernel still starting is not interrupted (that could kill it half started): the
        # hook stops the notebook before its first cell instead
        if self.kernel_ready.is_set() and manager is not None and loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                asyncio.run_coroutine_threadsafe(_interrupt_kernel(manager), loop)

    def _cancel(self) -> None:
        loop, task = self.loop, self.task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(task.cancel)

    def run(self) -> None:
        """Execute, waiting in the main thread; raise what the execution raised, or
        :class:`KeyboardInterrupt` once it has stopped after an interrupt."""
        self.thread.start()
        # waiting on an Event, not Thread.join: a join cut short by a signal can leave the
        # thread looking finished (CPython gh-90882)
        try:
            while not self.done.wait(0.1):
                pass
        except KeyboardInterrupt:
            with signals_deferred():  # a second signal does not cut the kernel's shutdown short
                self._stop()
                if not self.done.wait(STOP_SECONDS):
                    self._cancel()
                    self.done.wait(STOP_SECONDS)
            raise
        if self.error is not None:
            raise self.error


#: Errors of the machine that a kernel can meet writing figures and tables.
_MACHINE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES)


def _failure(source: Path, exc: BaseException, state: dict) -> Exception:
    """One line naming the notebook, the cell and the error."""
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    shown = display_path(source)
    if isinstance(exc, CellExecutionError) and exc.ename == "RhetoricInputError":
        return RhetoricInputError(f"{shown}: cell {state['cell']}: {exc.evalue}")  # bad input: 2
    machine = [e for e in _MACHINE if isinstance(exc, CellExecutionError) and
               os.strerror(e) in str(exc.evalue)]  # fmt: skip
    if machine:  # the disk filled up while the kernel wrote a figure: status 1, one line
        return RhetoricEnvironmentError(
            f"{shown}: cell {state['cell']}: cannot write: {os.strerror(machine[0])}",
            machine[0], os.strerror(machine[0]),
        )  # fmt: skip
    if isinstance(exc, CellExecutionError):
        return StudyRunError(f"{shown}: cell {state['cell']} failed: {exc.ename}: {exc.evalue}")
    if isinstance(exc, DeadKernelError):
        return StudyRunError(
            f"{shown}: the Python kernel died ({exc}); nothing in the output folder changed"
        )
    return StudyRunError(
        f"{shown}: the run stopped ({type(exc).__name__}: {exc}); "
        "nothing in the output folder changed"
    )


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
    (1-based, every cell counted, Markdown cells and an injected parameters cell too)
    and the error if a cell fails (:class:`RhetoricInputError` if the cell raised one,
    :class:`RhetoricEnvironmentError` if its error is a full disk, a quota, a file too
    large, a read-only folder or a refused permission), and if the kernel dies or the run
    stops otherwise; :class:`KeyboardInterrupt` (after shutting the kernel down) on
    SIGINT or SIGTERM.

    Parameters
    ----------
    source : pathlib.Path
        The notebook to execute (not changed).
    target : pathlib.Path
        Where the executed copy is written (folders created, written atomically): kernel
        ``python3``, no timing metadata or Python version, and each run of stream outputs
        merged (:func:`merged_streams`).
    parameters : dict, optional
        Values injected as a cell tagged ``injected-parameters`` after the cell tagged
        ``parameters`` (first, if there is none); none: nothing injected.
    cwd : pathlib.Path, optional
        Folder the kernel runs in (default: the folder of ``source``).
    progress : callable, optional
        Called before each code cell as ``progress(source.name, cell, cells)``: the
        cell's number as above and the number of cells.
    """
    from nbclient import NotebookClient
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

    def started(cell, cell_index):
        state["cell"] = cell_index + 1
        if progress is not None:
            progress(source.name, cell_index + 1, cells)

    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL,
        record_timing=False,
        resources={"metadata": {"path": str(cwd or source.parent)}},
        on_cell_execute=started,
    )
    try:
        with stop_on_signals():
            _Execution(client).run()
    except (KeyboardInterrupt, asyncio.CancelledError):
        raise KeyboardInterrupt from None
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line naming the notebook
        raise _failure(source, exc, state) from None
    _tidy(nb)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb)
    write_atomic(target, (text if text.endswith("\n") else text + "\n").encode("utf-8"))


def _progress_bar(total_notebooks: int):
    """A tqdm bar on stderr: which notebook, which cell."""
    from tqdm import tqdm

    bar = tqdm(
        total=total_notebooks,
        unit="notebook",
        file=getattr(sys.stderr, "unescaped", sys.stderr),  # its own carriage returns
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
    code: bool = False,
    progress: bool = True,
) -> list[Path]:
    """Execute the study's notebooks in order; write notebooks, figures (and HTML) to ``out_dir``.

    The kernels run in the current directory, so that paths are shown as the
    user gave them: the executed notebooks hold no path that the user did not
    write.

    Parameters
    ----------
    data_dir : path, optional
        Data directory to analyse (default:
        :func:`rhetoric.store.paths.default_data_dir`, the study folder's ``data/``).
        Another directory is injected as the ``data_dir`` parameter, as given.
    out_dir : path, optional
        Where ``notebooks/``, ``figures/`` (and ``reports/``) are written;
        default: the study folder (else the current directory), which is what
        ``make analysis`` does.
    notebooks : sequence of pathlib.Path, optional
        Notebooks to run, in this order (default: :func:`study_notebooks`).
    parameters : dict, optional
        Values for the notebooks' ``parameters`` cell (``group_a``, ``group_b``,
        ``compare_by``, ``themes_file``, ``where``, ``reprints``), injected after it;
        checked against the corpus before any notebook runs
        (:func:`rhetoric.study.context.check_parameters`).
    html : bool, default False
        Also write ``reports/NN_name.html`` for readers without Jupyter
        (prose, tables and figures; with ``code``, the code cells too).
    code : bool, default False
        Show the code cells in the HTML reports too.
    progress : bool, default True
        Show a progress bar (notebook and cell) on stderr, when it is a terminal.

    Returns
    -------
    list of pathlib.Path
        The files written, under ``out_dir`` (resolved), sorted by their path in it:
        ``figures/...``, ``notebooks/NN_name.ipynb`` (and ``reports/NN_name.html``).
        Nothing in ``out_dir`` changes unless every notebook ran.
    """
    from rhetoric.data.folder import corpus_fingerprint, data_lock
    from rhetoric.study.context import check_parameters

    default_data = paths.default_data_dir().resolve()
    given = data_dir
    data_dir = Path(data_dir).resolve() if data_dir is not None else default_data
    study = paths.study_dir()
    out_dir = Path(out_dir).resolve() if out_dir is not None else (study or Path.cwd()).resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise RhetoricInputError(
            f"out_dir={display_path(out_dir)!r}: is a file, not a folder; give a folder (new, "
            "or one an earlier run wrote)",
            parameters=("out_dir",),
        )
    if out_dir == data_dir:
        raise RhetoricInputError(
            f"out_dir={display_path(out_dir)!r}: is the data folder; write the outputs elsewhere",
            parameters=("out_dir",),
        )
    refuse_links(out_dir, _OUTPUT_FOLDERS)  # before any kernel: nothing written through one
    sources = list(notebooks) if notebooks is not None else study_notebooks()
    if not sources:
        raise RhetoricInputError(
            "rhetoric run: no notebooks NN_name.ipynb to run (fix: run it in a study folder, "
            "or make one with `rhetoric init DIR`)"
        )
    # the whole run reads one corpus: an add waits until it is done (shared lock)
    with data_lock(data_dir):
        # refuse a broken corpus, or parameters naming what it does not have, before any kernel
        injected = {} if data_dir == default_data else {"data_dir": str(given)}
        injected.update(check_parameters(data_dir, parameters or {}))
        fingerprint = corpus_fingerprint(data_dir)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise environment_error(exc, out_dir) from None
        with folder_lock(out_dir, exclusive=True):  # one run at a time writes into out_dir
            remove_leftovers(out_dir)  # a killed run's staging folder: completed or removed
            with staged(out_dir) as stage:
                try:
                    _execute_all(sources, stage / "new", data_dir, injected, progress)
                    if html:
                        from rhetoric.study.reports import write_html_reports

                        write_html_reports(sorted((stage / "new" / "notebooks").glob("*.ipynb")),
                                           stage / "new" / "reports", code=code)  # fmt: skip
                except OSError as exc:  # the staging folder is ours: name the output folder
                    raise environment_error(exc, out_dir, "write the new outputs") from None
                if corpus_fingerprint(data_dir) != fingerprint:
                    raise RhetoricInputError(
                        f"{display_path(data_dir)}: corpus.csv, themes.yml or boilerplate.yml "
                        "changed while the study ran (edited by hand?); nothing was written "
                        "(run again)"
                    )
                return _swap_outputs(stage, out_dir, sources, html=html)


def _execute_all(sources, new: Path, data_dir: Path, injected: dict, progress: bool) -> None:
    """Execute every notebook into ``new/notebooks``, figures into ``new/figures``."""
    figures = new / "figures"
    figures.mkdir(parents=True)
    bar, update = _progress_bar(len(sources)) if progress else (None, None)
    env = {"RHETORIC_DATA": str(data_dir), "RHETORIC_FIGURES": str(figures)}
    try:
        with stop_on_signals(), _environment(env):
            for source in sources:
                execute_notebook(source, new / "notebooks" / source.name,
                                 parameters=injected, cwd=Path.cwd(), progress=update)  # fmt: skip
                if bar is not None:
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()


#: Outputs of a notebook ``NN_name``: figures and tables ``NN-*``, report ``NN_name.html``.
_OUTPUT = re.compile(r"^(\d\d)[-_].*\.(?:png|pdf|svg|csv|html)$")
#: The record, in the output folder, of every file the last run wrote there.
OUTPUTS_FILE = "rhetoric-outputs.json"
#: The folders of the output folder a run writes into.
_OUTPUT_FOLDERS = ("notebooks", "figures", "reports")
#: A name a record may hold: a file directly inside one of those folders.
_RECORDED_NAME = re.compile(r"^(?:notebooks|figures|reports)/[^/\\]+$")


def _recorded(out_dir: Path) -> set[str] | None:
    """The files the last run recorded writing into ``out_dir`` (:data:`OUTPUTS_FILE`), or
    None when there is no record (an output folder of a version before the record, or a
    new one) or it cannot be read."""
    from rhetoric.store.inputs import read_input

    path = out_dir / OUTPUTS_FILE
    if path.is_symlink() or not path.is_file():
        return None
    try:
        record = json.loads(read_input(path, within=out_dir).decode("utf-8"))
        files = record["files"]
    except (OSError, ValueError, KeyError, TypeError, RhetoricInputError):
        return None
    if not isinstance(files, list):
        return None
    return {name for name in files if isinstance(name, str) and _RECORDED_NAME.match(name)}


def _record(names: list[str]) -> bytes:
    """:data:`OUTPUTS_FILE`: the files a run wrote, sorted (the same bytes for the same files)."""
    record = {"about": "the files the last `rhetoric run` wrote into this folder; the next run "
              "replaces and removes only these", "files": sorted(names)}  # fmt: skip
    return (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _swap_outputs(stage: Path, out_dir: Path, sources, *, html: bool) -> list[Path]:
    """Put the staged outputs in place as one step (:func:`rhetoric.store.atomic.swap_in`),
    with the record of what was written (:data:`OUTPUTS_FILE`).

    Only what a run wrote is ever replaced or removed: a file at the path of a new output
    that the last run's record does not hold is refused (one line, nothing changed), unless
    it is a notebook being run in place or the folder has no record at all (written before
    the record existed: its outputs are replaced, nothing is removed); the recorded outputs
    this run did not make again (a statement's reuse figure once the statement is gone,
    the reports of a run with ``--html`` when this one has none) are removed, and said so;
    a file of the user's that only looks like an output is kept, and named.
    """
    new = stage / "new"
    names = sorted(p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file())
    recorded = _recorded(out_dir)
    in_place = {f"notebooks/{s.name}" for s in sources
                if (out_dir / "notebooks" / s.name).resolve() == Path(s).resolve()}  # fmt: skip
    if recorded is not None:
        foreign = [n for n in names if os.path.lexists(out_dir / n)
                   and n not in recorded and n not in in_place]  # fmt: skip
        if foreign:
            more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
            raise RhetoricInputError(
                f"{display_path(out_dir / foreign[0])}{more}: not written by rhetoric run (not "
                f"in {OUTPUTS_FILE}), where a new output goes; nothing was changed (move it "
                "away, or give --out another folder)"
            )
    gone = sorted(n for n in (recorded or set()) - set(names)
                  if (out_dir / n).is_file() and not (out_dir / n).is_symlink())  # fmt: skip
    handled = set(names) | set(gone)
    lookalikes = sorted(
        f"{folder}/{path.name}"
        for folder in _OUTPUT_FOLDERS[1:] if (out_dir / folder).is_dir()
        for path in (out_dir / folder).iterdir()
        if _OUTPUT.match(path.name) and f"{folder}/{path.name}" not in handled
    )  # fmt: skip
    write_file(new / OUTPUTS_FILE, _record(names))
    swap_in(stage, out_dir, [*names, OUTPUTS_FILE], gone)
    reports = [n for n in gone if n.startswith("reports/")]
    if reports and not html:
        print(f"rhetoric run: {len(reports)} HTML reports of the previous run removed (they "
              "described its outputs; --html writes new ones)", file=sys.stderr)  # fmt: skip
    if len(gone) > len(reports):
        print(f"rhetoric run: {len(gone) - len(reports)} outputs of the previous run that this "
              "run did not make again removed", file=sys.stderr)  # fmt: skip
    for name in lookalikes:
        print(f"rhetoric run: {display_path(out_dir / name)} looks like an output but is not "
              f"in {OUTPUTS_FILE}; kept (delete it if it is an old output)",
              file=sys.stderr)  # fmt: skip
    return [out_dir / name for name in names]
