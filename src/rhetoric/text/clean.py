""":mod:`rhetoric.text.clean`: remove boilerplate from document texts, keeping an audit.

Two kinds of removal, both recorded span by span:

- the rules of ``boilerplate.yml`` (an outlet's donation appeal, newsletter
  box, "Read more", image links, a leading dateline);
- paragraphs repeated verbatim in two or more documents of the same outlet
  (rule ``repeated-paragraph``), optionally only in documents of some kinds
  (``kinds: [news_article]``: formulaic paragraphs that recur across one
  publisher's joint statements are rhetoric, not furniture).

Offsets in the audit refer to the *document text* (see :mod:`rhetoric.data.folder`);
the cleaned text is the document text with those spans cut out, runs of blank
lines folded to one, and the ends stripped. Raw files are never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
import re
from typing import TYPE_CHECKING

import pandas as pd

from rhetoric.errors import Problem, RhetoricInputError, display_path, first_problem
from rhetoric.store.yamlfile import LineDict, LineList, load_yaml

if TYPE_CHECKING:
    from rhetoric.text.reprints import ReprintRule

__all__ = [
    "AUDIT_COLUMNS",
    "Boilerplate",
    "Cleaned",
    "Rule",
    "check_boilerplate",
    "clean_corpus",
    "clean_corpus_checked",
    "clean_text",
    "load_boilerplate",
    "with_outlet_names",
]

AUDIT_COLUMNS = ("document", "start", "end", "rule", "text")
#: Cleaning that removes more than this share of a document's words is reported.
MAX_REMOVED_SHARE = 0.5
REPEATED_RULE = "repeated-paragraph"
RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule: a ``pattern``, or a block from ``start`` to ``end`` (or the end)."""

    id: str
    description: str
    pattern: re.Pattern | None = None
    start: re.Pattern | None = None
    end: re.Pattern | None = None
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Boilerplate:
    """The rules of boilerplate.yml and the settings for repeated paragraphs."""

    rules: tuple[Rule, ...] = ()
    repeated_enabled: bool = True
    repeated_min_documents: int = 2
    repeated_min_words: int = 3
    repeated_kinds: tuple[str, ...] = ()  # empty: every kind


def with_outlet_names(boilerplate: Boilerplate, name) -> Boilerplate:
    """``boilerplate`` with each rule's outlets read as outlet names (``name``: spelling to
    name, :meth:`rhetoric.data.outlets.Outlets.name`), as the documents' outlets are read
    once outlets.yml maps their spellings.

    Parameters
    ----------
    boilerplate : Boilerplate
        The rules (:func:`load_boilerplate`).
    name : callable
        Outlet name of a spelling.

    Returns
    -------
    Boilerplate
        The same rules, their ``outlets`` renamed.
    """
    rules = tuple(replace(rule, outlets=tuple(dict.fromkeys(name(o) for o in rule.outlets)))
                  for rule in boilerplate.rules)  # fmt: skip
    return replace(boilerplate, rules=rules)


def _compile(value: object, *, where: str, problems: list[str]) -> re.Pattern | None:
    if not isinstance(value, str) or not value:
        problems.append(f"{where}: must be a non-empty regular expression")
        return None
    try:
        return re.compile(value, re.MULTILINE)
    except re.error as exc:
        problems.append(f"{where}: not a valid regular expression ({exc})")
        return None


def check_boilerplate(path: Path) -> tuple[Boilerplate, list[Problem]]:
    """Read boilerplate.yml and list every problem (one line each, with its line number).

    A missing file means no rules (repeated paragraphs are still removed).

    Parameters
    ----------
    path : pathlib.Path
        The boilerplate.yml file; it need not exist.

    Returns
    -------
    boilerplate : Boilerplate
        The rules without problems, in file order, and the ``repeated_paragraphs``
        settings (the default for each one missing or wrong); the defaults alone when
        the file is missing, empty, cannot be read as YAML or is not a mapping.
    problems : list of Problem
        Every problem found, in the order found, with its line where the message
        names one; empty when there is none.
    """
    source = display_path(path)
    if not path.exists():
        return Boilerplate(), []
    try:
        data = load_yaml(path)
    except RhetoricInputError as exc:
        return Boilerplate(), [exc.problem]
    if data is None:
        return Boilerplate(), []
    if not isinstance(data, LineDict):
        return Boilerplate(), [
            Problem(source, "expected 'rules:' and 'repeated_paragraphs:' sections")
        ]
    problems: list[str] = []
    for key in sorted(set(data) - {"rules", "repeated_paragraphs"}, key=str):
        problems.append(
            f"{source}: unknown section {key!r}; expected rules, repeated_paragraphs "
            f"(line {data.lines[key]})"
        )
    rules, seen = [], {}
    entries = data.get("rules") or LineList()
    if not isinstance(entries, LineList):
        problems.append(f"{source}: 'rules' must be a list (line {data.lines['rules']})")
        entries = LineList()
    for entry, line in zip(entries, entries.lines, strict=True):
        rule = _rule(entry, line, source, seen, problems)
        if rule is not None:
            rules.append(rule)
    values = _repeated_settings(data, source, problems)
    return (
        Boilerplate(
            rules=tuple(rules),
            repeated_enabled=values["enabled"],
            repeated_min_documents=values["min_documents"],
            repeated_min_words=values["min_words"],
            repeated_kinds=tuple(values["kinds"]),
        ),
        [_problem(source, p) for p in problems],
    )


