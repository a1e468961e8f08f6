""":mod:`rhetoric.paths`: path constants, and nothing else.

``PROJECT_ROOT`` is the checkout the package was installed from (editable
install). Notebooks build their paths from it, so they run the same whatever
the working directory of the tool that executes them.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]

DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
FIGURES_DIR = PROJECT_ROOT / "figures"
REPORTS_DIR = PROJECT_ROOT / "reports"

# Names inside a data directory (see data/README.md).
CORPUS_FILE = "corpus.csv"
THEMES_FILE = "themes.yml"
BOILERPLATE_FILE = "boilerplate.yml"
PARTIES_FILE = "parties.yml"
RAW_DIR = "raw"


def default_data_dir() -> Path:
    """The data directory used when no ``--data`` is given.

    ``$RHETORIC_DATA`` if set, else the project's ``data/``.
    """
    return Path(os.environ.get("RHETORIC_DATA", DATA_DIR))


def cache_dir() -> Path:
    """Where derived data is cached (:mod:`rhetoric.cache`): ``$RHETORIC_CACHE``, else
    ``.cache/rhetoric`` in the project (git-ignored). Deleting it only costs time.
    """
    env = os.environ.get("RHETORIC_CACHE")
    if env:
        return Path(env)
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / ".cache" / "rhetoric"
    return Path.home() / ".cache" / "rhetoric"
