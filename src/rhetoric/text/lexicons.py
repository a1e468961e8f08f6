""":mod:`rhetoric.text.lexicons`: dictionaries of other tools in and out of themes.yml.

- **quanteda** YAML dictionaries (``quanteda::dictionary(file = ...)``): each key
  (nested keys joined with ``.``, as quanteda flattens them) becomes a theme;
  values are quanteda's globs on word forms, case ignored, so a value without a
  wildcard becomes an ``exact:`` term, one with ``*`` or ``?`` a ``glob:`` term,
  and a multi-word value a phrase.
- **LIWC** dictionaries, ``.dic`` (LIWC2001–2015: category numbers between ``%``
  lines, then one word per line with its category numbers) and ``.dicx``
  (LIWC-22: a CSV with a ``DicTerm`` column and an ``X`` under each category of
  the word): each category becomes a theme; a word is an ``exact:`` term, a word
  with ``*`` (LIWC: any ending) a ``glob:`` term.

What a theme cannot express (a conditional LIWC category such as
``(02 134)125/464``, an entry without letters such as an emoticon, a key without
values) is refused with one :class:`~rhetoric.errors.Problem` per entry.

Export writes themes as a quanteda YAML dictionary (``valuetype = "glob"``):
``exact:`` and ``glob:`` terms as they are; a stem term as written plus every
form it matched in a corpus (quanteda has no stems); a ``regex:`` term is
refused, since one quanteda dictionary has one value type.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
import re
from typing import Literal

import pandas as pd

from rhetoric.errors import Problem, RhetoricInputError, display_path
from rhetoric.store.inputs import read_text
from rhetoric.store.yamlfile import LineDict, LineList, parse_yaml
from rhetoric.text.themes import (
    Theme,
    check_theme_data,
    compile_term,
    normal_term,
    term_kind,
    term_problem,
)

__all__ = [
    "FORMATS",
    "dictionary_format",
    "export_note",
    "import_dictionary",
    "import_note",
    "quanteda_yaml",
    "themes_yaml",
]

Format = Literal["quanteda", "liwc"]
FORMATS = ("quanteda", "liwc")
_NAMES = {"quanteda": "quanteda", "liwc": "LIWC"}
_SUFFIXES = {".yml": "quanteda", ".yaml": "quanteda", ".dic": "liwc", ".dicx": "liwc"}
_MATCHING = {
    "quanteda": "quanteda's glob matching (word forms, case ignored; '*' any letters, '?' one)",
    "liwc": "LIWC's matching (word forms, case ignored; '*' ending a word: any ending)",
}


def dictionary_format(path: Path, given: str | None) -> Format:
    """The format named, or the one its file name ends with (.yml/.yaml, .dic/.dicx).

    Parameters
    ----------
    path : pathlib.Path
        The dictionary file; only its suffix is read (case ignored).
    given : str or None
        The format asked for, ``"quanteda"`` or ``"liwc"``; None: tell it from
        ``path``.

    Returns
    -------
    str
        ``"quanteda"`` (``.yml``, ``.yaml``) or ``"liwc"`` (``.dic``, ``.dicx``), or
        ``given``.

    Raises
    ------
    RhetoricInputError
        When ``given`` is another format, or is None and the suffix is none of these.
    """
    if given is not None:
        if given not in FORMATS:
            raise RhetoricInputError(f"format={given!r}: use one of {', '.join(FORMATS)}")
        return given  # type: ignore[return-value]
    found = _SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise RhetoricInputError(
            f"{display_path(path)}: cannot tell the dictionary's format from its name; "
            "give format='quanteda' or format='liwc'"
        )
    return found  # type: ignore[return-value]


def import_dictionary(
    path: Path | str, *, format: Format | None = None
) -> tuple[tuple[Theme, ...], list[Problem]]:
    """Read a quanteda or LIWC dictionary as themes.

    Returns the themes (in the file's order; ids made from the keys or
    category names: lowercase, ``_`` for other characters, ``_2`` ... where
    two would be the same) and one problem per entry a theme cannot express.
    Raises :class:`RhetoricInputError` when the file cannot be read at all.

    Parameters
    ----------
    path : pathlib.Path or str
        A quanteda YAML dictionary or a LIWC one; a LIWC file whose name ends with
        ``.dicx`` is read as LIWC-22's CSV, any other as ``.dic``.
    format : {"quanteda", "liwc"} or None, default None
        The dictionary's format; None: told from the file name
        (:func:`dictionary_format`).

    Returns
    -------
    themes : tuple of Theme
        One per key or category with a usable value: ``id`` as above (prefixed
        ``theme_`` when it would not start with a letter), ``label`` the key or
        category name, ``description`` naming the file, the key and how its terms
        match, ``terms`` the ``exact:`` and ``glob:`` terms (normalised,
        :func:`rhetoric.text.themes.normal_term`; each once).
    problems : list of Problem
        One per entry refused and per key or category left without a usable value,
        sorted by line.
    """
    path = Path(path)
    chosen = dictionary_format(path, format)
    source = display_path(path)
    text = read_text(path, what="a dictionary file")
    if chosen == "quanteda":
        entries, problems = _quanteda_entries(parse_yaml(text, source=source), source)
    elif path.suffix.lower() == ".dicx":
        entries, problems = _dicx_entries(text, source)
    else:
        entries, problems = _dic_entries(text, source)
    themes, more = _themes_of(entries, source, path.name, chosen)
    return themes, sorted(problems + more, key=lambda problem: problem.line or 0)


# -- quanteda ------------------------------------------------------------------------


def _quanteda_entries(data: object, source: str):
    """(key path, [(value, line)], line) per key that holds values, and the problems."""
    if not isinstance(data, LineDict) or not data:
        line = getattr(data, "line", 1) or 1
        return [], [Problem(source, f"expected a mapping of keys to values (line {line})", line)]
    entries: list = []
    problems: list[Problem] = []

    def walk(node, path: list[str], line: int) -> None:
        where = ".".join(path)
        if isinstance(node, LineDict):
            for key, child in node.items():
                walk(child, [*path, str(key)], node.lines[key])
            return
        if node is None:
            items, lines = [], []
        elif isinstance(node, LineList):
            items, lines = node, node.lines
        else:
            items, lines = [node], [line]
        values: list[tuple[str, int]] = []
        for item, item_line in zip(items, lines, strict=True):
            if isinstance(item, LineDict):  # a list may hold the next level's keys too
                walk(item, path, item_line)
            elif isinstance(item, str | int) and not isinstance(item, bool):
                values.append((str(item), item_line))
            else:
                message = f"key {where!r}: {item!r} is not a word or pattern (line {item_line})"
                problems.append(Problem(source, message, item_line))
        if values:
            entries.append((where, values, line))
        elif not items:
            problems.append(Problem(source, f"key {where!r} has no values (line {line})", line))

    for key, value in data.items():
        walk(value, [str(key)], data.lines[key])
    return entries, problems


# -- LIWC --------------------------------------------------------------------------


def _dic_categories(lines: list[str], source: str):
    """The header of a .dic file: {number: name}, the index of its first entry line."""
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        raise RhetoricInputError(
            f"{source}: not a LIWC .dic file (expected the categories between two '%' lines)"
        )
    categories: dict[str, tuple[str, int]] = {}
    for i in range(marks[0] + 1, marks[1]):
        parts = lines[i].split()
        if not parts:
            continue
        if len(parts) < 2 or _number(parts[0]) is None:
            raise RhetoricInputError(
                f"{source}: line {i + 1}: expected a category number (digits 0-9, at most "
                f"{_MAX_DIGITS}) and a name, found {lines[i].strip()[:80]!r}"
            )
        categories[_number(parts[0])] = (parts[1], i + 1)
    return categories, marks[1] + 1


#: A category field of a .dic entry: a number, or a conditional one such as (02 134)125/464.
_DIC_FIELD = re.compile(r"\([^)]*\)\S*|\S+")
_MAX_DIGITS = 9


def _number(text: str) -> str | None:
    """A LIWC category number as its canonical text (``"02"`` -> ``"2"``), or None for
    anything but 1 to 9 ASCII digits (``"²"`` or ``"١"`` are digits to Python, not numbers
    here)."""
    return str(int(text)) if re.fullmatch(rf"[0-9]{{1,{_MAX_DIGITS}}}", text) else None


def _dic_line(line: str) -> tuple[str, list[str]]:
    """An entry line's word (a phrase may hold spaces) and its category fields."""
    if "\t" in line:
        word, _tab, rest = line.partition("\t")
    else:  # spaces only: the word is what comes before the first number
        pieces = line.split()
        fields = (
            k for k in range(1, len(pieces)) if pieces[k][0].isdigit() or pieces[k][0] == "("
        )
        cut = next(fields, len(pieces))
        word, rest = " ".join(pieces[:cut]), " ".join(pieces[cut:])
    return word.strip(), _DIC_FIELD.findall(rest)