def _problem(source: str, message: str) -> Problem:
    """A message of :func:`check_boilerplate` as a problem, with the line it names."""
    found = re.search(r"\((?:line (\d+)|lines \S+ and (\d+))\)", message)  # (lines 2 and 4): 4
    line = int(found[1] or found[2]) if found else None
    return Problem(source, message.removeprefix(f"{source}: "), line)


def _rule(entry, line: int, source: str, seen: dict, problems: list[str]) -> Rule | None:
    """One entry of 'rules' as a rule, or None (its problems appended to ``problems``)."""
    if not isinstance(entry, LineDict):
        problems.append(
            f"{source}: a rule must have id, description and pattern or start (line {line})"
        )
        return None
    rule_id = entry.get("id")
    where = f"{source}: rule {rule_id!r}"
    count = len(problems)
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        problems.append(f"{where}: id must be lowercase letters, digits, '-' or '_' (line {line})")
    elif rule_id in seen or rule_id == REPEATED_RULE:
        problems.append(f"{where}: id used twice (lines {seen.get(rule_id, '?')} and {line})")
    seen.setdefault(rule_id, line)
    for key in sorted(
        set(entry) - {"id", "description", "pattern", "start", "end", "outlets"}, key=str
    ):
        problems.append(f"{where}: unknown key {key!r} (line {entry.lines[key]})")
    if ("pattern" in entry) == ("start" in entry):
        problems.append(f"{where}: give either 'pattern' or 'start' (line {line})")
        return None
    if "end" in entry and "start" not in entry:
        problems.append(f"{where}: 'end' needs 'start' (line {entry.lines['end']})")
    compiled = {
        key: _compile(
            entry[key], where=f"{where}, {key} (line {entry.lines[key]})", problems=problems
        )
        for key in ("pattern", "start", "end")
        if key in entry
    }
    outlets = entry.get("outlets") or []
    if not isinstance(outlets, list) or not all(isinstance(o, str) for o in outlets):
        problems.append(f"{where}: 'outlets' must be a list of outlet names (line {line})")
        outlets = []
    if len(problems) != count:
        return None
    return Rule(id=rule_id, description=str(entry.get("description") or ""),
                outlets=tuple(outlets), **compiled)  # fmt: skip


def _repeated_settings(data, source: str, problems: list[str]) -> dict:
    """The 'repeated_paragraphs' settings, defaults for those missing or wrong."""
    settings = data.get("repeated_paragraphs") or {}
    values = {"enabled": True, "min_documents": 2, "min_words": 3, "kinds": []}
    if not isinstance(settings, dict):
        problems.append(
            f"{source}: 'repeated_paragraphs' must be a mapping (line {data.lines['repeated_paragraphs']})"
        )
        settings = {}
    for key, value in settings.items():
        if key not in values:
            problems.append(f"{source}: repeated_paragraphs: unknown key {key!r}")
        elif key == "enabled" and not isinstance(value, bool):
            problems.append(f"{source}: repeated_paragraphs: enabled must be true or false")
        elif key == "kinds":
            if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
                problems.append(
                    f"{source}: repeated_paragraphs: kinds must be a list such as [news_article]"
                )
            else:
                values[key] = value
        elif key != "enabled" and (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < (2 if key == "min_documents" else 1)
        ):
            problems.append(
                f"{source}: repeated_paragraphs: {key} must be a whole number of at least {2 if key == 'min_documents' else 1}"
            )
        else:
            values[key] = value
    return values


def load_boilerplate(path: Path) -> Boilerplate:
    """Read boilerplate.yml; raise :class:`RhetoricInputError` on its first problem.

    Parameters
    ----------
    path : pathlib.Path
        The boilerplate.yml file; a missing one means no rules.

    Returns
    -------
    Boilerplate
        The rules and the repeated-paragraph settings (see :func:`check_boilerplate`).
    """
    boilerplate, problems = check_boilerplate(path)
    if problems:
        raise RhetoricInputError(first_problem(problems))
    return boilerplate


