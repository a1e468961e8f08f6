""":mod:`rhetoric.text.themes`: theme lexicons (themes.yml) and matching them in tokens.

A theme is an id, a label, a one-line description and its terms. A term has a
kind, written before its words (``exact: United States``; in themes.yml also as
a one-key mapping, ``- exact: United States``):

- ``stem`` (the default, no kind written): words match on Snowball stems, so
  ``trust`` finds "trusted"; a word with ``*`` at its start or end is a glob on
  the lowercase form (``cooperat*``, ``*operation``), and may stand inside a
  phrase (``reliable partner*``);
- ``exact``: words match the lowercase form exactly (``exact: trusts``), as
  LIWC's and quanteda's plain entries do;
- ``glob``: quanteda's globs on the lowercase form: ``*`` any letters, ``?``
  one, anywhere in a word (``glob: e*mail``);
- ``regex``: one regular expression per word, matched against the whole
  lowercase form, case ignored (``regex: trust(s|ed|ing)?``); checked when
  read, and stopped with one line if it takes more than :data:`REGEX_SECONDS`
  of CPU time over a corpus's words, or all regex words of one themes file more
  than :data:`REGEX_FILE_SECONDS` (CPU time: the same verdict on a busy machine).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from pathlib import Path
import re
import time

import numpy as np
import pandas as pd
import regex

from rhetoric.errors import Problem, RhetoricInputError, display_path, first_problem
from rhetoric.store.yamlfile import LineDict, LineList, load_yaml

__all__ = [
    "DEFAULT_TERMS_LANGUAGE",
    "NEGATORS",
    "REGEX_FILE_SECONDS",
    "REGEX_SECONDS",
    "TERM_KINDS",
    "RegexBudget",
    "Theme",
    "check_theme_data",
    "check_themes",
    "compile_term",
    "compile_terms",
    "load_themes",
    "match_themes",
    "normal_term",
    "surface_matches",
    "term_kind",
    "term_problem",
]

THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: The kinds of term, the first the default (see the module docstring).
TERM_KINDS = ("stem", "exact", "glob", "regex")
_KIND = re.compile(r"^\s*(stem|exact|glob|regex)\s*:(.*)$", re.DOTALL)
# Letters, digits, spaces, hyphens, apostrophes and dots (U.S.), and the kind's wildcards.
_WORD_CHARS = {"stem": r"[\w\s'’.\-*]+", "exact": r"[\w\s'’.\-]+", "glob": r"[\w\s'’.\-*?]+"}
REGEX_HINT = re.compile(r"[|()\[\]{}+?^$\\]|\.\*")
#: Longest regular expression (per word) read from a term.
MAX_REGEX_CHARS = 200
#: How long one regex word of a term may take over a corpus's distinct word forms.
REGEX_SECONDS = 2.0
#: How long all regex words of one themes file may take together.
REGEX_FILE_SECONDS = 20.0


#: The language of a theme's terms when themes.yml gives them as a plain list.
DEFAULT_TERMS_LANGUAGE = "en"
LANGUAGE_KEY = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Theme:
    """One theme lexicon: ``id``, ``label``, ``description``, its ``terms`` as written for
    English documents (:data:`DEFAULT_TERMS_LANGUAGE`), and ``translations``: the terms for
    documents in other languages, as ``(language, terms)`` pairs in file order."""

    id: str
    label: str
    description: str
    terms: tuple[str, ...]
    translations: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def terms_for(self, language: str) -> tuple[str, ...]:
        """The terms matched in documents of one language.

        Parameters
        ----------
        language : str
            An ISO 639 code, as corpus.csv gives it (``en``, ``ru``, ``zh``).

        Returns
        -------
        tuple of str
            The theme's terms in that language, as written; none for a language the
            theme has no terms in.
        """
        if language == DEFAULT_TERMS_LANGUAGE:
            return self.terms
        return dict(self.translations).get(language, ())

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the theme has terms in, English first."""
        own = (DEFAULT_TERMS_LANGUAGE,) if self.terms else ()
        return own + tuple(language for language, _terms in self.translations)

    @property
    def all_terms(self) -> tuple[tuple[str, str], ...]:
        """Every ``(language, term)`` of the theme, English first."""
        return tuple((language, term) for language in self.languages
                     for term in self.terms_for(language))  # fmt: skip


