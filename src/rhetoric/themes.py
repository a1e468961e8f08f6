""":mod:`rhetoric.themes`: theme lexicons (themes.yml) and matching them in tokens.

A theme is an id, a label, a one-line description and its terms. A term is a
word (``trust``), a multi-word phrase (``mutual trust``) or a prefix glob
(``cooperat*``); a glob may stand inside a phrase (``reliable partner*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re

from rhetoric.errors import RhetoricInputError, display_path
from rhetoric.yamlfile import LineDict, LineList, load_yaml

__all__ = ["Theme", "check_themes", "load_themes"]

THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Letters, digits, spaces, hyphens, apostrophes and dots (U.S.), and '*' ending a word.
TERM_CHARS = re.compile(r"^[\w\s'’.\-]*\*?(?:\s+[\w'’.\-]+\*?)*$")
REGEX_HINT = re.compile(r"[|()\[\]{}+?^$\\]|\.\*")


@dataclass(frozen=True)
class Theme:
    """One theme lexicon: ``id``, ``label``, ``description`` and its ``terms`` as written."""

    id: str
    label: str
    description: str
    terms: tuple[str, ...]


def _term_problem(term: object) -> str | None:
    """Why ``term`` is not a usable term, or None."""
    if not isinstance(term, str) or not term.strip():
        return "a term must be a non-empty word or phrase"
    text = " ".join(term.split()).lower()
    if REGEX_HINT.search(text):
        return (
            f"term {term!r} looks like a regular expression; terms are words, phrases "
            "or prefix globs such as 'cooperat*'"
        )
    if not re.search(r"\w", text):
        return f"term {term!r} has no letters or digits"
    if not TERM_CHARS.match(text) or any("*" in w[:-1] or w == "*" for w in text.split()):
        return (
            f"term {term!r} may hold only letters, digits, hyphens, apostrophes "
            "and a '*' at the end of a word"
        )
    return None


def check_themes(path: Path) -> tuple[tuple[Theme, ...], list[str]]:
    """Read themes.yml and list every problem, one line each with its line number.

    Returns the themes that are well formed (in file order) and the problems:
    not a mapping, a bad theme id, a missing label or description, an unknown
    key, a theme with no terms, an empty, punctuation-only, regex-like or
    duplicate term. A duplicate theme id is reported by the YAML reader.
    """
    source = display_path(path)
    try:
        data = load_yaml(path)
    except RhetoricInputError as exc:
        return (), [str(exc)]
    if data is None:
        return (), [f"{source}: file is empty; it must list at least one theme"]
    if not isinstance(data, LineDict):
        line = getattr(data, "line", 1)
        return (), [f"{source}: expected a mapping of theme ids to themes (line {line})"]
    themes, problems = [], []
    for theme_id, body in data.items():
        line = data.lines[theme_id]
        where = f"{source}: theme {theme_id!r}"
        found = len(problems)
        if not isinstance(theme_id, str) or not THEME_ID.match(theme_id):
            problems.append(
                f"{where}: an id must be lowercase letters, digits and '_' (line {line})"
            )
        if not isinstance(body, LineDict):
            problems.append(f"{where} must have label, description and terms (line {line})")
            continue
        for key in ("label", "description"):
            if not isinstance(body.get(key), str) or not body[key].strip():
                problems.append(f"{where} has no {key} (line {line})")
        for key in sorted(set(body) - {"label", "description", "terms"}, key=str):
            problems.append(
                f"{where}: unknown key {key!r}; expected label, description, terms "
                f"(line {body.lines[key]})"
            )
        terms = body.get("terms")
        if not isinstance(terms, LineList) or not terms:
            problems.append(f"{where} has no terms (line {line})")
            continue
        seen: dict[str, int] = {}
        for term, term_line in zip(terms, terms.lines, strict=True):
            problem = _term_problem(term)
            if problem:
                problems.append(f"{where}: {problem} (line {term_line})")
                continue
            text = " ".join(term.split()).lower()
            if text in seen:
                problems.append(
                    f"{where}: term {text!r} is listed twice (lines {seen[text]} and {term_line})"
                )
            seen[text] = term_line
        if len(problems) == found:
            themes.append(
                Theme(
                    id=theme_id,
                    label=body["label"].strip(),
                    description=" ".join(body["description"].split()),
                    terms=tuple(seen),
                )
            )
    return tuple(themes), problems


def load_themes(path: Path) -> tuple[Theme, ...]:
    """Read themes.yml; raise :class:`RhetoricInputError` on its first problem.

    See :func:`check_themes` for what is checked.
    """
    themes, problems = check_themes(path)
    if problems:
        more = (
            f" (and {len(problems) - 1} more; run `rhetoric validate`)"
            if len(problems) > 1
            else ""
        )
        raise RhetoricInputError(problems[0] + more)
    if not themes:
        raise RhetoricInputError(f"{display_path(path)}: no themes defined")
    return themes
