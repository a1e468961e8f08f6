""":mod:`rhetoric.data.studyfolder`: a new study folder for one's own corpus (``rhetoric init DIR``).

The folder gets what the package ships (:data:`rhetoric.store.paths.SKELETON_DIR`):
``data/`` with the default parties.yml, themes.yml and boilerplate.yml, an
empty corpus.csv and ``raw/``; the numbered notebooks, their outputs cleared;
an empty ``figures/``; and a README saying what to do next. Inside it,
``rhetoric add``, ``validate``, ``run`` and every table command work without
``--data``.
"""

from __future__ import annotations

from pathlib import Path
import shutil

from rhetoric.data.folder import COLUMNS
from rhetoric.store import paths
from rhetoric.store.atomic import make_folder, refuse_used_folder

__all__ = ["init_study"]

README = """\
# A rhetoric study

Made by `rhetoric init`. Everything below runs in this folder, no `--data` needed.

1. Add statements (UTF-8 text files), with flags or YAML front matter:
   `rhetoric add statement.txt --date 2024-05-16 --parties RU,CN --outlet Xinhua`
2. Check the corpus: `rhetoric validate`.
3. Edit the themes in `data/themes.yml` and the party codes in `data/parties.yml`.
4. Run the study: `rhetoric run` (add `--html` for reports); the executed notebooks are in
   `notebooks/`, the figures and whole tables in `figures/`.
5. Tables on the command line: `rhetoric themes`, `terms --ngrams 1-2`, `keyness --target G`,
   `kwic trust`, `dfm --out export/`; `rhetoric --help` lists them.
"""


def _clear(source: Path, target: Path) -> None:
    """Copy a notebook without its outputs (they describe the corpus it was run on)."""
    import nbformat

    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, target)


def init_study(folder: Path | str) -> Path:
    """Make ``folder`` (new, or empty) a study folder; returns it. Raises
    :class:`RhetoricInputError` for a folder that exists and holds anything (or for a
    path that exists and is not a folder).

    Parameters
    ----------
    folder : pathlib.Path or str
        The folder to make; created with its parents if it does not exist.

    Returns
    -------
    pathlib.Path
        ``folder``, holding ``data/`` (parties.yml, themes.yml and boilerplate.yml
        copied from :data:`rhetoric.store.paths.SKELETON_DIR`, corpus.csv with only
        its header, an empty ``raw/``), ``notebooks/`` (the skeleton's notebooks,
        outputs cleared), an empty ``figures/`` and a README.md.
    """
    folder = Path(folder)
    refuse_used_folder(folder)
    return make_folder(folder, _fill)


def _fill(study: Path) -> None:
    """Write a new study folder's files into ``study`` (which must not exist)."""
    skeleton = paths.SKELETON_DIR
    data = study / "data"
    (data / paths.RAW_DIR).mkdir(parents=True)
    for name in (paths.PARTIES_FILE, paths.THEMES_FILE, paths.BOILERPLATE_FILE, paths.KINDS_FILE):
        shutil.copyfile(skeleton / name, data / name)
    (data / paths.CORPUS_FILE).write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    (study / "notebooks").mkdir()
    for notebook in sorted((skeleton / "notebooks").glob("*.ipynb")):
        _clear(notebook, study / "notebooks" / notebook.name)
    (study / "figures").mkdir()
    (study / "README.md").write_text(README, encoding="utf-8")