def term_kind(term: str) -> tuple[str, str]:
    """A term's kind and its words: spaces folded, lowercase but for a regex.

    Parameters
    ----------
    term : str
        A term as written, with or without its kind (``exact: United States``).

    Returns
    -------
    kind : str
        One of :data:`TERM_KINDS`; ``stem`` when none is written.
    words : str
        Its words, joined by one space, lowercase unless ``kind`` is ``regex``.

    Examples
    --------
    >>> term_kind("exact: United  States")
    ('exact', 'united states')
    >>> term_kind("Mutual trust")
    ('stem', 'mutual trust')
    """
    written = _KIND.match(term)
    kind, words = (written.group(1), written.group(2)) if written else ("stem", term)
    words = " ".join(words.split())
    return kind, words if kind == "regex" else words.lower()


def normal_term(term: str) -> str:
    """A term as themes and hits show it: its words, after ``kind: `` unless it is a stem term.

    Parameters
    ----------
    term : str
        A term as written.

    Returns
    -------
    str
        ``words``, or ``kind: words`` for a kind other than ``stem``, as
        :func:`term_kind` gives them.

    Examples
    --------
    >>> normal_term("glob:  *Trust")
    'glob: *trust'
    """
    kind, words = term_kind(term)
    return words if kind == "stem" else f"{kind}: {words}"


def term_problem(term: object) -> str | None:
    """Why ``term`` is not a usable term, or None (see the module docstring for the kinds).

    Parameters
    ----------
    term : object
        A term as written; anything but a string is refused.

    Returns
    -------
    str or None
        One line saying what is wrong, with the fix where there is one; None when
        the term is usable.
    """
    if not isinstance(term, str) or not term.strip():
        return "a term must be a non-empty word or phrase"
    kind, words = term_kind(term)
    if not words:
        return f"term {term!r} has no words after '{kind}:'"
    if kind == "regex":
        return _regex_problem(term, words)
    if not re.search(r"\w", words):
        return f"term {term!r} has no letters or digits"
    if kind == "exact" and "*" in words:
        return f"term {term!r}: exact terms take no wildcards; write 'glob: ...'"
    if kind != "glob" and REGEX_HINT.search(words):
        fix = ("write it as 'regex: ...', or as a glob" if kind == "stem"
               else "exact terms take no wildcards; write 'glob: ...' or 'regex: ...'")  # fmt: skip
        return f"term {term!r} looks like a regular expression; {fix}"
    odd_space = re.search(r"[^\S ]", term.strip())
    if odd_space:
        return (f"term {term!r}: its words may be separated only by spaces (it holds "
                f"{ascii(odd_space.group())[1:-1]}, which would split it into a phrase)")  # fmt: skip
    if not re.fullmatch(_WORD_CHARS[kind], words):
        allowed = {"stem": "and a '*' at the start or end of a word", "exact": "(no wildcards)",
                   "glob": "and the wildcards '*' and '?'"}[kind]  # fmt: skip
        return f"term {term!r} may hold only letters, digits, hyphens, apostrophes {allowed}"
    for word in words.split():
        if kind == "stem" and "*" in word.strip("*"):
            return (f"term {term!r}: '*' stands only at the start or end of a word here; "
                    "write 'glob: ...' for one inside a word")  # fmt: skip
        if not re.search(r"\w", word):
            return f"term {term!r}: the word {word!r} of wildcards alone would match every token"
    return None


def _regex_problem(term: str, words: str) -> str | None:
    for part in words.split():
        if len(part) > MAX_REGEX_CHARS:
            return f"term {term!r}: a regex word of more than {MAX_REGEX_CHARS} characters"
        try:
            regex.compile(part, regex.IGNORECASE)
        except regex.error as exc:
            return f"term {term!r}: {part!r} is not a regular expression ({exc})"
    return None


def _term_text(item: object) -> object:
    """A term of themes.yml as a string: a one-key mapping ``exact: words`` becomes
    ``"exact: words"``; anything else is returned as it is, for :func:`term_problem`."""
    if isinstance(item, dict) and len(item) == 1:
        ((kind, words),) = item.items()
        if kind in TERM_KINDS and isinstance(words, str):
            return f"{kind}: {words}"
    return item


def _term_problems(source: str, where: str, terms, compiled_of: dict, language: str):
    """Problems with one theme's terms in one language, and its usable terms (as written,
    lowercase) in order."""
    problems, seen, same = [], {}, {}
    for item, line in zip(terms, terms.lines, strict=True):
        term = _term_text(item)
        problem = term_problem(term)
        if problem:
            if isinstance(item, dict):
                problem += f"; a mapping term is one of {', '.join(TERM_KINDS)} with its words"
            problems.append(Problem(source, f"{where}: {problem} (line {line})", line))
            continue
        text = normal_term(term)
        compiled = compiled_of[language, text]
        if text in seen:
            message = f"{where}: term {text!r} is listed twice (lines {seen[text]} and {line})"
            problems.append(Problem(source, message, line))
        elif compiled in same:
            message = (f"{where}: term {text!r} matches exactly what {same[compiled]!r} matches "
                       f"(same patterns; line {line}): keep one")  # fmt: skip
            problems.append(Problem(source, message, line))
        seen[text] = line
        same.setdefault(compiled, text)
    return problems, tuple(seen)


