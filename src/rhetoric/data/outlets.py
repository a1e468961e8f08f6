""":mod:`rhetoric.data.outlets`: one name and a type per outlet (optional ``outlets.yml``).

Outlets are written by hand in corpus.csv and front matter, so one outlet comes in
several spellings ("Reuters", "REUTERS", "Thomson Reuters"): counted as three, its
boilerplate is never seen to repeat, and "no two documents share an outlet" is
said of a corpus where ten do. ``outlets.yml`` names each outlet once, lists its
spellings, and gives it a type that analyses can group by (``--by outlet_type``)::

    outlets:
      Reuters:
        type: wire
        spellings: [REUTERS, Thomson Reuters]
      TASS:
        type: state agency
        spellings: [Tass, ТАСС]

A spelling is matched ignoring case and spacing; the outlet's own name is always one
of its spellings. Outlets not listed keep their spelling and have no type.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rhetoric.errors import RhetoricInputError, display_path
from rhetoric.store.yamlfile import load_yaml

__all__ = ["NO_OUTLETS", "Outlets", "load_outlets"]


def _key(spelling: str) -> str:
    return " ".join(spelling.casefold().split())


@dataclass(frozen=True)
class Outlets:
    """The outlets of ``outlets.yml``: name by spelling, type by name.

    Attributes
    ----------
    names : dict of str to str
        Outlet name by spelling (casefolded, spaces collapsed).
    types : dict of str to str
        Outlet type by name ("" when the file gives none).
    """

    names: dict[str, str]
    types: dict[str, str]

    def name(self, spelling: str) -> str:
        """The outlet's name for a spelling (the spelling itself when not listed).

        Parameters
        ----------
        spelling : str
            The outlet as written in corpus.csv.

        Returns
        -------
        str
            Its name in outlets.yml, or ``spelling`` with its spaces collapsed.
        """
        return self.names.get(_key(spelling), " ".join(spelling.split()))

    def type(self, name: str) -> str:
        """The type of an outlet (by name), "" when none is given.

        Parameters
        ----------
        name : str
            An outlet name (:meth:`name`).

        Returns
        -------
        str
            Its ``type`` in outlets.yml, or "".
        """
        return self.types.get(name, "")

    def names_of(self, spellings) -> tuple[str, ...]:
        """The outlet names of some spellings (a boilerplate.yml rule's ``outlets``), in
        order, each once.

        Parameters
        ----------
        spellings : iterable of str
            Outlets as written.

        Returns
        -------
        tuple of str
            Their names (:meth:`name`).
        """
        return tuple(dict.fromkeys(self.name(s) for s in spellings))


NO_OUTLETS = Outlets(names={}, types={})


def load_outlets(path: Path) -> Outlets:
    """Read outlets.yml (module docstring); no outlets when the file does not exist.

    Parameters
    ----------
    path : pathlib.Path
        The outlets.yml file.

    Returns
    -------
    Outlets
        The names by spelling and the types by name.

    Raises
    ------
    RhetoricInputError
        If the file cannot be read as YAML, has no ``outlets`` mapping, an outlet is not a
        mapping of ``type`` and ``spellings`` (a list of text), or one spelling names two
        outlets.
    """
    if not path.exists() and not path.is_symlink():
        return NO_OUTLETS
    source = display_path(path)
    data = load_yaml(path)
    entries = data.get("outlets") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise RhetoricInputError(f"{source}: expected a mapping 'outlets' of outlet names")
    names, types = {}, {}
    for name, entry in entries.items():
        line = entries.lines.get(name, 1) if hasattr(entries, "lines") else 1
        entry = entry or {}
        spellings = entry.get("spellings", []) if isinstance(entry, dict) else None
        kind = entry.get("type", "") if isinstance(entry, dict) else None
        if (not isinstance(name, str) or not name.strip() or not isinstance(spellings, list)
                or not all(isinstance(s, str) for s in spellings) or not isinstance(kind, str)):  # fmt: skip
            raise RhetoricInputError(
                f"{source}: outlet {name!r} must map to 'type' (text) and 'spellings' (a list "
                f"of text) (line {line})"
            )
        name = " ".join(name.split())
        types[name] = " ".join(kind.split())
        for spelling in [name, *spellings]:
            other = names.setdefault(_key(spelling), name)
            if other != name:
                raise RhetoricInputError(
                    f"{source}: spelling {spelling!r} is given for {other!r} and {name!r} "
                    f"(line {line})"
                )
    return Outlets(names=names, types=types)
