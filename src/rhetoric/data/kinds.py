""":mod:`rhetoric.data.kinds`: the kinds of document, as primary texts and their coverage.

A corpus of diplomatic framing holds two sorts of text. **Primary texts** are the
texts whose framing is studied: what the parties themselves issued or said (a
joint statement, a communiqué, a speech). **Coverage** is written about them
(a news article, an opinion piece, a press release about a statement). The
difference decides three things:

- a primary text is never a reprint of coverage, nor coverage of a primary text:
  coverage that reproduces a statement is *reuse* (:mod:`rhetoric.measures.reuse`),
  and the statement never loses its place to the article that quotes it;
- reuse looks for passages of primary texts in coverage;
- events (a primary text and the coverage it received) are built around primary texts.

The groups are read from the data folder's ``kinds.yml`` (:func:`load_kinds`), or
are :data:`DEFAULT_KINDS` when it has none. Each kind named there is a value
corpus.csv's ``kind`` column may take::

    primary:
      joint_statement: a statement the parties issued together
      speech: a leader's speech
    coverage:
      news_article: a news report
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re

from rhetoric.errors import RhetoricInputError, display_path
from rhetoric.store.yamlfile import LineDict, load_yaml

__all__ = ["DEFAULT_KINDS", "KIND_PATTERN", "Kinds", "load_kinds"]

#: A kind: lowercase letters, digits and single underscores, a letter first.
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_GROUPS = ("primary", "coverage")


@dataclass(frozen=True)
class Kinds:
    """The kinds of document a corpus may hold, in two groups (module docstring).

    Attributes
    ----------
    primary : tuple of str
        Kinds of the texts whose framing is studied, in the file's order.
    coverage : tuple of str
        Kinds of the texts written about them.
    """

    primary: tuple[str, ...]
    coverage: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        """Every kind: the primary ones, then coverage."""
        return (*self.primary, *self.coverage)

    def is_primary(self, kind: str) -> bool:
        """Whether ``kind`` is a primary text's.

        Parameters
        ----------
        kind : str
            A value of corpus.csv's ``kind`` column.

        Returns
        -------
        bool
            True for a kind of :attr:`primary`; False otherwise (coverage, or unknown).
        """
        return kind in self.primary


#: The groups when a data folder has no kinds.yml.
DEFAULT_KINDS = Kinds(
    primary=("joint_statement", "communique", "declaration", "treaty", "press_statement",
             "speech", "interview"),
    coverage=("news_article", "opinion", "press_release", "other"),
)  # fmt: skip


def load_kinds(path: Path) -> Kinds:
    """Read kinds.yml: ``primary`` and ``coverage``, each a list of kinds or a mapping of
    kind to a description; :data:`DEFAULT_KINDS` when the file does not exist.

    Parameters
    ----------
    path : pathlib.Path
        The kinds.yml file.

    Returns
    -------
    Kinds
        The kinds of each group, in the file's order.

    Raises
    ------
    RhetoricInputError
        If the file cannot be read as YAML, is not a mapping of the two groups, a
        group is not a list or mapping of kinds, a kind is not lowercase letters,
        digits and ``_``, or a kind is given twice (in one group or both).
    """
    if not path.exists() and not path.is_symlink():
        return DEFAULT_KINDS
    source = display_path(path)
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) - set(_GROUPS) or not data:
        raise RhetoricInputError(
            f"{source}: expected a mapping with 'primary' and 'coverage', each a list of kinds "
            "(see data/README.md)"
        )
    groups: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for group in _GROUPS:
        entries = data.get(group) or []
        line = data.lines.get(group, 1) if isinstance(data, LineDict) else 1
        if not isinstance(entries, list | dict):
            raise RhetoricInputError(f"{source}: '{group}' must be a list of kinds (line {line})")
        kinds = [str(kind) if isinstance(kind, str) else kind for kind in entries]
        for kind in kinds:
            if not isinstance(kind, str) or not KIND_PATTERN.match(kind):
                raise RhetoricInputError(
                    f"{source}: kind {kind!r} in '{group}' must be lowercase letters, digits and "
                    f"single '_', a letter first (line {line})"
                )
            if kind in seen:
                raise RhetoricInputError(
                    f"{source}: kind {kind!r} is given twice; each kind is primary or coverage, "
                    f"not both (line {line})"
                )
            seen.add(kind)
        groups[group] = tuple(kinds)
    if not seen:
        raise RhetoricInputError(f"{source}: no kind at all; list the kinds of your documents")
    return Kinds(primary=groups["primary"], coverage=groups["coverage"])