def _theme_problems(source: str, theme_id, body, line: int, compiled_of: dict):
    """Problems with one theme, and the theme (None if it has any)."""
    where = f"theme {theme_id!r}"
    problems = []
    if not isinstance(theme_id, str) or not THEME_ID.match(theme_id):
        message = f"{where}: an id must be lowercase letters, digits and '_' (line {line})"
        problems.append(Problem(source, message, line))
    if not isinstance(body, LineDict):
        message = f"{where} must have label, description and terms (line {line})"
        return [*problems, Problem(source, message, line)], None
    for key in ("label", "description"):
        if not isinstance(body.get(key), str) or not body[key].strip():
            problems.append(Problem(source, f"{where} has no {key} (line {line})", line))
    for key in sorted(set(body) - {"label", "description", "terms"}, key=str):
        message = (f"{where}: unknown key {key!r}; expected label, description, terms "
                   f"(line {body.lines[key]})")  # fmt: skip
        problems.append(Problem(source, message, body.lines[key]))
    lists, found = _term_lists(source, where, body.get("terms"), line)
    problems.extend(found)
    kept = {}
    for language, terms in lists.items():
        in_language = where if len(lists) == 1 else f"{where} ({language})"
        found, kept[language] = _term_problems(source, in_language, terms, compiled_of, language)
        problems.extend(found)
    if problems:
        return problems, None
    description = " ".join(body["description"].split())
    return [], Theme(id=theme_id, label=body["label"].strip(), description=description,
                     terms=kept.pop(DEFAULT_TERMS_LANGUAGE, ()),
                     translations=tuple(kept.items()))  # fmt: skip


def _term_lists(source: str, where: str, terms, line: int) -> tuple[dict, list[Problem]]:
    """A theme's ``terms`` by language: a plain list is English; a mapping gives a list per
    ISO 639 code (``en``, ``ru``, ``zh``)."""
    if isinstance(terms, LineList) and terms:
        return {DEFAULT_TERMS_LANGUAGE: terms}, []
    if not isinstance(terms, LineDict) or not terms:
        return {}, [Problem(source, f"{where} has no terms (line {line})", line)]
    lists, problems = {}, []
    for language, items in terms.items():
        at = terms.lines[language]
        if not isinstance(language, str) or not LANGUAGE_KEY.match(language):
            message = (f"{where}: terms by language take ISO 639 codes such as en, ru, zh as "
                       f"keys, not {language!r} (line {at})")  # fmt: skip
            problems.append(Problem(source, message, at))
        elif not isinstance(items, LineList) or not items:
            message = f"{where}: the {language} terms must be a list of terms (line {at})"
            problems.append(Problem(source, message, at))
        else:
            lists[language] = items
    return lists, problems


def check_themes(path: Path) -> tuple[tuple[Theme, ...], list[Problem]]:
    """Read themes.yml and list every problem, each with its line number.

    Returns the themes that are well formed (in file order) and the
    :class:`~rhetoric.errors.Problem` list: not a mapping, a bad theme id, a
    missing label or description, an unknown key, a theme with no terms, an
    empty, punctuation-only, regex-like (without ``regex:``), invalid regex or
    duplicate term. A duplicate theme id is reported by the YAML reader.

    Parameters
    ----------
    path : pathlib.Path
        The themes.yml file.

    Returns
    -------
    themes : tuple of Theme
        The themes without problems: ``label`` stripped, ``description`` with its
        whitespace folded, ``terms`` as :func:`normal_term` gives them, in file order.
    problems : list of Problem
        Every problem, with its line where there is one; a file that cannot be read
        or parsed gives one problem and no themes.
    """
    source = display_path(path)
    try:
        data = load_yaml(path)
    except RhetoricInputError as exc:
        return (), [exc.problem]
    return check_theme_data(data, source)


