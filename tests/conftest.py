"""Shared fixtures: a private copy of the bundled data, and a tree digest to prove nothing changed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
import shutil
import sys

import pytest

from rhetoric.store import paths
from rhetoric.store.atomic import LOCK_NAME

ROOT = Path(__file__).resolve().parents[1]
OFFLINE = Path(__file__).resolve().parent / "offline"

# The offline guard (tests/offline/sitecustomize.py): in this process, and through
# PYTHONPATH in every Python subprocess the tests start, kernels included.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(OFFLINE), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
)
sys.path.insert(0, str(OFFLINE))
import sitecustomize  # noqa: F401  (installs the guard here too)


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
    """sha256 of every file below ``folder``, by relative path (the empty lock files that
    commands leave, :data:`rhetoric.store.atomic.LOCK_NAME`, left out)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


TOY_THEMES = """\
trust:
  label: Trust
  description: Trust between the parties.
  terms: [trust, mutual trust]
partnership:
  label: Partnership
  description: The relationship as a partnership.
  terms: [partnership, partner*]
empty_theme:
  label: Never used
  description: A theme with no hits in the toy corpus.
  terms: [hegemony]
"""


def make_data_dir(
    folder: Path, statements: list[tuple[str, str, str]], themes: str = TOY_THEMES
) -> Path:
    """A data directory holding ``statements`` as (text, date, parties) and toy themes."""
    from rhetoric.data.folder import add_statements

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "raw").mkdir(exist_ok=True)
    (folder / "corpus.csv").write_text(
        "id,file,title,date,parties,kind,outlet,url,language,sha256\n", encoding="utf-8"
    )
    shutil.copy(paths.DATA_DIR / "parties.yml", folder / "parties.yml")
    (folder / "themes.yml").write_text(themes, encoding="utf-8")
    (folder / "boilerplate.yml").write_text("rules: []\n", encoding="utf-8")
    sources = folder.parent / f"{folder.name}-sources"
    sources.mkdir(exist_ok=True)
    for number, (text, date, parties) in enumerate(statements):
        source = sources / f"s{number}.txt"
        source.write_text(text, encoding="utf-8")
        add_statements(
            [source],
            data_dir=folder,
            date=date,
            parties=parties,
            title=f"Toy {number}",
            id=f"toy-{number}",
        )
    return folder


TOY_STATEMENTS = [
    # 10 word tokens, 2 sentences, 4 quoted ("we trust our partners")
    ('Leaders met. They said "we trust our partners" in Moscow.', "2010-01-01", "US,RU"),
    # 8 word tokens, 1 sentence, no quotes
    ("Mutual trust and partnership grew between both sides.", "2020-01-01", "US,RU"),
    # 5 word tokens, 2 sentences
    ("No trust. Only partnership remains.", "2025-01-01", "RU,CN"),
]


@pytest.fixture
def toy_data(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path / "toy", TOY_STATEMENTS)


def write_notebook(path: Path, *sources: str) -> Path:
    """A notebook (kernel python3) with a title cell and one code cell per source; ids c0, c1, ..."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(
        cells=[new_markdown_cell("# 99 · Test")] + [new_code_cell(s) for s in sources]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i}"
    nbformat.write(nb, path)
    return path


def parsed_imports(source: str) -> set[str]:
    """The rhetoric modules and names a source imports, by Python's own parser."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {m for m in found if m == "rhetoric" or m.startswith("rhetoric.")}
