"""Shared fixtures: a private copy of the bundled data, and a tree digest to prove nothing changed."""

from __future__ import annotations

import hashlib
from pathlib import Path
import shutil

import pytest

from rhetoric import paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own token cache, so tests never share or pollute one."""
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the project's data/ (corpus.csv, raw/, YAML files) to change freely."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder``, by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