def check_theme_data(data: object, source: str) -> tuple[tuple[Theme, ...], list[Problem]]:
    """:func:`check_themes` for YAML already read (by :func:`rhetoric.store.yamlfile.parse_yaml`);
    ``source`` names it in problems.

    Parameters
    ----------
    data : object
        The YAML as :func:`rhetoric.store.yamlfile.parse_yaml` reads it (mappings and
        lists that know their lines): a mapping of theme ids to themes; None (an empty
        file) is a problem.
    source : str
        The file, as the problems name it.

    Returns
    -------
    themes : tuple of Theme
        The themes without problems, as for :func:`check_themes`.
    problems : list of Problem
        Every problem, as for :func:`check_themes`.
    """
    if data is None:
        return (), [Problem(source, "file is empty; it must list at least one theme")]
    if not isinstance(data, LineDict):
        line = getattr(data, "line", 1)
        return (), [
            Problem(source, f"expected a mapping of theme ids to themes (line {line})", line)
        ]
    by_language: dict[str, list[str]] = {}
    for body in data.values():
        if isinstance(body, LineDict):
            lists, _problems = _term_lists(source, "", body.get("terms"), 0)
            for language, terms in lists.items():
                by_language.setdefault(language, []).extend(
                    normal_term(t) for t in map(_term_text, terms) if term_problem(t) is None
                )
    compiled_of = {
        (language, term): compiled
        for language, terms in by_language.items()
        for term, compiled in zip(terms, compile_terms(terms, language), strict=True)
    }
    themes, problems = [], []
    for theme_id, body in data.items():
        found, theme = _theme_problems(source, theme_id, body, data.lines[theme_id], compiled_of)
        problems.extend(found)
        if theme is not None:
            themes.append(theme)
    return tuple(themes), problems


def load_themes(path: Path) -> tuple[Theme, ...]:
    """Read themes.yml; raise :class:`RhetoricInputError` on its first problem.

    See :func:`check_themes` for what is checked.

    Parameters
    ----------
    path : pathlib.Path
        The themes.yml file.

    Returns
    -------
    tuple of Theme
        Every theme, in file order (at least one), as :func:`check_themes` reads it.

    Raises
    ------
    RhetoricInputError
        On the first problem of :func:`check_themes`, or when the file holds no theme.
    """
    themes, problems = check_themes(path)
    if problems:
        raise RhetoricInputError(first_problem(problems))
    if not themes:
        raise RhetoricInputError(f"{display_path(path)}: no themes defined")
    return themes


# -- matching ------------------------------------------------------------------------

#: Single-token negators; "lack of" is the two-token one. Lowercase forms: English; Russian
#: не (not), нет (no), ни (nor), без (without), так называемый (so-called: its second word);
#: Chinese 不 (not), 没有 (have not), 无 (without), 缺乏 (lack).
NEGATORS = frozenset({"not", "no", "never", "n't", "without", "so-called", "nor",
                      "не", "нет", "ни", "без", "называемый", "называемая", "называемое",
                      "называемые", "不", "没有", "无", "缺乏"})  # fmt: skip
#: How many word tokens before a hit (same sentence) are searched for a negator.
NEGATION_WINDOW = 3
HIT_COLUMNS = (
    "document", "theme", "term", "sentence", "position", "n_tokens", "start", "end",
    "match", "voice", "negated",
)  # fmt: skip


def _word_patterns(kind: str, words: str, tokenize) -> list[tuple[str, str]]:
    """One term's word patterns, stems still unstemmed (``("word", w)``)."""
    if kind == "regex":
        return [("regex", part) for part in words.split()]
    shape: list[tuple[str, str]] = []
    for piece in words.replace("’", "'").split():
        wild = kind != "exact" and ("*" in piece or (kind == "glob" and "?" in piece))
        if wild:
            plain_prefix = piece.endswith("*") and not re.search(r"[*?]", piece[:-1])
            shape.append(("prefix", piece[:-1]) if plain_prefix else ("glob", piece))
            continue
        pieces = [t for t in tokenize(piece) if any(c.isalnum() for c in t)]
        shape.extend(("word" if kind == "stem" else "lower", t) for t in pieces)
    return shape


