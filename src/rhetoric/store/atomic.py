""":mod:`rhetoric.store.atomic`: interrupts and all-or-nothing file writes, in one place.

Every command that writes files (``rhetoric add``, ``rhetoric run``, the
cache, saving figures) uses these:

- :func:`stop_on_signals`: SIGINT and SIGTERM raise :class:`KeyboardInterrupt`,
  so that clean-up code (``finally`` blocks) runs on either;
- :func:`signals_deferred`: inside the block the two signals are only
  recorded, and act (as :class:`KeyboardInterrupt`) once the block is done,
  so that a stop never lands between writing a file and recording it;
- :func:`write_temp` and :func:`write_atomic`: a file is written under a
  temporary name in its target folder and renamed into place, so that a
  reader never sees half a file;
- :func:`folder_lock`: an advisory lock (``flock``) on a folder, exclusive for
  the one command that changes it (``rhetoric add``), shared for the ones that
  read it, so that readers see the folder before an add or after it;
- :func:`swap_in`: many files replaced as one step, through a journal that
  the next command completes if the process was killed half-way
  (:func:`remove_leftovers`);
- :func:`remove_leftovers`: temporary files and staging folders of processes
  that no longer run are removed (their names carry the writer's process id,
  so nothing a live process is writing is ever deleted).

Writing errors of the machine (a full disk, a read-only folder, a quota) are
raised as :class:`~rhetoric.errors.RhetoricEnvironmentError` naming the path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
import contextlib
import errno
import json
import os
from pathlib import Path
import re
import shutil
import signal
import sys
import tempfile
import threading
from typing import BinaryIO

from rhetoric.errors import RhetoricEnvironmentError, RhetoricInputError, display_path

__all__ = [
    "LOCK_NAME",
    "TEMP_PREFIX",
    "environment_error",
    "folder_lock",
    "holds_lock",
    "interrupted",
    "leftovers",
    "make_folder",
    "refuse_links",
    "refuse_used_folder",
    "remove_leftovers",
    "signal_handler",
    "signals_deferred",
    "staged",
    "staging_folder",
    "stop_on_signals",
    "swap_in",
    "write_atomic",
    "write_file",
    "write_temp",
]

#: Temporary files and staging folders start with this (git-ignored; see .gitignore),
#: followed by the process id of the writer: ``.rhetoric-<pid>-<random>.tmp``,
#: ``.rhetoric-stage-<pid>-<random>/``.
TEMP_PREFIX = ".rhetoric-"
#: What a file is written from: its bytes, or a function that writes them to the open file.
Data = bytes | Callable[[BinaryIO], None]
#: The lock file of a folder (kept: removing a lock file would race with its users).
LOCK_NAME = ".rhetoric-lock"
JOURNAL = "journal.json"
_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_LEFTOVER = re.compile(r"^\.rhetoric-(?:stage-)?(\d+)-[^/]*$")


@contextlib.contextmanager
def signal_handler(handler: Callable) -> Iterator[None]:
    """Run ``handler(signum, frame)`` on SIGINT and SIGTERM inside the block, then restore.

    Only the main thread can set handlers; elsewhere the block runs unchanged.

    Parameters
    ----------
    handler : callable
        Called as ``handler(signum, frame)``, as :func:`signal.signal` calls handlers.

    Yields
    ------
    None
        The previous handlers are restored when the block ends, however it ends.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.signal(sig, handler) for sig in _SIGNALS}
    try:
        yield
    finally:
        for sig, previous in saved.items():
            signal.signal(sig, previous)


def _in_finalizer(frame) -> bool:
    """Whether ``frame`` runs inside an object's ``__del__`` (called by the garbage collector
    wherever the program stands)."""
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


#: Whether :func:`stop_on_signals` has turned a signal into :class:`KeyboardInterrupt` in
#: this process (C code may turn that exception into another: :func:`interrupted`).
_interrupts = 0


