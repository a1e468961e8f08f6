""":mod:`rhetoric._entry`: the console script's first code, before anything heavy is imported.

SIGINT and SIGTERM become a quiet stop from the very start, so an interrupt
that arrives while pandas and friends are still importing prints one line,
not a traceback.
"""

from __future__ import annotations

import signal
import sys


def _stop(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)
    try:
        from rhetoric.cli import main as cli_main
    except KeyboardInterrupt:
        print("rhetoric: interrupted before starting; nothing was changed", file=sys.stderr)
        return 130
    try:
        return cli_main()
    except KeyboardInterrupt:  # arrived after the command's own handler returned
        print("rhetoric: interrupted", file=sys.stderr)
        return 130