def compile_terms(terms: list[str], language: str = "en") -> list[tuple[tuple[str, str], ...]]:
    """Terms as word patterns, one per word (one stem lookup for all):
    ``("stem", s)``: the token's stem is ``s``; ``("lower", w)``: its lowercase form is
    ``w``; ``("prefix", p)``: the form starts with ``p``; ``("glob", g)``: the form
    matches the glob ``g``; ``("regex", r)``: the form matches ``r`` (case ignored).

    Parameters
    ----------
    terms : list of str
        Usable terms (:func:`term_problem` gives None), as written.
    language : str, default "en"
        The language the terms are matched in: a Chinese term's words are segmented as
        Chinese texts are (``历史真相`` is the phrase ``历史 真相``).

    Returns
    -------
    list of tuple of (str, str)
        The patterns of each term, in order: one per space-separated word of a regex
        term and per wildcard word; a word without wildcards gives one per word token
        of it (the word tokens of :func:`rhetoric.text.tokens.word_spans` in that
        language; punctuation marks left out), ``stem`` in a stem term, ``lower`` in the
        others.
    """
    from rhetoric.text.tokens import stem_words, word_spans

    def tokenize(piece: str) -> list[str]:
        start, end, _after = word_spans(piece, language)
        return [piece[a:b] for a, b in zip(start.tolist(), end.tolist(), strict=True)]

    shapes = [_word_patterns(*term_kind(term), tokenize) for term in terms]
    stems = iter(stem_words([value for shape in shapes for kind, value in shape
                             if kind == "word"]))  # fmt: skip
    return [
        tuple(("stem", next(stems)) if kind == "word" else (kind, value) for kind, value in shape)
        for shape in shapes
    ]


def compile_term(term: str) -> tuple[tuple[str, str], ...]:
    """A term as word patterns (see :func:`compile_terms`).

    Parameters
    ----------
    term : str
        A usable term (:func:`term_problem` gives None), as written.

    Returns
    -------
    tuple of tuple of (str, str)
        Its ``(kind, value)`` word patterns, in order.

    Examples
    --------
    >>> compile_term("reliable partner*")
    (('stem', 'reliabl'), ('prefix', 'partner'))
    >>> compile_term("glob: *Trust")
    (('glob', '*trust'),)
    """
    return compile_terms([term])[0]


def _glob_matcher(glob: str):
    """A function telling whether a whole word matches ``glob`` (``*`` any run of
    characters, ``?`` one), in time linear in the word for each piece between stars.

    A glob translated to a regular expression (``.*`` for each star) backtracks: ten stars
    over a 60-letter word took minutes. Here the pieces between stars, each of fixed
    length, are matched greedily: the first at the start, the last at the end, each other
    at its leftmost place after the one before, which finds a match whenever there is one.
    """
    pieces = glob.split("*")
    patterns = [re.compile("".join("." if c == "?" else re.escape(c) for c in piece), re.DOTALL)
                for piece in pieces]  # fmt: skip
    sizes = [len(piece) for piece in pieces]
    if len(pieces) == 1:
        return lambda word: patterns[0].fullmatch(word) is not None
    least = sum(sizes)

    def matches(word: str) -> bool:
        end = len(word) - sizes[-1]  # where the last piece starts
        if len(word) < least or not patterns[0].match(word) or not patterns[-1].match(word, end):
            return False
        position = sizes[0]
        for pattern in patterns[1:-1]:
            found = pattern.search(word, position, end)
            if found is None:
                return False
            position = found.end()
        return True

    return matches


class RegexBudget:
    """The CPU seconds left for the regex words of one themes file (:data:`REGEX_FILE_SECONDS`);
    each word also gets at most :data:`REGEX_SECONDS`."""

    def __init__(self) -> None:
        self.left = REGEX_FILE_SECONDS


def surface_matches(
    pattern: tuple[str, str], words: list[str], *, budget: RegexBudget | None = None
) -> np.ndarray:
    """Which lowercase ``words`` a ``lower``, ``prefix``, ``glob`` or ``regex`` word pattern
    matches (whole words), as a boolean array.

    A regex gets :data:`REGEX_SECONDS` of CPU time for all of ``words``, and no more than
    ``budget`` has left; beyond that it is stopped with :class:`RhetoricInputError`.

    Parameters
    ----------
    pattern : tuple of (str, str)
        A ``(kind, value)`` word pattern of :func:`compile_terms`, of kind ``lower``,
        ``prefix``, ``glob`` or ``regex`` (not ``stem``).
    words : list of str
        Lowercase word forms (e.g. the categories of the token table's ``lower``).
    budget : RegexBudget, optional
        The CPU time left for the regex words of the themes file this pattern is of,
        charged with what this one takes (default: a budget of its own).

    Returns
    -------
    numpy.ndarray
        bool, one per word: whether the pattern matches the whole word.
    """
    kind, value = pattern
    if kind == "lower":
        return np.fromiter((w == value for w in words), dtype=bool, count=len(words))
    if kind == "prefix":
        return np.fromiter((w.startswith(value) for w in words), dtype=bool, count=len(words))
    if kind == "glob":
        return np.fromiter(map(_glob_matcher(value), words), dtype=bool, count=len(words))
    return _regex_matches(value, words, budget if budget is not None else RegexBudget())


