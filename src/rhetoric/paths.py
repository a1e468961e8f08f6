""":mod:`rhetoric.paths`: path constants, and nothing else.

``PROJECT_ROOT`` is the checkout the package was installed from (editable
install). Notebooks build their paths from it, so they run the same whatever
the working directory of the tool that executes them.
"""

from __future__ import annotations

from functools import lru_cache
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

#: Environment variable: ``1`` has :func:`rhetoric.figures.save_figure` draw the PDF and SVG
#: in a forked process (set by :func:`rhetoric.notebooks.run_study` for its kernels).
BACKGROUND_FIGURES_ENV = "RHETORIC_BACKGROUND_FIGURES"


def default_data_dir() -> Path:
    """The data directory used when no ``--data`` is given.

    ``$RHETORIC_DATA`` if set, else the project's ``data/``.
    """
    return Path(os.environ.get("RHETORIC_DATA", DATA_DIR))


def cache_dir() -> Path:
    """Where derived data (token tables) is cached: ``$RHETORIC_CACHE`` or ``.cache/`` in the project.

    The folder is git-ignored; deleting it only costs time.
    """
    env = os.environ.get("RHETORIC_CACHE")
    if env:
        return Path(env)
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / ".cache" / "rhetoric"
    return Path.home() / ".cache" / "rhetoric"


@lru_cache(maxsize=16)
def source_fingerprint(*modules: str) -> str:
    """sha256 of the source files of ``rhetoric`` modules (e.g. ``"tokens"``), for cache keys.

    A cache entry made by other code is never served: editing the code that
    produced it changes the key, whether or not a version constant was bumped.
    """
    import hashlib

    digest = hashlib.sha256()
    for name in modules:
        digest.update(name.encode() + b"\0" + (PACKAGE_DIR / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]