# -- finding spans -------------------------------------------------------------------


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole lines, taking the final line break along."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", max(end - 1, start))
    line_end = len(text) if line_end == -1 else line_end + 1
    return line_start, line_end


_META = set("\\.^$*+?{}[]|()")


@lru_cache(maxsize=256)
def required_prefix(pattern: re.Pattern) -> str | None:
    r"""Text that every match of a ``^literal...`` pattern begins with, else None.

    Scanning a text for a line-anchored pattern tries every position; checking
    first whether the literal occurs at all is a fast substring search, and a
    text without it cannot match. Only a pattern compiled without flags beyond
    the default ones, starting with ``^`` and plain characters and without
    ``|`` has one.

    >>> required_prefix(re.compile(r"^Read more\s*$", re.MULTILINE))
    'Read more'
    >>> required_prefix(re.compile(r"^Remind me later?", re.MULTILINE))  # the r is optional
    'Remind me late'
    """
    if pattern.flags & ~(re.MULTILINE | re.UNICODE) or not pattern.pattern.startswith("^"):
        return None
    if "|" in pattern.pattern:
        return None  # an alternative may start otherwise
    literal = []
    for char in pattern.pattern[1:]:
        if char in _META:
            break
        literal.append(char)
    following = pattern.pattern[1 + len(literal) : 2 + len(literal)]
    if following and following in "*+?{":
        literal = literal[:-1]  # a quantifier makes the last character optional
    return "".join(literal) or None


def _rule_spans(text: str, rule: Rule) -> list[tuple[int, int]]:
    spans = []
    anchor = rule.pattern if rule.pattern is not None else rule.start
    prefix = required_prefix(anchor)
    if prefix is not None and prefix not in text:
        return spans
    if rule.pattern is not None:
        for match in rule.pattern.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            line_start, line_end = _line_bounds(text, start, end)
            if text[line_start:start].strip() == "" and text[end:line_end].strip() == "":
                start, end = line_start, line_end
            spans.append((start, end))
        return spans
    position = 0
    while True:
        match = rule.start.search(text, position)
        if match is None:
            return spans
        block_start = text.rfind("\n", 0, match.start()) + 1
        block_end = len(text)
        if rule.end is not None:
            closing = rule.end.search(text, match.end())
            if closing is None:  # an unclosed block is not removed: the rule did not match
                return spans
            block_end = _line_bounds(text, closing.start(), closing.end())[1]
        spans.append((block_start, block_end))
        position = max(block_end, match.end())
        if position >= len(text):
            return spans


