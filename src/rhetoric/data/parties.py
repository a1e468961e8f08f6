""":mod:`rhetoric.data.parties`: party codes, their names, and dyad ids and labels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re

from rhetoric.errors import RhetoricInputError, display_path
from rhetoric.store.yamlfile import LineDict, load_yaml

__all__ = ["Parties", "dyad_of", "load_parties"]

PARTY_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


@dataclass(frozen=True)
class Parties:
    """Party code -> full name and short (chart) name, and explicit dyad labels."""

    names: dict[str, str]
    short: dict[str, str]
    dyad_labels: dict[str, str]

    def label(self, dyad: str) -> str:
        """Chart label of a dyad id (``"RU-US"`` -> ``"US–Russia"``).

        From the ``dyads`` section of parties.yml when listed there, else the
        short names in code order joined with an en dash.

        Parameters
        ----------
        dyad : str
            A dyad id: party codes joined with ``-`` (:func:`dyad_of`).

        Returns
        -------
        str
            The label; a code with no entry in parties.yml stands for itself.
        """
        if dyad in self.dyad_labels:
            return self.dyad_labels[dyad]
        return "–".join(self.short.get(code, code) for code in dyad.split("-"))


def dyad_of(parties: list[str] | tuple[str, ...]) -> str:
    """The dyad id of a statement: its party codes sorted and joined with ``-``.

    A statement with one party has a one-code "dyad" (``US``), one with three
    parties a three-code one (``CN-IN-RU``).

    Parameters
    ----------
    parties : list or tuple of str
        The statement's party codes, in any order.

    Returns
    -------
    str
        The codes sorted and joined with ``-`` (``["US", "RU"]`` -> ``"RU-US"``).
    """
    return "-".join(sorted(parties))


def load_parties(path: Path) -> Parties:
    """Read parties.yml: ``parties: {CODE: {name, short}}`` and optional ``dyads: {ID: label}``.

    A party's entry may also be its name alone (``US: United States``).

    Parameters
    ----------
    path : pathlib.Path
        The parties.yml file.

    Returns
    -------
    Parties
        ``names`` (code -> full name), ``short`` (code -> short name, the full name
        when none is given) and ``dyad_labels`` (dyad id -> label, as given).

    Raises
    ------
    RhetoricInputError
        If the file is missing or cannot be read as YAML, has no ``parties`` mapping,
        a code is not 2-10 capital letters or digits (a letter first), a party has no
        ``name``, ``dyads`` is not a mapping, or a dyad id is not known codes in
        alphabetical order joined with ``-``.
    """
    source = display_path(path)
    data = load_yaml(path)
    if not isinstance(data, LineDict) or "parties" not in data:
        raise RhetoricInputError(
            f"{source}: expected a mapping with a 'parties' section (see data/README.md)"
        )
    entries = data["parties"]
    if not isinstance(entries, LineDict) or not entries:
        raise RhetoricInputError(
            f"{source}: 'parties' must map codes to names (line {data.lines['parties']})"
        )
    names, short = {}, {}
    for code, entry in entries.items():
        line = entries.lines[code]
        if not isinstance(code, str) or not PARTY_CODE.match(code):
            raise RhetoricInputError(
                f"{source}: party code {code!r} must be 2-10 capital letters or digits (line {line})"
            )
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise RhetoricInputError(f"{source}: party {code} needs a 'name' (line {line})")
        names[code] = entry["name"]
        short[code] = str(entry.get("short") or entry["name"])
    labels = data.get("dyads") or {}
    if not isinstance(labels, dict):
        raise RhetoricInputError(
            f"{source}: 'dyads' must map dyad ids to labels (line {data.lines['dyads']})"
        )
    for dyad in labels:
        unknown = [c for c in str(dyad).split("-") if c not in names]
        if unknown or dyad != dyad_of(str(dyad).split("-")):
            raise RhetoricInputError(
                f"{source}: dyad {dyad!r} must be known party codes in alphabetical order, "
                f"joined with '-' (line {labels.lines[dyad]})"
            )
    return Parties(
        names=names, short=short, dyad_labels={str(k): str(v) for k, v in labels.items()}
    )
