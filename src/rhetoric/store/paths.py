""":mod:`rhetoric.store.paths`: where the study's folders are.

A *study folder* holds ``data/`` (with ``corpus.csv``), ``notebooks/`` and
``figures/``: this checkout is one, and ``rhetoric init DIR`` makes others.
Commands work in :func:`study_dir`: ``$RHETORIC_STUDY``, else the working
directory or its nearest parent that is a study folder, else the checkout the
package runs from (an editable install). ``PROJECT_ROOT`` is that checkout;
:data:`SKELETON_DIR`, inside the package, holds what a new study folder starts
from (the default YAML files and the notebooks).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/rhetoric (this file is in store/)
PROJECT_ROOT = PACKAGE_DIR.parents[1]
SKELETON_DIR = PACKAGE_DIR / "skeleton"

DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
FIGURES_DIR = PROJECT_ROOT / "figures"
REPORTS_DIR = PROJECT_ROOT / "reports"

# Names inside a data directory (see data/README.md).
CORPUS_FILE = "corpus.csv"
THEMES_FILE = "themes.yml"
BOILERPLATE_FILE = "boilerplate.yml"
PARTIES_FILE = "parties.yml"
KINDS_FILE = "kinds.yml"
OUTLETS_FILE = "outlets.yml"
RAW_DIR = "raw"


def is_study(folder: Path) -> bool:
    """Whether ``folder`` is a study folder (``data/corpus.csv`` and ``notebooks/``)."""
    return (folder / "data" / CORPUS_FILE).is_file() and (folder / "notebooks").is_dir()


def study_dir() -> Path | None:
    """The study folder commands work in (module docstring); None outside any."""
    if os.environ.get("RHETORIC_STUDY"):
        return Path(os.environ["RHETORIC_STUDY"])
    here = Path.cwd()
    for folder in (here, *here.parents):
        if is_study(folder):
            return folder
    if (PROJECT_ROOT / "pyproject.toml").is_file() and is_study(PROJECT_ROOT):
        return PROJECT_ROOT
    return None


def study_path(name: str) -> Path:
    """``name`` (``notebooks``, ``figures``) in the study folder; outside any, in the checkout."""
    study = study_dir()
    return (study if study is not None else PROJECT_ROOT) / name


def default_data_dir() -> Path:
    """The data directory used when no ``--data`` is given.

    ``$RHETORIC_DATA`` if set, else the study folder's ``data/`` (outside any study
    folder: ``data`` in the working directory, which says what is missing).
    """
    if os.environ.get("RHETORIC_DATA"):
        return Path(os.environ["RHETORIC_DATA"])
    study = study_dir()
    return study / "data" if study is not None else Path("data")


def cache_dir() -> Path:
    """Where derived data is cached (:mod:`rhetoric.store.cache`): ``$RHETORIC_CACHE``, else
    ``.cache/rhetoric`` in the project (git-ignored). Deleting it only costs time.
    """
    env = os.environ.get("RHETORIC_CACHE")
    if env:
        return Path(env)
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / ".cache" / "rhetoric"
    return Path.home() / ".cache" / "rhetoric"