def _paragraphs(text: str) -> Iterable[tuple[int, int, str]]:
    """Each non-blank line with its bounds (line break included) and its normalised text."""
    position = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            yield position, position + len(line), " ".join(line.split())
        position += len(line)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop what earlier spans already cover; trim partial overlaps. Sorted by start."""
    kept: list[tuple[int, int, str]] = []
    for start, end, rule in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            start = kept[-1][1]
            if start >= end:
                continue
        kept.append((start, end, rule))
    return kept


def _cut(text: str, spans: list[tuple[int, int, str]]) -> str:
    parts, position = [], 0
    for start, end, _rule in spans:
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    kept = "".join(parts)
    kept = re.sub(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+\n", "\n\n", kept)
    return kept.strip()


def _audit(document: str, text: str, spans: list[tuple[int, int, str]]) -> list[dict]:
    return [
        {"document": document, "start": s, "end": e, "rule": r, "text": text[s:e]}
        for s, e, r in spans
    ]


def _words(text: str, language: str = "en") -> int:
    """The number of words: whitespace-separated, or for a Chinese text (no spaces) its
    word tokens (:func:`rhetoric.text.tokens.word_spans`)."""
    from rhetoric.text.tokens import rules_language, word_spans

    if rules_language(language) == "zh":
        return len(word_spans(text, "zh")[0])
    return len(text.split())


def clean_text(
    text: str, boilerplate: Boilerplate, *, document: str = "", outlet: str = ""
) -> tuple[str, pd.DataFrame]:
    """Remove one document's rule-based boilerplate (no repeated-paragraph check).

    Returns ``(cleaned, audit)``; ``audit`` has the columns of :func:`clean_corpus`.

    Parameters
    ----------
    text : str
        The document text.
    boilerplate : Boilerplate
        The rules (:func:`load_boilerplate`); its repeated-paragraph settings are not used.
    document : str, default ""
        The document id written in the audit's ``document`` column.
    outlet : str, default ""
        The document's outlet: a rule that lists ``outlets`` applies only to those.

    Returns
    -------
    cleaned : str
        ``text`` with the matched spans cut out, runs of blank lines folded to one and
        the ends stripped.
    audit : pandas.DataFrame
        One row per removed span, sorted by ``start``: ``document``, ``start``, ``end``,
        ``rule``, ``text``, as in :func:`clean_corpus`.
    """
    spans = _merge(_spans_by_rules(text, boilerplate, outlet))
    return _cut(text, spans), pd.DataFrame(_audit(document, text, spans), columns=AUDIT_COLUMNS)


def _spans_by_rules(
    text: str, boilerplate: Boilerplate, outlet: str
) -> list[tuple[int, int, str]]:
    return [
        (start, end, rule.id)
        for rule in boilerplate.rules
        if not rule.outlets or outlet in rule.outlets
        for start, end in _rule_spans(text, rule)
    ]


@dataclass(frozen=True)
class Cleaned:
    """What :func:`clean_corpus_checked` returns: the cleaned texts, the audit, the reprint
    pairs found between rule and repeated-paragraph cleaning, and the warnings."""

    texts: pd.Series
    audit: pd.DataFrame
    reprints: pd.DataFrame
    warnings: tuple[str, ...]


def clean_corpus(corpus: pd.DataFrame, boilerplate: Boilerplate) -> tuple[pd.Series, pd.DataFrame]:
    """Clean every document of a corpus (from :func:`rhetoric.load_corpus`).

    See :func:`clean_corpus_checked` for the reprint check and the warnings.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per document, in corpus order, with at least ``id``, ``text`` and
        ``outlet`` (a document without an outlet is never checked for repeated
        paragraphs); ``kind`` is read when present (``repeated_paragraphs: kinds``).
    boilerplate : Boilerplate
        The rules and the repeated-paragraph settings (:func:`load_boilerplate`).

    Returns
    -------
    cleaned : pandas.Series
        Cleaned text, indexed by document id, in corpus order.
    audit : pandas.DataFrame
        One row per removed span: ``document`` (id), ``start`` and ``end``
        (character offsets into the document text, end exclusive), ``rule``
        (a boilerplate.yml rule id, or ``repeated-paragraph``), ``text`` (what
        was removed). Sorted by document (corpus order) and start.
    """
    result = clean_corpus_checked(corpus, boilerplate)
    return result.texts, result.audit


def _declared_pairs(corpus: pd.DataFrame) -> pd.DataFrame:
    """(target, document) of each reprint corpus.csv's ``reprint_of`` declares."""
    from rhetoric.text.reprints import declared_reprints

    ids = set(corpus["id"])
    pairs = [(target, doc) for doc, target in zip(corpus["id"], declared_reprints(corpus),
                                                  strict=True)
             if target in ids and target != doc]  # fmt: skip
    return pd.DataFrame(pairs, columns=["a", "b"], dtype=object)


def _repeated_spans(corpus, boilerplate: Boilerplate, by_rules: dict, cluster: dict) -> dict:
    """Paragraphs that survive the rules and recur, verbatim, in documents of one outlet
    that are not reprints of each other (``cluster``: a document's reprint cluster)."""
    repeated: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    if not boilerplate.repeated_enabled:
        return repeated
    # paragraph text -> reprint clusters (of one outlet) where it survives the rules
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    places: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    kinds = set(boilerplate.repeated_kinds)
    for row in corpus.itertuples():
        if not row.outlet or (kinds and getattr(row, "kind", None) not in kinds):
            continue
        covered = by_rules[row.id]
        language = str(getattr(row, "language", "en") or "en")
        for start, end, para in _paragraphs(row.text):
            if _words(para, language) < boilerplate.repeated_min_words:
                continue
            if any(s <= start and end <= e for s, e, _r in covered):
                continue
            seen[(row.outlet, para)].add(cluster.get(row.id, row.id))
            places[row.id].append((start, end, para))
    for row in corpus.itertuples():
        for start, end, para in places.get(row.id, []):
            if len(seen[(row.outlet, para)]) >= boilerplate.repeated_min_documents:
                repeated[row.id].append((start, end, REPEATED_RULE))
    return repeated


