""":mod:`rhetoric.store.inputs`: reading the user's files, and only regular files.

Every file the tool reads as input (corpus.csv, the raw statements, the YAML
files, a themes file named by ``-p themes_file``, the files given to
``rhetoric add``) is read through :func:`read_input`:

- only a regular file is read: a FIFO, a device (``/dev/zero``), a socket or a
  folder is refused with one line, without waiting on it (the file is opened
  non-blocking and checked on the open descriptor, so it cannot be swapped
  for something else between the check and the read);
- a file of the data folder must lie inside it: a symbolic link (of the file,
  or of a folder on its way) that leads out of the data folder is refused, checked
  before the file is opened and again on the open descriptor (Linux: the path the
  system gives for it), so a link swapped in between is refused too;
- a file larger than its limit is refused before it is read.
"""

from __future__ import annotations

import os
from pathlib import Path
import stat

from rhetoric.errors import Problem, RhetoricInputError, display_path

__all__ = ["MAX_INPUT_BYTES", "input_bytes", "inside", "read_input", "read_text"]

#: The largest input file read (a statement, corpus.csv or a YAML file).
MAX_INPUT_BYTES = 50_000_000


def inside(path: Path | str, folder: Path | str) -> bool:
    """Whether ``path``, its symbolic links followed, lies inside ``folder`` (followed too).

    Parameters
    ----------
    path : pathlib.Path or str
        The path to check (it need not exist).
    folder : pathlib.Path or str
        The folder it is to lie in.

    Returns
    -------
    bool
        True when ``path`` is ``folder`` or lies below it, else False.
    """
    real, root = os.path.realpath(path), os.path.realpath(folder)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def read_input(
    path: Path | str, *, within: Path | str | None = None, limit: int = MAX_INPUT_BYTES
) -> bytes:
    """The bytes of the regular file ``path``.

    Raises :class:`FileNotFoundError` and :class:`IsADirectoryError`
    for the caller to word, and :class:`RhetoricInputError` (one line) for
    anything else that is not a readable regular file of at most ``limit`` bytes.

    Parameters
    ----------
    path : pathlib.Path or str
        The file to read.
    within : pathlib.Path or str, optional
        The folder the file must lie inside once links are followed (the data folder);
        one that leads out of it is a :class:`RhetoricInputError`. None: no such check.
    limit : int, default :data:`MAX_INPUT_BYTES`
        The most bytes the file may have.

    Returns
    -------
    bytes
        The whole content of the file.
    """
    path = Path(path)
    if within is not None and os.path.lexists(path) and not inside(path, within):
        raise _outside(path, within, os.path.realpath(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except PermissionError:
        raise RhetoricInputError(
            f"{display_path(path)}: permission denied (make it readable)"
        ) from None
    except (FileNotFoundError, IsADirectoryError):
        raise
    except OSError as exc:
        raise RhetoricInputError(
            f"{display_path(path)}: cannot be read ({exc.strerror})"
        ) from None
    with os.fdopen(fd, "rb") as handle:
        if within is not None:  # what was opened, not what the path led to a moment ago
            opened = _opened_path(fd)
            if opened is not None and not inside(opened, within):
                raise _outside(path, within, opened)
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(fd, "is a directory", str(path))
        if not stat.S_ISREG(status.st_mode):
            kind = "a FIFO" if stat.S_ISFIFO(status.st_mode) else "a device or socket"
            raise RhetoricInputError(
                f"{display_path(path)}: is {kind}, not a regular file; only regular files are read"
            )
        size = status.st_size
        data = b"" if size > limit else handle.read(limit + 1)
    if size > limit or len(data) > limit:
        raise RhetoricInputError(
            f"{display_path(path)}: {max(size, len(data)):,} bytes is more than the {limit:,} "
            "bytes an input file may have"
        )
    return data


def _outside(path: Path, within: Path | str, target: str) -> RhetoricInputError:
    return RhetoricInputError(
        f"{display_path(path)}: leads out of {display_path(within)} (to {target}) through a "
        "symbolic link; only files inside the data folder are read (copy it in)"
    )


def _opened_path(fd: int) -> str | None:
    """The path of the file open as ``fd``, as the system knows it (Linux's
    ``/proc/self/fd``), or None where it cannot say."""
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None
    return target if target.startswith("/") and not target.endswith(" (deleted)") else None


def read_text(path: Path | str, *, within: Path | str | None = None, what: str = "a file") -> str:
    """The UTF-8 text of the regular file ``path`` (a byte-order mark dropped), as
    :func:`read_input` reads it; a missing file, a folder or text that is not UTF-8 is
    :class:`RhetoricInputError`, one line.

    Parameters
    ----------
    path : pathlib.Path or str
        The file to read (at most :data:`MAX_INPUT_BYTES` bytes).
    within : pathlib.Path or str, optional
        The folder the file must lie inside once links are followed (:func:`read_input`).
    what : str, default "a file"
        What was expected instead of a folder, for the message (``expected <what>``).

    Returns
    -------
    str
        The text (line endings as in the file).
    """
    source = display_path(path)
    try:
        return read_input(path, within=within).decode("utf-8-sig")
    except FileNotFoundError:
        raise RhetoricInputError(Problem(source, "file not found")) from None
    except IsADirectoryError:
        raise RhetoricInputError(Problem(source, f"is a directory, expected {what}")) from None
    except UnicodeDecodeError as exc:
        raise RhetoricInputError(
            f"{source}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None


def input_bytes(path: Path | str, *, within: Path | str | None = None) -> bytes:
    """The bytes of an input file for a fingerprint or a cache key: ``b""`` for a missing
    file or a folder (the checks that read it say what is wrong); refusals as
    :func:`read_input`.

    Parameters
    ----------
    path : pathlib.Path or str
        The file to read (at most :data:`MAX_INPUT_BYTES` bytes).
    within : pathlib.Path or str, optional
        The folder the file must lie inside once links are followed (:func:`read_input`).

    Returns
    -------
    bytes
        The whole content of the file; ``b""`` when it is missing or a folder.
    """
    try:
        return read_input(path, within=within)
    except (FileNotFoundError, IsADirectoryError):
        return b""
