""":mod:`rhetoric._entry`: the console script's first code, before anything heavy is imported.

Importing this module (after :mod:`rhetoric`'s own ``__init__``, which imports
nothing) first makes SIGINT and SIGTERM end the process with one line and exit
status 130: a stop that arrives while the package and its libraries are still
importing changes nothing, so it needs no clean-up and shows no traceback.
:func:`main` imports the command line under those handlers, then hands the signals to
:func:`rhetoric.store.atomic.stop_on_signals` (a quiet :class:`KeyboardInterrupt`, so
that the command's clean-up runs; an error that follows a stop, as C code that was
importing turns it into an ``ImportError``, is reported as the stop) and,
once the command is done, gives SIGTERM back its default (the process ends at once,
its exit status already decided). Only the interpreter's own start and the console
script's first line run before these handlers.
"""

import os
import signal
import sys


def _before_start(signum, frame) -> None:
    os.write(2, b"rhetoric: interrupted before starting; nothing was changed\n")
    os._exit(130)


# Not in a worker that a process pool started by re-importing the script (spawn, as on
# macOS): there the parent's handlers decide, and one stop is one line.
if sys.argv[1:2] != ["--multiprocessing-fork"]:
    try:
        for _signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(_signum, _before_start)
    except ValueError:  # imported outside the main thread: its handlers are not ours to set
        pass

from rhetoric.store.atomic import interrupted, stop_on_signals  # after the handlers, on purpose


def main() -> int:
    try:  # under the handlers above: a stop while the libraries import ends the process at once
        from rhetoric.cli.app import main as cli_main
    except KeyboardInterrupt:  # a pool's worker, where those handlers were not set
        print("rhetoric: interrupted before starting; nothing was changed", file=sys.stderr)
        return 130
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # what stop_on_signals restores after
        with stop_on_signals():
            return cli_main()
    except KeyboardInterrupt:  # after the command's own handler returned, or while leaving
        print("rhetoric: interrupted", file=sys.stderr)
        return 130
    except Exception:
        if not interrupted():
            raise
        print("rhetoric: interrupted", file=sys.stderr)  # the stop, echoed by C code
        return 130
