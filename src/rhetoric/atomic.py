""":mod:`rhetoric.atomic`: interrupts and all-or-nothing file writes, in one place.

Every command that writes files (``rhetoric add``, ``rhetoric run``, the
cache, saving figures) uses these:

- :func:`stop_on_signals`: SIGINT and SIGTERM raise :class:`KeyboardInterrupt`,
  so that clean-up code (``finally`` blocks) runs on either;
- :func:`signals_deferred`: inside the block the two signals are only
  recorded, and act (as :class:`KeyboardInterrupt`) once the block is done,
  so that a stop never lands between writing a file and recording it;
- :func:`write_temp` and :func:`write_atomic`: a file is written under a
  temporary name in its target folder and renamed into place, so that a
  reader never sees half a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import contextlib
import os
from pathlib import Path
import signal
import tempfile
import threading

__all__ = [
    "TEMP_PREFIX",
    "signal_handler",
    "signals_deferred",
    "stop_on_signals",
    "write_atomic",
    "write_temp",
]

#: Temporary files start with this (git-ignored; see .gitignore).
TEMP_PREFIX = ".rhetoric-"
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def signal_handler(handler: Callable) -> Iterator[None]:
    """Run ``handler(signum, frame)`` on SIGINT and SIGTERM inside the block, then restore.

    Only the main thread can set handlers; elsewhere the block runs unchanged.
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


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def stop_on_signals() -> contextlib.AbstractContextManager:
    """SIGINT and SIGTERM both raise :class:`KeyboardInterrupt` inside the block."""
    return signal_handler(_interrupt)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the block runs; raise :class:`KeyboardInterrupt` after it.

    (Blocking with ``pthread_sigmask`` is not enough: it covers only the calling
    thread, and a process-directed signal can be delivered to a library's
    worker thread, after which Python runs the handler in the main thread all
    the same.)
    """
    received: list[int] = []
    with signal_handler(lambda signum, frame: received.append(signum)):
        yield
    if received:
        raise KeyboardInterrupt


def write_temp(directory: Path, data: bytes, *, sync: bool = False) -> Path:
    """Write ``data`` to a new temporary file in ``directory`` (mode as the umask allows).

    ``sync``: flush it to disk before returning (for files that are the only copy).
    The caller renames or removes it; on any failure here nothing is left behind.
    """
    fd, name = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader sees the old file or the new one."""
    temp = write_temp(path.parent, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
