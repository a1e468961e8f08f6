""":mod:`rhetoric.cli`: the ``rhetoric`` command (:func:`main`).

The top layer: parses options, calls the package, prints tables. Nothing
imports it but the console script (:mod:`rhetoric._entry`).
"""

from rhetoric.cli.app import main

__all__ = ["main"]