def _regex_matches(expression: str, words: list[str], budget: RegexBudget) -> np.ndarray:
    """Whole-word matches of one regex word, in CPU time: checked between words, and one
    match that runs long is stopped by the regex module's time-out (wall-clock, so set at
    twice the CPU time left: it ends only a match that alone would overrun)."""
    compiled = regex.compile(expression, regex.IGNORECASE)
    allowed = min(REGEX_SECONDS, budget.left)
    start = time.process_time()
    out = np.zeros(len(words), dtype=bool)
    try:
        for i, word in enumerate(words):
            left = allowed - (time.process_time() - start)
            if left <= 0:
                raise TimeoutError
            out[i] = compiled.fullmatch(word, timeout=2 * left) is not None
    except TimeoutError:
        if allowed < REGEX_SECONDS:
            raise RhetoricInputError(
                f"the regex words of the themes took more than {REGEX_FILE_SECONDS:g} s of CPU "
                f"time in all over the corpus's words (stopped at {expression!r}); use fewer "
                "regex terms: stem, exact and glob terms cost almost nothing"
            ) from None
        raise RhetoricInputError(
            f"regex {expression!r} took more than {REGEX_SECONDS:g} s of CPU time over the "
            f"corpus's words (stopped at {word[:40]!r}); simplify it: nested repeats such as "
            "(a+)+ are the usual cause"
        ) from None
    finally:
        budget.left -= time.process_time() - start
    return out


class _Vocabulary:
    """The categories of a token column, for finding words by stem and by prefix quickly."""

    def __init__(self, categories) -> None:
        self.values = list(categories)
        self.index = {value: i for i, value in enumerate(self.values)}
        self.order = sorted(range(len(self.values)), key=self.values.__getitem__)
        self.sorted = [self.values[i] for i in self.order]

    def equal(self, value: str) -> np.ndarray:
        lookup = np.zeros(len(self.values), dtype=bool)
        if value in self.index:
            lookup[self.index[value]] = True
        return lookup

    def prefixed(self, prefix: str) -> np.ndarray:
        """Which categories start with ``prefix``: a run of the sorted values, from where
        ``prefix`` would be inserted."""
        lookup = np.zeros(len(self.values), dtype=bool)
        i = bisect.bisect_left(self.sorted, prefix)
        j = i
        while j < len(self.sorted) and self.sorted[j].startswith(prefix):
            j += 1
        lookup[self.order[i:j]] = True
        return lookup


class _Lookups(dict):
    """The word patterns looked up so far in one matching of a themes file, ``pattern ->
    (column, lookup)``, and the CPU time its regex words have left (``budget``)."""

    def __init__(self) -> None:
        super().__init__()
        self.budget = RegexBudget()


def _pattern_lookup(pattern: tuple[str, str], vocabularies: dict, cache: _Lookups):
    """For a word pattern: which column it reads, and which of that column's categories it matches."""
    if pattern not in cache:
        kind, value = pattern
        column = "stem" if kind == "stem" else "lower"
        vocabulary = vocabularies[column]
        if kind in ("stem", "lower"):
            lookup = vocabulary.equal(value)
        elif kind == "prefix":
            lookup = vocabulary.prefixed(value)
        else:
            lookup = surface_matches(pattern, vocabulary.values, budget=cache.budget)
        cache[pattern] = (column, lookup)
    return cache[pattern]