def clean_corpus_checked(
    corpus: pd.DataFrame,
    boilerplate: Boilerplate,
    *,
    rule: ReprintRule | None = None,
    primary_kinds: Collection[str] = (),
) -> Cleaned:
    """Clean every document, with the two checks that keep cleaning from deleting an article.

    1. After the boilerplate.yml rules and before the repeated-paragraph rule,
       near-duplicate documents are found (:func:`rhetoric.text.reprints.find_reprints`,
       by ``rule``, a primary text never with coverage; a document whose
       corpus.csv ``reprint_of`` is ``none`` is never one). A paragraph shared only by
       reprints of one text is not "repeated": copies of a wire story would
       otherwise delete each other.
    2. A document that loses more than half of its words to the rules of
       boilerplate.yml, or more than half of the words they left to the
       repeated-paragraph rule, gets a warning (the spans are in the audit as
       always).

    Parameters
    ----------
    corpus : pandas.DataFrame
        As for :func:`clean_corpus`; ``date``, ``kind`` and ``reprint_of`` are read when
        present.
    boilerplate : Boilerplate
        The rules and the repeated-paragraph settings (:func:`load_boilerplate`).
    rule : ReprintRule or None, default None
        The reprint thresholds (check 1); None: the defaults
        (:class:`rhetoric.text.reprints.ReprintRule`).
    primary_kinds : collection of str, default ()
        The kinds of primary texts (:mod:`rhetoric.data.kinds`): never reprints of the
        other kinds' documents, nor they of them.

    Returns
    -------
    Cleaned
        ``texts``: cleaned text by document id, in corpus order (a Series named
        ``text``); ``audit``: the removed spans, as in :func:`clean_corpus`;
        ``reprints``: the pairs of :func:`rhetoric.text.reprints.find_reprints`
        (``a``, ``b``, ``jaccard``, ``containment``) among the texts after the rules;
        ``warnings``: one line per warning of check 2 (a document may get two).
    """
    from rhetoric.text.reprints import ReprintRule, canonical_of, find_reprints

    rule = rule or ReprintRule()
    by_rules = {row.id: _merge(_spans_by_rules(row.text, boilerplate, row.outlet))
                for row in corpus.itertuples()}  # fmt: skip
    after_rules = {row.id: _cut(row.text, by_rules[row.id]) for row in corpus.itertuples()}
    dates = list(corpus["date"].astype(str)) if "date" in corpus else None
    kinds = corpus["kind"].astype(str) if "kind" in corpus else pd.Series([""] * len(corpus))
    groups = ["primary" if kind in set(primary_kinds) else "coverage" for kind in kinds]
    never = (
        corpus["id"][corpus["reprint_of"].astype(str) == "none"] if "reprint_of" in corpus else []
    )
    languages = list(corpus["language"]) if "language" in corpus else None
    pairs = find_reprints(after_rules, threshold=rule.jaccard, containment_min=rule.containment,
                          days=rule.days, groups=groups, dates=dates, exclude=set(never),
                          languages=languages)  # fmt: skip
    # reprints declared by hand are reprints here too: their shared paragraphs stay
    declared = _declared_pairs(corpus)
    cluster = canonical_of(pd.concat([pairs[["a", "b"]], declared], ignore_index=True),
                           list(corpus["id"]), dates or [""] * len(corpus))  # fmt: skip
    repeated = _repeated_spans(corpus, boilerplate, by_rules, cluster)
    cleaned, audit, warnings = {}, [], []
    for row in corpus.itertuples():
        spans = _merge(by_rules[row.id] + repeated[row.id])
        cleaned[row.id] = _cut(row.text, spans) if repeated[row.id] else after_rules[row.id]
        audit.extend(_audit(row.id, row.text, spans))
        if not by_rules[row.id] and not repeated[row.id]:
            continue  # nothing removed: nothing to report
        language = str(getattr(row, "language", "en") or "en")
        words, kept = _words(row.text, language), _words(after_rules[row.id], language)
        if words and (words - kept) / words > MAX_REMOVED_SHARE:
            warnings.append(f"{row.id}: the boilerplate.yml rules removed {1 - kept / words:.0%} "
                            "of its words (see `rhetoric clean ID --removed`)")  # fmt: skip
        left = _words(cleaned[row.id], language)
        if repeated[row.id] and kept and (kept - left) / kept > MAX_REMOVED_SHARE:
            warnings.append(f"{row.id}: the repeated-paragraph rule removed {1 - left / kept:.0%} "
                            "of the words the rules left (a reprint below the threshold? see "
                            "`rhetoric duplicates`)")  # fmt: skip
    return Cleaned(texts=pd.Series(cleaned, name="text", dtype=object),
                   audit=pd.DataFrame(audit, columns=AUDIT_COLUMNS), reprints=pairs,
                   warnings=tuple(warnings))  # fmt: skip