def _dic_entries(text: str, source: str):
    # lines end at \n (or \r\n, \r) only: a value holding U+2028 or U+0085 stays one value,
    # whose term is then refused, rather than two lines (line numbers stay the editor's)
    lines = re.split(r"\r\n|\r|\n", text)
    categories, first = _dic_categories(lines, source)
    words: dict[str, list[tuple[str, int]]] = {number: [] for number in categories}
    problems = []
    for i in range(first, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        word, numbers = _dic_line(line)
        for number in numbers:
            if number.startswith("("):
                message = (f"line {i + 1}: {word[:80]!r} has the conditional category "
                           f"{number[:80]!r}, which a theme cannot express (add the word by "
                           "hand if you need it)")  # fmt: skip
                problems.append(Problem(source, message, i + 1))
            elif _number(number) is None:
                message = (f"line {i + 1}: {word[:80]!r} names category {number[:20]!r}, not a "
                           f"category number (digits 0-9, at most {_MAX_DIGITS})")  # fmt: skip
                problems.append(Problem(source, message, i + 1))
            elif _number(number) not in categories:
                message = f"line {i + 1}: {word[:80]!r} names category {number}, not in the header"
                problems.append(Problem(source, message, i + 1))
            else:
                words[_number(number)].append((word, i + 1))
    entries = [(name, words[number], line) for number, (name, line) in categories.items()]
    return entries, problems


def _dicx_entries(text: str, source: str):
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:  # a cell past the csv module's limit, a stray quote
        raise RhetoricInputError(
            f"{source}: not valid CSV near line {reader.line_num} ({exc})"
        ) from None
    if not rows or not rows[0] or rows[0][0].strip().lower() != "dicterm":
        raise RhetoricInputError(
            f"{source}: not a LIWC-22 .dicx file (expected a CSV whose first column is DicTerm)"
        )
    names = [name.strip() for name in rows[0][1:]]
    words: list[list[tuple[str, int]]] = [[] for _ in names]
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        for k, cell in enumerate(row[1 : len(names) + 1]):
            mark = cell.strip()
            if mark.upper() == "X":
                words[k].append((row[0].strip(), number))
            elif mark:
                message = (f"line {number}: {row[0].strip()!r} has {mark!r} under "
                           f"{names[k]!r}; expected X or nothing")  # fmt: skip
                problems.append(Problem(source, message, number))
    return [(name, found, 1) for name, found in zip(names, words, strict=True)], problems


# -- themes ------------------------------------------------------------------------


def _theme_id(name: str, taken: dict[str, int]) -> str:
    """A theme id made from a key (``a-z0-9_``), with ``_2``, ``_3``, ... when taken;
    ``taken`` maps each id given so far to the next suffix to try after it, so that many
    keys of one id (non-Latin names all become ``theme``) cost linear time, not quadratic."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "theme"
    if not base[0].isalpha():
        base = f"theme_{base}"
    chosen, k = base, taken.get(base, 2)
    while chosen in taken:
        chosen, k = f"{base}_{k}", k + 1
    taken[base] = k
    taken.setdefault(chosen, 2)
    return chosen


def _term_of(value: str) -> str:
    """A dictionary entry as a term: ``glob:`` if it has a wildcard, else ``exact:``."""
    return f"{'glob' if any(c in value for c in '*?') else 'exact'}: {value}"


def _themes_of(entries, source: str, name: str, chosen: Format):
    """Themes from (key, [(value, line)], line) entries; one problem per value refused."""
    themes, problems, taken = [], [], {}
    what = "category" if chosen == "liwc" else "key"
    for key, values, line in entries:
        terms: list[str] = []
        for value, value_line in values:
            term = _term_of(value)
            problem = term_problem(term)
            if problem:
                message = (f"{what} {key!r}: {value!r} cannot be a term ({problem}) "
                           f"(line {value_line})")  # fmt: skip
                problems.append(Problem(source, message, value_line))
            elif (normal := normal_term(term)) not in terms:
                terms.append(normal)
        if not terms:
            problems.append(Problem(source, f"{what} {key!r} has no usable values (line {line})",
                                    line))  # fmt: skip
            continue
        description = (f"Imported from the {_NAMES[chosen]} dictionary {name}, {what} '{key}': "
                       f"{_MATCHING[chosen]}.")  # fmt: skip
        themes.append(Theme(_theme_id(key, taken), key, description, tuple(terms)))
    return tuple(themes), problems


def import_note(name: str, chosen: Format, *, left_out: int) -> str:
    """The header of an imported themes.yml: where it came from and how its terms match.

    Parameters
    ----------
    name : str
        The dictionary's file name.
    chosen : {"quanteda", "liwc"}
        Its format.
    left_out : int
        How many entries were refused (the problems of :func:`import_dictionary`).

    Returns
    -------
    str
        Lines of text without comment marks (:func:`themes_yaml` adds them).
    """
    return (
        f"Themes imported by `rhetoric lexicon import` from {name} ({chosen}).\n"
        f"Terms keep {_MATCHING[chosen]}:\n'exact:' word forms, 'glob:' with wildcards. "
        f"Entries left out: {left_out}.\nCheck with `rhetoric validate`; audit the hits "
        "with `rhetoric lexicon` and `rhetoric kwic --theme ID`."
    )


def export_note(themes_name: str, data_shown: str, documents: int) -> str:
    """The header of an exported quanteda dictionary: how to read it, what stem terms became.

    Parameters
    ----------
    themes_name : str
        The themes file's name.
    data_shown : str
        The data whose hits gave the forms of the stem terms, as shown to the user.
    documents : int
        How many documents those hits came from.

    Returns
    -------
    str
        Lines of text without comment marks (:func:`quanteda_yaml` adds them).
    """
    return (
        f"quanteda dictionary written by `rhetoric lexicon export` from {themes_name}.\n"
        'Read it with quanteda::dictionary(file = ...); match with valuetype = "glob".\n'
        f"A stem term is written as itself and every form it matched in {data_shown}\n"
        f"({documents} document{'s' * (documents != 1)}): forms that corpus lacks are not "
        "covered. Regex terms are left out."
    )


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax, which YAML reads)."""
    return json.dumps(text, ensure_ascii=False)


def themes_yaml(themes: tuple[Theme, ...], *, header: str = "") -> str:
    """themes.yml text for ``themes`` (``header``: comment lines put first).

    Checked by reading it back as :func:`rhetoric.text.themes.check_themes` would;
    raises :class:`RhetoricInputError` unless it holds these themes' ids and terms.

    Parameters
    ----------
    themes : tuple of Theme
        The themes, written in this order.
    header : str, default ""
        Text put first, each of its lines as a ``#`` comment.

    Returns
    -------
    str
        The themes.yml text: per theme its id, ``label``, ``description`` and
        ``terms`` (a stem term as its words, any other as ``kind: words``; words as
        :func:`rhetoric.text.themes.term_kind` gives them, quoted).
    """
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    for theme in themes:
        lines += [f"{theme.id}:", f"  label: {_quoted(theme.label)}",
                  f"  description: {_quoted(theme.description)}", "  terms:"]  # fmt: skip
        for term in theme.terms:
            kind, words = term_kind(term)
            lines.append(f"    - {_quoted(words)}" if kind == "stem"
                         else f"    - {kind}: {_quoted(words)}")  # fmt: skip
    text = "\n".join(lines) + "\n"
    read, problems = check_theme_data(parse_yaml(text, source="themes"), "themes")
    expected = [(t.id, tuple(map(normal_term, t.terms))) for t in themes]
    if problems or [(t.id, t.terms) for t in read] != expected:
        shown = problems[0] if problems else "the themes read back differ"
        raise RhetoricInputError(f"themes: cannot be written as themes.yml: {shown}")
    return text


def quanteda_yaml(
    themes: tuple[Theme, ...],
    hits: pd.DataFrame | None = None,
    *,
    header: str = "",
    source: str = "themes",
) -> tuple[str, list[Problem]]:
    """``themes`` as a quanteda YAML dictionary, and one problem per term left out.

    Each theme id is a key; its values: ``exact:`` and ``glob:`` words as they
    are, a stem term as written (globs kept) and, if it has a plain word (matched
    by stem), every distinct lowercase form it matched in ``hits`` (:func:`rhetoric.text.themes.match_themes`); a
    ``regex:`` term is left out, with a problem naming ``source``.

    Parameters
    ----------
    themes : tuple of Theme
        The themes, written in this order.
    hits : pandas.DataFrame or None, default None
        Theme hits of these themes (:func:`rhetoric.text.themes.match_themes`; its
        ``theme``, ``term`` and ``match`` columns are read); None: no matched forms.
    header : str, default ""
        Text put first, each of its lines as a ``#`` comment.
    source : str, default "themes"
        The themes file, as the problems name it.

    Returns
    -------
    text : str
        The YAML text: one key per theme with a value left, its distinct values in
        order (quoted).
    problems : list of Problem
        One per ``regex:`` term left out (without a line number).
    """
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    problems = []
    for theme in themes:
        values: list[str] = []
        for _language, term in theme.all_terms:
            kind, words = term_kind(term)
            if kind == "regex":
                message = (f"theme {theme.id!r}: term {term!r} left out: a quanteda dictionary "
                           "has one value type (glob here); use it with valuetype = \"regex\" "
                           "in a dictionary of its own")  # fmt: skip
                problems.append(Problem(source, message))
                continue
            values.append(words)
            if hits is not None and any(k == "stem" for k, _v in compile_term(term)):
                matched = hits.loc[(hits["theme"] == theme.id) & (hits["term"] == term), "match"]
                values.extend(sorted({" ".join(m.lower().split()) for m in matched}))
        kept = list(dict.fromkeys(values))
        if kept:
            lines.append(f"{_quoted(theme.id)}:")
            lines.extend(f"  - {_quoted(value)}" for value in kept)
    return "\n".join(lines) + "\n", problems