def match_themes(tokens, themes: tuple[Theme, ...], cleaned, languages=None) -> pd.DataFrame:
    """Find every theme hit in a token table (see :attr:`rhetoric.corpus.Corpus.tokens`).

    A document is matched with each theme's terms in its language (:meth:`Theme.terms_for`;
    ``languages``). Each word of a term matches as its kind says (module docstring): a stem
    term's plain words on lowercase Snowball stems, every other word on the
    lowercase form. A phrase matches consecutive word tokens of one sentence
    with no punctuation between them. Within a theme the longest match wins
    (then the leftmost, then the term with fewer glob or regex words, then the
    term listed first), and a token counts at most once; a token may count for
    several themes. A regex that runs past :data:`REGEX_SECONDS` (or all of them past
    :data:`REGEX_FILE_SECONDS`) raises
    :class:`RhetoricInputError`.

    Parameters
    ----------
    tokens : pandas.DataFrame
        The token table (:attr:`rhetoric.corpus.Corpus.tokens`); its ``document``,
        ``lower``, ``stem`` and ``voice`` columns categorical.
    themes : tuple of Theme
        The themes, in file order.
    cleaned : pandas.Series
        Cleaned text by document id, the text that ``start`` and ``end`` of
        ``tokens`` index.
    languages : mapping of str to str, optional
        Each document's language (ISO 639, as corpus.csv gives it) by id; a document not
        in it, or every document when None, is matched with the English terms
        (:attr:`Theme.terms`).

    Returns
    -------
    pandas.DataFrame
        One row per hit: ``document``, ``theme`` (id), ``term`` (as in
        themes.yml), ``sentence``, ``position`` (token index of the first
        token in its document), ``n_tokens``, ``start``, ``end`` (character
        offsets into the cleaned text), ``match`` (the text matched), ``voice``
        (of the first token), ``negated`` (a negator — not, no, never, n't,
        nor, without, so-called, lack of, and their Russian and Chinese forms
        (:data:`NEGATORS`) — among the three word tokens before it in the same
        sentence). Sorted by document (corpus order), start and
        theme (file order).
    """
    documents = tokens["document"].cat.categories
    language_of = [(languages or {}).get(d, DEFAULT_TERMS_LANGUAGE) for d in documents]
    if len(set(language_of)) <= 1:
        language = language_of[0] if language_of else DEFAULT_TERMS_LANGUAGE
        return _match_language(tokens, themes, cleaned, language)
    document_codes = tokens["document"].cat.codes.to_numpy()
    frames = []
    for language in dict.fromkeys(language_of):
        codes_in = [i for i, lang in enumerate(language_of) if lang == language]
        rows = np.isin(document_codes, codes_in)
        frames.append(_match_language(tokens[rows], themes, cleaned, language))
    frames = [frame for frame in frames if len(frame)] or frames[:1]
    if len(frames) == 1:  # one language with hits (or none): already in order
        return frames[0]
    hits = pd.concat(frames, ignore_index=True)
    order = np.lexsort((hits["theme"].cat.codes.to_numpy(), hits["start"].to_numpy(),
                        hits["document"].cat.codes.to_numpy()))  # fmt: skip
    return hits.iloc[order].reset_index(drop=True)


def _match_language(tokens, themes: tuple[Theme, ...], cleaned, language: str) -> pd.DataFrame:
    """:func:`match_themes` for documents of one language, with the themes' terms in it."""
    themes = tuple(replace(theme, terms=theme.terms_for(language), translations=())
                   for theme in themes)  # fmt: skip
    n = len(tokens)
    joins = _phrase_joins(tokens)
    column_codes = {c: tokens[c].cat.codes.to_numpy() for c in ("stem", "lower")}
    vocabularies = {c: _Vocabulary(tokens[c].cat.categories) for c in ("stem", "lower")}
    lookups = _Lookups()
    flat = compile_terms([term for theme in themes for term in theme.terms], language)
    compiled, start = [], 0
    for theme in themes:
        compiled.append(flat[start : start + len(theme.terms)])
        start += len(theme.terms)
    candidates_all = _possible_starts(n, compiled, column_codes, vocabularies, lookups)
    rows = []
    for theme_index, theme in enumerate(themes):
        found = _term_matches(theme, compiled[theme_index], n, candidates_all, joins, column_codes,
                              vocabularies, lookups)  # fmt: skip
        rows.extend(
            (theme_index, position, k, term) for position, k, term in _longest_first(found, n)
        )
    rows.sort(key=lambda r: (r[1], r[0]))
    return _hit_table(tokens, themes, cleaned, rows, joins)


def _phrase_joins(tokens) -> np.ndarray:
    """``joins[i]``: token i+1 continues a phrase from token i (same document and sentence,
    no punctuation between)."""
    n = len(tokens)
    if n < 2:
        return np.zeros(max(n - 1, 0), dtype=bool)
    doc = tokens["document"].cat.codes.to_numpy()
    sent = tokens["sentence"].to_numpy()
    after = tokens["after_punct"].to_numpy()
    return (doc[1:] == doc[:-1]) & (sent[1:] == sent[:-1]) & ~after[1:]


def _possible_starts(n: int, compiled, column_codes, vocabularies, lookups) -> np.ndarray:
    """Token positions where some term could start: one pass over the tokens per column."""
    starts_here = np.zeros(n, dtype=bool)
    for column in ("stem", "lower"):
        first = np.zeros(len(vocabularies[column].values), dtype=bool)
        for term_patterns in compiled:
            for patterns in term_patterns:
                if patterns:
                    kind, lookup = _pattern_lookup(patterns[0], vocabularies, lookups)
                    if kind == column:
                        first |= lookup
        if first.any():
            starts_here |= first[column_codes[column]]
    return np.flatnonzero(starts_here)