def interrupted() -> bool:
    """Whether a stop (SIGINT, SIGTERM) has been raised in this process by
    :func:`stop_on_signals`: an error that follows it is its echo (a C extension importing
    when the interrupt came turns it into an ``ImportError``), to report as the stop.

    Returns
    -------
    bool
        True once a signal has been raised as :class:`KeyboardInterrupt`.
    """
    return _interrupts > 0


def _interrupt(signum, frame):
    global _interrupts
    if _in_finalizer(frame):
        # raised in a finalizer, KeyboardInterrupt would be printed as "Exception ignored
        # in ..." with a traceback, and lost: the signal comes again once it has ended
        again = threading.Timer(0.05, os.kill, (os.getpid(), signum))
        again.daemon = True  # a command that ends meanwhile is not held back by it
        again.start()
        return
    _interrupts += 1
    raise KeyboardInterrupt


def stop_on_signals() -> contextlib.AbstractContextManager:
    """SIGINT and SIGTERM both raise :class:`KeyboardInterrupt` inside the block.

    Returns
    -------
    contextlib.AbstractContextManager
        The block: :func:`signal_handler` with a handler that raises
        :class:`KeyboardInterrupt` (outside the main thread, nothing changes).
    """
    return signal_handler(_interrupt)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the block runs; raise :class:`KeyboardInterrupt` after it.

    (Blocking with ``pthread_sigmask`` is not enough: it covers only the calling
    thread, and a process-directed signal can be delivered to a library's
    worker thread, after which Python runs the handler in the main thread all
    the same.) Outside the main thread nothing is held (:func:`signal_handler`).

    Yields
    ------
    None
        A signal received meanwhile raises :class:`KeyboardInterrupt` when the block ends
        without an error; when the block raises, its own exception goes on instead.
    """
    received: list[int] = []
    with signal_handler(lambda signum, frame: received.append(signum)):
        yield
    if received:
        raise KeyboardInterrupt


def environment_error(
    exc: OSError, path: Path | str, doing: str = "write"
) -> RhetoricEnvironmentError:
    """One line for a writing error of the machine, naming the path and what to do.

    Parameters
    ----------
    exc : OSError
        The error; its ``errno`` chooses the advice (free space, make the folder
        writable, or check it).
    path : pathlib.Path or str
        The path the message names (as :func:`rhetoric.errors.display_path` shows it).
    doing : str, default "write"
        What could not be done: the message says ``cannot <doing>``.

    Returns
    -------
    RhetoricEnvironmentError
        The error to raise (returned, not raised), with the ``errno`` and ``strerror`` of
        ``exc``; its message says that nothing was changed.
    """
    shown = display_path(path)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        what = "free some space there, or point the command elsewhere, and run it again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = "make the folder writable, or point the command at a copy"
    else:
        what = "check the folder and run the command again"
    return RhetoricEnvironmentError(
        f"{shown}: cannot {doing}: {exc.strerror or exc}; nothing was changed ({what})",
        exc.errno, exc.strerror,
    )  # fmt: skip


def _umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux:
    ``/proc/self/status``): setting it to read it would, for that moment, give files that
    another thread creates the wrong mode."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii", errors="replace") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0o077)  # elsewhere: briefly the strictest mask, never a looser one
    os.umask(umask)
    return umask


def write_temp(directory: Path, data: Data, *, sync: bool = False) -> Path:
    """Write ``data`` (bytes, or a function that writes to the open binary file) to a new
    temporary file in ``directory`` (mode as the umask allows).

    The caller renames or removes it; on any failure here nothing is left behind,
    and a writing error of the machine becomes :class:`RhetoricEnvironmentError`.

    Parameters
    ----------
    directory : pathlib.Path
        The folder to write in (that of the file it is to replace, so that a rename
        puts it in place).
    data : bytes or callable
        The content, or a function that writes it to the open binary file it is given.
    sync : bool, default False
        Flush the file to disk before returning (for files that are the only copy).

    Returns
    -------
    pathlib.Path
        The new file, ``.rhetoric-<pid>-<random>.tmp`` in ``directory``.
    """
    try:
        fd, name = tempfile.mkstemp(dir=directory, prefix=f"{TEMP_PREFIX}{os.getpid()}-",
                                    suffix=".tmp")  # fmt: skip
    except OSError as exc:
        raise environment_error(exc, directory) from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException as exc:
        Path(name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise environment_error(exc, directory) from None
        raise
    return Path(name)


def write_atomic(path: Path, data: Data) -> None:
    """Replace ``path`` with ``data`` (bytes, or a function that writes to the open binary
    file) in one step: a reader sees the old file or the new one.

    The file is not flushed to disk first. A writing error of the machine raises
    :class:`RhetoricEnvironmentError`, and no temporary file is left behind.

    Parameters
    ----------
    path : pathlib.Path
        The file to replace or create; its folder must exist.
    data : bytes or callable
        The content, or a function that writes it to the open binary file it is given.
    """
    temp = write_temp(path.parent, data)
    try:
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise environment_error(exc, path) from None
        raise


# -- locks -------------------------------------------------------------------------

_held: dict[str, list] = {}  # folder (real path) -> [fd, exclusive, depth], in this process
if hasattr(os, "register_at_fork"):  # a forked child holds none of its parent's locks
    os.register_at_fork(after_in_child=_held.clear)


def _lock_fd(folder: str) -> int | None:
    path = os.path.join(folder, LOCK_NAME)
    flags = os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o666)
    except OSError:
        try:  # a lock file this user may not write: read access is enough to lock it
            return os.open(path, os.O_RDONLY | flags)
        except OSError:
            return None


@contextlib.contextmanager
def folder_lock(folder: Path | str, *, exclusive: bool) -> Iterator[None]:
    """Hold ``folder``'s lock (``.rhetoric-lock`` in it) inside the block.

    Exclusive: no other process holds it in any mode. Shared: no process holds it
    exclusively. A command that must wait says so once on stderr. Taken again by
    the same process (a check inside an add), it is already held. A folder where
    no lock file can be made (read-only) is read without one: nothing can change
    it through this tool either; an exclusive lock there is an error. A folder that
    does not exist is not locked.

    Parameters
    ----------
    folder : pathlib.Path or str
        The folder (its symbolic links followed).
    exclusive : bool
        True for a command that changes the folder, False (shared) for one that reads it.

    Yields
    ------
    None
        The lock is released when the block ends (by the outermost block, when the same
        process took it again inside).

    Raises
    ------
    RuntimeError
        An exclusive lock asked for inside a shared one of the same process.
    RhetoricEnvironmentError
        An exclusive lock on a folder where no lock file can be made.
    """
    import fcntl

    key = os.path.realpath(folder)
    held = _held.get(key)
    if held is not None:
        if exclusive and not held[1]:
            raise RuntimeError(f"{key}: an exclusive lock asked for under a shared one")
        held[2] += 1
        try:
            yield
        finally:
            held[2] -= 1
        return
    fd = _lock_fd(key) if os.path.isdir(key) else None
    if fd is None:
        if exclusive and os.path.isdir(key):
            raise RhetoricEnvironmentError(
                f"{display_path(folder)}: cannot create {LOCK_NAME} there; nothing was changed "
                "(make the folder writable, or point the command at a copy)"
            )
        yield
        return
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"rhetoric: waiting for another rhetoric command to finish with "
                  f"{display_path(folder)} ...", file=sys.stderr)  # fmt: skip
            fcntl.flock(fd, mode)
        _held[key] = [fd, exclusive, 1]
        yield
    finally:
        _held.pop(key, None)
        os.close(fd)


# -- leftovers of killed processes --------------------------------------------------


#: The owner lock of each staging folder this process made (its fd stays open while the
#: process runs: the kernel releases the lock when the process ends, however it ends).
_owners: dict[str, int] = {}
#: The file in a staging folder that its writer holds locked.
OWNER = "owner.lock"


def _own(stage: Path) -> int:
    """Lock ``stage``'s owner file for as long as this process runs; the open descriptor."""
    import fcntl

    fd = os.open(stage / OWNER, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _writer_gone(stage: Path) -> bool | None:
    """Whether the process that made ``stage`` has ended, told by its owner lock: free means
    gone, whatever process now has its pid (a pid is reused; in a container the command is
    often pid 1 every time). None when the stage has no owner file (made before it existed)."""
    import fcntl

    try:
        fd = os.open(stage / OWNER, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError:
        return False  # unreadable: not ours to judge
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: its writer runs
    finally:
        os.close(fd)  # closing releases what this descriptor took
    return True


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def leftovers(folder: Path | str) -> list[Path]:
    """The temporary files and staging folders in ``folder`` whose writer no longer runs.

    Parameters
    ----------
    folder : pathlib.Path or str
        The folder to look in (not in its subfolders).

    Returns
    -------
    list of pathlib.Path
        Those entries, sorted by name; empty when ``folder`` cannot be listed.
    """
    try:
        entries = sorted(Path(folder).iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if not match:
            continue
        gone = _writer_gone(entry) if entry.is_dir() and not entry.is_symlink() else None
        if gone is None:  # a temporary file, or a staging folder without an owner file
            gone = not _alive(int(match.group(1)))
        if gone:
            found.append(entry)
    return found


def remove_leftovers(folder: Path | str) -> list[Path]:
    """Remove the :func:`leftovers` in ``folder``; a staging folder whose swap was decided
    (it holds a journal) is completed first (:func:`swap_in`).

    Call it holding ``folder``'s exclusive lock (a completed swap writes). An error of the
    file system (:class:`OSError`) is never raised: the entry it stopped is left in place.
    A journal that is not the JSON :func:`swap_in` writes (damaged, or naming a path
    outside ``folder``) raises :class:`~rhetoric.errors.RhetoricInputError`, saying what to
    do by hand, and nothing is removed.

    Parameters
    ----------
    folder : pathlib.Path or str
        The folder to clear (not its subfolders).

    Returns
    -------
    list of pathlib.Path
        What was removed, in the order of :func:`leftovers`.
    """
    done = []
    for entry in leftovers(folder):
        try:
            if entry.is_dir() and not entry.is_symlink():
                if (entry / JOURNAL).is_file():
                    _complete(entry, Path(folder))
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue
        done.append(entry)
    return done


def holds_lock(folder: Path | str) -> bool:
    """Whether this process holds ``folder``'s lock (in either mode).

    Parameters
    ----------
    folder : pathlib.Path or str
        The folder (its symbolic links followed).

    Returns
    -------
    bool
        True inside a :func:`folder_lock` block of this process that took the lock;
        False otherwise, also inside one that runs without a lock (no lock file could
        be made there, or the folder does not exist).
    """
    return os.path.realpath(folder) in _held


# -- many files replaced as one step ------------------------------------------------


def staging_folder(folder: Path) -> Path:
    """A new staging folder in ``folder`` (``.rhetoric-stage-<pid>-<random>``).

    Parameters
    ----------
    folder : pathlib.Path
        The folder whose files it is to replace (so that they move by renaming).

    Returns
    -------
    pathlib.Path
        The new, empty folder. A writing error of the machine raises
        :class:`RhetoricEnvironmentError` instead.
    """
    try:
        stage = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}stage-{os.getpid()}-", dir=folder))
        _owners[str(stage)] = _own(stage)
    except OSError as exc:
        raise environment_error(exc, folder) from None
    return stage


@contextlib.contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """A new staging folder in ``folder`` for the block, to fill (``stage/new/...``) and to
    :func:`swap_in`; removed afterwards, unless its swap was decided and is left for the
    next command to complete (a journal stays when a roll-back failed).

    Parameters
    ----------
    folder : pathlib.Path
        The folder whose files are to be replaced; the staging folder is made in it.

    Yields
    ------
    pathlib.Path
        The staging folder (:func:`staging_folder`).
    """
    stage = staging_folder(folder)
    try:
        yield stage
    finally:
        if not (stage / JOURNAL).exists():
            shutil.rmtree(stage, ignore_errors=True)
        fd = _owners.pop(str(stage), None)
        if fd is not None:
            os.close(fd)  # a stage left with its journal is now anyone's to complete


def refuse_used_folder(folder: Path) -> None:
    """Refuse (one line, :class:`~rhetoric.errors.RhetoricInputError`) a ``folder`` that
    exists and holds anything, or is not a folder.

    Parameters
    ----------
    folder : pathlib.Path
        The folder a new study or data folder is to be made as.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise RhetoricInputError(
            f"{display_path(folder)}: exists and is not an empty folder; give a new one"
        )


def make_folder(folder: Path, fill: Callable[[Path], None]) -> Path:
    """Make ``folder`` (new, or empty) whole: ``fill`` writes its files into a staging
    folder beside it, which is then renamed into place in one step, so that a failure or a
    kill leaves no half-made folder (the next call removes a killed one's leftovers).

    Parameters
    ----------
    folder : pathlib.Path
        The folder to make; its parents are made if missing (:func:`refuse_used_folder`
        first, for a clear message).
    fill : callable
        Called with the path of the new folder (not yet existing) to create and fill.

    Returns
    -------
    pathlib.Path
        ``folder``. A writing error of the machine raises
        :class:`~rhetoric.errors.RhetoricEnvironmentError`.
    """
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise environment_error(exc, folder.parent) from None
    remove_leftovers(folder.parent)
    with staged(folder.parent) as stage:
        try:
            fill(stage / "folder")
            os.replace(stage / "folder", folder)  # onto a missing or an empty folder
        except OSError as exc:
            raise environment_error(exc, folder) from None
    return folder


def write_file(path: Path, data: bytes, *, sync: bool = False) -> None:
    """Write a new file (into a staging folder); writing errors as :func:`environment_error`.

    Parameters
    ----------
    path : pathlib.Path
        The file to create, with any missing folders on its way; an existing one is an
        error.
    data : bytes or callable
        The content, or a function that writes it to the open binary file it is given.
    sync : bool, default False
        Flush the file to disk before returning (for files that are the only copy).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as exc:
        raise environment_error(exc, path) from None


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _keep_old(target: Path, old: Path) -> None:
    """Keep the file about to be replaced as ``old``: a hard link, so that ``target`` stays in
    place until the new file replaces it in one step (moved, where links are not possible)."""
    old.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(target, old, follow_symlinks=False)
    except OSError:
        os.rename(target, old)


def _plan(stage: Path, folder: Path) -> dict[str, list[str]]:
    """The swap recorded in ``stage``'s journal, checked: two lists of paths inside
    ``folder``. Anything else (a journal damaged or written by someone else) raises
    :class:`~rhetoric.errors.RhetoricInputError` and changes nothing: how far the swap got
    cannot be known, and ``stage/old`` may hold the only copy of a replaced file."""
    try:
        plan = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))
        names = [*plan["new"], *plan["remove"]]
        if set(plan) != {"new", "remove"} or not all(
            isinstance(n, str) and n and not Path(n).is_absolute() and ".." not in Path(n).parts
            for n in names
        ):
            raise ValueError(names)
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise RhetoricInputError(
            f"{display_path(stage / JOURNAL)}: not the record of a swap that rhetoric writes "
            f"(damaged?), so an interrupted swap into {display_path(folder)} cannot be "
            f"completed; nothing was changed (the files replaced are in {stage.name}/old, the "
            f"new ones in {stage.name}/new: put back what you need, then delete {stage.name})"
        ) from None
    return plan


def _complete(stage: Path, folder: Path) -> None:
    """Carry out (again: every step can be repeated) the swap recorded in ``stage``'s journal:
    each old file kept in ``stage/old/``, each new one moved from ``stage/new/`` over it
    (``os.replace``: a reader sees the old file or the new one), each file to remove moved
    to ``stage/old/``."""
    plan = _plan(stage, folder)
    for name in plan["new"]:
        target, old, new = folder / name, stage / "old" / name, stage / "new" / name
        if not _present(new):
            continue  # placed already
        if _present(target) and not _present(old):
            _keep_old(target, old)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(new, target)
    for name in plan["remove"]:
        target, old = folder / name, stage / "old" / name
        if _present(target) and not _present(old):
            old.parent.mkdir(parents=True, exist_ok=True)
            os.rename(target, old)


def _roll_back(stage: Path, folder: Path, plan: dict) -> None:
    """Undo a swap that failed part-way (an error, not a kill): old files back in place, new
    files that had no old one taken away."""
    for name in plan["new"]:
        target, old, new = folder / name, stage / "old" / name, stage / "new" / name
        if _present(old):
            os.replace(old, target)
        elif not _present(new) and _present(target):
            os.rename(target, new)
    for name in plan["remove"]:
        target, old = folder / name, stage / "old" / name
        if _present(old):
            os.replace(old, target)


def refuse_links(folder: Path, subfolders: Sequence[str]) -> None:
    """Refuse to write into ``subfolders`` of ``folder`` (``figures``, ``a/b``) when one of
    them, or a folder on the way to it, is a symbolic link, or lies outside ``folder``
    (``..``): files are written and removed only inside ``folder``.

    Parameters
    ----------
    folder : pathlib.Path
        The folder written into (it may itself be a link: the user chose it).
    subfolders : sequence of str
        Paths relative to ``folder``.

    Raises :class:`~rhetoric.errors.RhetoricInputError` (one line, nothing changed).
    """
    for name in subfolders:
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts:
            raise RhetoricInputError(f"{name}: not a path inside {display_path(folder)}")
        for depth in range(1, len(parts) + 1):
            between = folder.joinpath(*parts[:depth])
            if between.is_symlink():
                raise RhetoricInputError(
                    f"{display_path(folder)}/{'/'.join(parts[:depth])}: is a symbolic link "
                    f"(to {os.path.realpath(between)}); files are written only inside "
                    f"{display_path(folder)}; nothing was changed (replace the link by a "
                    "folder, or write elsewhere)"
                )


def swap_in(stage: Path, folder: Path, new: Sequence[str], remove: Sequence[str] = ()) -> None:
    """Replace files of ``folder`` by the files ``stage/new/<name>`` (``new``: paths relative
    to both) and take away the files ``remove``, as one step.

    The plan is written to ``stage/journal.json`` first: from then on the swap is decided,
    and if this process is killed the next :func:`remove_leftovers` of ``folder``
    completes it. An error on the way (not a kill) puts every old file back and raises.
    Signals are held meanwhile. A target that is a directory, or one reached through a
    symbolic link to a folder, is refused before anything moves.

    Parameters
    ----------
    stage : pathlib.Path
        The staging folder (:func:`staged`) in ``folder``, the new files under ``new/``.
    folder : pathlib.Path
        The folder whose files are replaced.
    new : sequence of str
        The files to put in place, in this order; one with no file in ``stage/new/`` is
        taken as placed already and skipped.
    remove : sequence of str, default ()
        The files of ``folder`` to take away (those also in ``new`` are not).
    """
    refuse_links(folder, sorted({str(Path(name).parent) for name in (*new, *remove)} - {"."}))
    for name in new:
        target = folder / name
        if target.is_dir() and not target.is_symlink():
            raise RhetoricEnvironmentError(
                f"{display_path(target)}: is a folder where a file is to be written; nothing "
                "was changed (move the folder away and run again)"
            )
    plan = {"new": list(new), "remove": [n for n in remove if n not in set(new)]}
    with signals_deferred():
        journal = write_temp(stage, json.dumps(plan).encode("utf-8"), sync=True)
        os.replace(journal, stage / JOURNAL)
        try:
            _complete(stage, folder)
        except OSError as exc:
            try:
                _roll_back(stage, folder, plan)
            except OSError:
                pass  # the journal stays: the next command completes the swap instead
            else:
                (stage / JOURNAL).unlink()
            raise environment_error(exc, exc.filename or folder) from None
        (stage / JOURNAL).unlink()
