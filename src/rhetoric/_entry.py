""":mod:`rhetoric._entry`: the console script's first code, before anything heavy is imported.

The first two statements that run make SIGINT and SIGTERM end the process with one
line and exit status 130, nothing else imported yet: a stop that arrives while the
package and its libraries are still importing changes nothing, so it needs no clean-up
and shows no traceback. :func:`main` then hands the signals to
:func:`rhetoric.store.atomic.stop_on_signals` (a quiet :class:`KeyboardInterrupt`, so
that the command's clean-up runs). Before these lines, only the interpreter's own
start and the console script's first import are Python's.
"""

import os
import signal


def _before_start(signum, frame) -> None:
    os.write(2, b"rhetoric: interrupted before starting; nothing was changed\n")
    os._exit(130)


try:
    for _signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(_signum, _before_start)
except ValueError:  # imported outside the main thread: its handlers are not ours to set
    pass

import sys  # after the handlers, on purpose

from rhetoric.store.atomic import stop_on_signals


def main() -> int:
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        with stop_on_signals():
            try:
                from rhetoric.cli.app import main as cli_main
            except KeyboardInterrupt:
                print("rhetoric: interrupted before starting; nothing was changed",
                      file=sys.stderr)  # fmt: skip
                return 130
            return cli_main()
    except KeyboardInterrupt:  # after the command's own handler returned, or while leaving
        print("rhetoric: interrupted", file=sys.stderr)
        return 130
