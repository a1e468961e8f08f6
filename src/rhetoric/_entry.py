""":mod:`rhetoric._entry`: the console script's first code, before anything heavy is imported.

SIGINT and SIGTERM become a quiet stop from the very start
(:func:`rhetoric.atomic.stop_on_signals`), so an interrupt that arrives while
pandas and friends are still importing prints one line, not a traceback.
"""

from __future__ import annotations

import sys

from rhetoric.atomic import stop_on_signals


def main() -> int:
    try:
        with stop_on_signals():
            try:
                from rhetoric.cli import main as cli_main
            except KeyboardInterrupt:
                print("rhetoric: interrupted before starting; nothing was changed",
                      file=sys.stderr)  # fmt: skip
                return 130
            return cli_main()
    except KeyboardInterrupt:  # after the command's own handler returned, or while leaving
        print("rhetoric: interrupted", file=sys.stderr)
        return 130