def _term_matches(
    theme, term_patterns, n, candidates_all, joins, column_codes, vocabularies, lookups
):
    """Every match of every term of one theme, overlapping ones included, as
    (-length, position, globs in the term, file order, term): sorted, the order in which
    :func:`_longest_first` takes them."""
    candidates = []
    for term_order, (term, patterns) in enumerate(zip(theme.terms, term_patterns, strict=True)):
        k = len(patterns)
        if k == 0 or k > n:
            continue
        column, lookup = _pattern_lookup(patterns[0], vocabularies, lookups)
        positions = candidates_all[lookup[column_codes[column][candidates_all]]]
        positions = positions[positions <= n - k]
        for j in range(1, k):
            column, lookup = _pattern_lookup(patterns[j], vocabularies, lookups)
            positions = positions[
                lookup[column_codes[column][positions + j]] & joins[positions + j - 1]
            ]
        globs = sum(kind in ("prefix", "glob", "regex") for kind, _value in patterns)
        candidates.extend((-k, int(p), globs, term_order, term) for p in positions)
    candidates.sort()
    return candidates


def _longest_first(candidates, n: int) -> list[tuple[int, int, str]]:
    """The matches kept, as (position, length, term): longest first, a token used once."""
    taken = np.zeros(n, dtype=bool)
    kept = []
    for negative_k, position, _globs, _order, term in candidates:
        k = -negative_k
        if taken[position : position + k].any():
            continue
        taken[position : position + k] = True
        kept.append((position, k, term))
    return kept


def _negators(tokens, joins: np.ndarray) -> np.ndarray:
    """Per token: is it a negator (the "of" of "lack of" marks that phrase)?"""
    lower = tokens["lower"]
    lower_codes = lower.cat.codes.to_numpy()
    negator = np.isin(lower_codes, np.flatnonzero(lower.cat.categories.isin(list(NEGATORS))))
    lack = np.isin(lower_codes, np.flatnonzero(lower.cat.categories == "lack"))
    of = np.isin(lower_codes, np.flatnonzero(lower.cat.categories == "of"))
    if len(tokens) > 1:
        negator[1:] |= lack[:-1] & of[1:] & joins
    return negator


def _hit_table(tokens, themes, cleaned, rows, joins) -> pd.DataFrame:
    """The hits table from (theme index, first token row, length, term) rows."""
    if not rows:
        return pd.DataFrame({c: [] for c in HIT_COLUMNS}).astype(
            {"sentence": int, "position": int, "n_tokens": int, "start": int, "end": int,
             "negated": bool}
        )  # fmt: skip
    doc = tokens["document"].cat.codes.to_numpy()
    sent = tokens["sentence"].to_numpy()
    negator = _negators(tokens, joins)
    theme_index, first, length, term = (np.asarray(x) for x in zip(*rows, strict=True))
    last = first + length - 1
    starts = tokens["start"].to_numpy()[first]
    ends = tokens["end"].to_numpy()[last]
    document_ids = tokens["document"].cat.categories
    documents = np.asarray(document_ids, dtype=object)[doc[first]]
    texts = cleaned.to_dict()
    window_negated = np.zeros(len(first), dtype=bool)
    for back in range(1, NEGATION_WINDOW + 1):
        prior = first - back
        ok = prior >= 0
        prior = np.where(ok, prior, 0)
        same = ok & (doc[prior] == doc[first]) & (sent[prior] == sent[first])
        window_negated |= same & negator[prior]
    positions_in_doc = tokens["position"].to_numpy()
    frame = pd.DataFrame(
        {
            "document": pd.Categorical.from_codes(doc[first], categories=document_ids),
            "theme": pd.Categorical.from_codes(
                theme_index, categories=pd.Index([t.id for t in themes], dtype=object)
            ),
            "term": term.astype(object),
            "sentence": sent[first].astype(int),
            "position": positions_in_doc[first].astype(int),
            "n_tokens": length.astype(int),
            "start": starts.astype(int),
            "end": ends.astype(int),
            "match": [texts[d][s:e] for d, s, e in zip(documents, starts, ends, strict=True)],
            "voice": np.asarray(tokens["voice"].cat.categories, dtype=object)[
                tokens["voice"].cat.codes.to_numpy()[first]
            ],
            "negated": window_negated,
        }
    )
    return frame.reset_index(drop=True)
