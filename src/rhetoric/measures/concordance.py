""":mod:`rhetoric.measures.concordance`: keyword in context, lexicon audit, collocates.

Patterns are written like theme terms: a word (matched on its stem, so
``trust`` finds "trusted"), a phrase (``mutual trust``), a glob
(``cooperat*``), or a term of another kind (``exact: trusts``, ``glob: e*mail``,
``regex: trust(s|ed)?``; see :mod:`rhetoric.text.themes`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import unicodedata

import numpy as np
import pandas as pd

from rhetoric.corpus import Corpus, Stopwords, codes, document_offsets, hit_rows
from rhetoric.errors import RhetoricInputError
from rhetoric.measures.keyterms import g2
from rhetoric.text.stopwords import stopword_terms
from rhetoric.text.themes import (
    DEFAULT_TERMS_LANGUAGE,
    Theme,
    compile_term,
    match_themes,
    term_problem,
)

__all__ = ["SORTS", "collocates", "format_kwic", "kwic", "lexicon_report", "spread_sample",
           "theme_kwic"]  # fmt: skip

KWIC_COLUMNS = ["document", "voice", "left", "match", "right", "sentence", "start", "end"]


def _check_pattern(pattern: str) -> tuple[tuple[str, str], ...]:
    problem = term_problem(pattern)
    if problem:
        raise RhetoricInputError(f"pattern: {problem}")
    return compile_term(pattern)


def _context(corpus: Corpus, hits: pd.DataFrame, window: int) -> pd.DataFrame:
    """Add left and right context: ``window`` word tokens each side, within the document."""
    tokens = corpus.tokens
    texts = corpus.cleaned.to_dict()
    starts, ends = tokens["start"].to_numpy(), tokens["end"].to_numpy()
    offsets = document_offsets(tokens)
    names = tokens["document"].cat.categories
    doc_codes = codes(hits["document"]) if len(hits) else np.zeros(0, np.int64)
    left, right = [], []
    for doc, row, length in zip(doc_codes, hit_rows(tokens, hits), hits["n_tokens"].to_numpy(),
                                strict=True):  # fmt: skip
        text = texts[names[doc]]
        left_row = max(offsets[doc], row - window)
        right_row = min(offsets[doc + 1] - 1, row + length - 1 + window)
        match_start, match_end = starts[row], ends[row + length - 1]
        left.append(" ".join(text[starts[left_row] : match_start].split()) if window else "")
        right.append(
            " ".join(text[match_end : ends[right_row]].split())
            if window and right_row >= row + length
            else ""
        )
    frame = hits.assign(left=left, right=right)
    frame["match"] = frame["match"].map(lambda m: " ".join(m.split()))
    return frame


#: How concordance lines can be sorted: corpus order, or by the n-th word left or right.
SORTS = ("document", *(f"L{k}" for k in range(1, 6)), *(f"R{k}" for k in range(1, 6)))


def _sorted(corpus: Corpus, hits: pd.DataFrame, frame: pd.DataFrame, sort: str) -> pd.DataFrame:
    """Lines in corpus order, or ordered by the lowercase word ``k`` tokens left (``Lk``) or
    right (``Rk``) of the match (none: first), then corpus order, as AntConc sorts."""
    if sort not in SORTS:
        raise RhetoricInputError(f"sort={sort!r}: use {', '.join(SORTS)}")
    if sort == "document" or frame.empty:
        return frame
    tokens = corpus.tokens
    offsets = document_offsets(tokens)
    rows = hit_rows(tokens, hits)
    doc = codes(hits["document"])
    k = int(sort[1:])
    at = rows - k if sort[0] == "L" else rows + hits["n_tokens"].to_numpy() - 1 + k
    inside = (at >= offsets[doc]) & (at < offsets[doc + 1])
    lower = tokens["lower"].astype(str).to_numpy()
    words = np.where(inside, lower[np.clip(at, 0, max(len(lower) - 1, 0))], "")
    order = np.lexsort((np.arange(len(frame)), words))
    return frame.iloc[order]


def kwic(corpus: Corpus, pattern: str, *, window: int = 5, sort: str = "document") -> pd.DataFrame:
    """Concordance lines for a word, phrase or glob.

    ``sort``: ``document`` (corpus order), or ``L1``–``L5`` / ``R1``–``R5``:
    by the word that many tokens left / right of the match (as AntConc's
    sort levels), ties in corpus order.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    pattern : str
        A word, phrase, glob or a term of another kind, written as a theme term
        (module docstring).
    window : int, default 5
        Word tokens of context on each side (0 or more), within the match's document.
    sort : str, default "document"
        One of :data:`SORTS`: ``document``, ``L1``–``L5`` or ``R1``–``R5``.

    Returns
    -------
    pandas.DataFrame
        One row per match: ``document``, ``voice`` (of the match's first token),
        ``left``, ``match``, ``right`` (``window`` word tokens of context each
        side, with the punctuation between them, line breaks folded to spaces),
        ``sentence`` (0-based within the document), ``start``, ``end`` (character
        offsets of the match in the cleaned text).
    """
    if window < 0:
        raise RhetoricInputError(f"window={window}: must be 0 or more")
    _check_pattern(pattern)
    hits = match_themes(corpus.tokens, (_everywhere("kwic", pattern, corpus),), corpus.cleaned,
                        corpus.languages)  # fmt: skip
    frame = _context(corpus, hits, window)
    return _sorted(corpus, hits, frame, sort)[KWIC_COLUMNS].reset_index(drop=True)


def format_kwic(frame: pd.DataFrame, *, width: int = 40) -> list[str]:
    """Concordance lines as AntConc and quanteda print them: ``[document, sentence]`` (and
    the voice, and ``negated`` for a negated theme hit, where the table has them), the left
    context right-aligned, `` | match | ``, the right context left-aligned. Contexts
    wider than ``width`` columns are cut at the far end (``…``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Concordance lines, as :func:`kwic` or :func:`theme_kwic` return them
        (``document``, ``sentence``, ``left``, ``match``, ``right``; ``voice`` and
        ``negated`` are used when present).
    width : int, default 40
        Most terminal columns of each context, the ``…`` included (a Chinese character
        takes two, so that lines stay aligned).

    Returns
    -------
    list of str
        One line per row of ``frame``, in its order, trailing spaces stripped;
        empty for an empty table.
    """
    if frame.empty:
        return []
    left = [_cut(t, width, keep_end=True) for t in frame["left"]]
    right = [_cut(t, width, keep_end=False) for t in frame["right"]]
    where = [f"[{d}, {s}]" for d, s in zip(frame["document"], frame["sentence"], strict=True)]
    if "voice" in frame:  # quoted or narrated, and negated where a theme hit is
        negated = frame["negated"] if "negated" in frame else [False] * len(frame)
        where = [f"{w} {v}{' negated' if n else ''}"
                 for w, v, n in zip(where, frame["voice"], negated, strict=True)]  # fmt: skip
    pad_where, pad_left = max(map(len, where)), max(map(_columns, left))
    return [f"{w:<{pad_where}}  {' ' * (pad_left - _columns(lt))}{lt} | {m} | {rt}".rstrip()
            for w, lt, m, rt in zip(where, left, frame["match"], right, strict=True)]  # fmt: skip


def _columns(text: str) -> int:
    """Terminal columns of ``text``: a Chinese (East Asian wide) character takes two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int, *, keep_end: bool) -> str:
    """``text`` in at most ``width`` columns, cut at its far end with ``…``."""
    if _columns(text) <= width:
        return text
    kept, used = [], 1  # the … takes one column
    for char in reversed(text) if keep_end else text:
        used += _columns(char)
        if used > width:
            break
        kept.append(char)
    return "…" + "".join(reversed(kept)) if keep_end else "".join(kept) + "…"


def theme_kwic(
    corpus: Corpus, theme: str, *, window: int = 5, sort: str = "document"
) -> pd.DataFrame:
    """Every hit of one theme in context (columns of :func:`kwic` plus ``term`` and
    ``negated``; ``sort`` as there).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    theme : str
        Theme id, as in themes.yml.
    window : int, default 5
        Word tokens of context on each side, within the hit's document.
    sort : str, default "document"
        One of :data:`SORTS`, as in :func:`kwic`.

    Returns
    -------
    pandas.DataFrame
        One row per hit of the theme, negated hits included: ``document``,
        ``voice``, ``left``, ``match``, ``right``, ``term`` (as in themes.yml),
        ``negated`` (bool), ``sentence``, ``start``, ``end``; the other columns
        as in :func:`kwic`.
    """
    ids = [t.id for t in corpus.themes]
    if theme not in ids:
        raise RhetoricInputError(f"theme={theme!r}: not in themes.yml (themes: {', '.join(ids)})")
    hits = corpus.hits[corpus.hits["theme"] == theme]
    frame = _sorted(corpus, hits, _context(corpus, hits, window), sort)
    return frame[
        [
            "document",
            "voice",
            "left",
            "match",
            "right",
            "term",
            "negated",
            "sentence",
            "start",
            "end",
        ]
    ].reset_index(drop=True)


def spread_sample(
    lines: pd.DataFrame, n: int, groups: Mapping[str, str], order: Sequence[str] = ()
) -> pd.DataFrame:
    """At most ``n`` concordance lines spread over groups and documents: at most one line
    per document (its first), taking the groups in turn (those of ``order`` first, in
    that order, then the rest in the order of their first line), each group's documents
    in the order of ``lines``; the lines kept stay in that order. The first lines of a concordance sorted by document often all come from one
    text; these show how the groups use a theme.

    Parameters
    ----------
    lines : pandas.DataFrame
        Concordance lines with a ``document`` column (:func:`kwic`, :func:`theme_kwic`).
    n : int
        Most lines kept.
    groups : mapping of str to str
        Document id -> its group (a document not in it is a group of its own).
    order : sequence of str, default ()
        Groups taken first (e.g. the two compared), so that a small ``n`` shows them.

    Returns
    -------
    pandas.DataFrame
        The rows kept, as in ``lines``.
    """
    first = lines.drop_duplicates("document")
    group = first["document"].map(lambda d: groups.get(d, d))
    queues = {g: list(part.index) for g, part in first.groupby(group, sort=False)}
    rank = {g: i for i, g in enumerate(order)}
    queues = dict(sorted(queues.items(), key=lambda item: rank.get(item[0], len(rank))))
    kept: list = []
    while len(kept) < n and any(queues.values()):
        for queue in queues.values():
            if queue and len(kept) < n:
                kept.append(queue.pop(0))
    return lines.loc[sorted(kept)]


def _everywhere(theme_id: str, pattern: str, corpus: Corpus) -> Theme:
    """A one-term theme whose term is matched in every language of the corpus (a Chinese
    document's copy of it segmented as Chinese)."""
    others = sorted(set(corpus.languages.values()) - {DEFAULT_TERMS_LANGUAGE})
    return Theme(theme_id, theme_id, "", (pattern,), tuple((lang, (pattern,)) for lang in others))


def lexicon_report(corpus: Corpus) -> pd.DataFrame:
    """How often each term of each theme matched, so a reader can audit the lexicons.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).

    Returns
    -------
    pandas.DataFrame
        One row per theme, language and term: ``theme``, ``language`` (of the term: the
        documents it is matched in), ``term``, ``hits`` (negated hits included),
        ``negated`` (those of ``hits`` that are negated), ``documents`` (with at least
        one hit), ``matches`` (the distinct forms it matched, lowercase, sorted and joined
        by ``;``, e.g. "cooperate; cooperation"), ``language_documents`` (documents of
        the corpus in that language: a term of a language with none cannot match). Terms
        that never matched have ``hits`` 0. A language of the corpus that a theme has no
        terms in gets one row with an empty ``term``, ``hits`` 0 and ``matches`` saying
        so: the theme cannot be found there. In themes.yml order, each theme's languages
        English first.
    """
    hits = corpus.hits
    language_of = corpus.languages
    in_corpus = pd.Series(list(language_of.values()), dtype=object).value_counts()
    hits = hits.assign(language=hits["document"].astype(object).map(language_of))
    rows = []
    for theme in corpus.themes:
        in_theme = hits[hits["theme"] == theme.id]
        for language, term in theme.all_terms:
            matched = in_theme[(in_theme["term"] == term) & (in_theme["language"] == language)]
            forms = sorted({" ".join(m.lower().split()) for m in matched["match"]})
            rows.append(
                (theme.id, language, term, len(matched), int(matched["negated"].sum()),
                 matched["document"].nunique(), "; ".join(forms), int(in_corpus.get(language, 0)))
            )  # fmt: skip
        for language in sorted(set(in_corpus.index) - set(theme.languages)):
            count = int(in_corpus[language])
            note = f"no {language} terms: the theme cannot be found in {language} documents"
            rows.append((theme.id, language, "", 0, 0, 0, note, count))
    columns = ["theme", "language", "term", "hits", "negated", "documents", "matches",
               "language_documents"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _span_mask(tokens: pd.DataFrame, hits: pd.DataFrame, window: int) -> np.ndarray:
    """Tokens within ``window`` of a node occurrence, in its sentence, the node itself left out."""
    doc_codes = codes(tokens["document"])
    sentence = tokens["sentence"].to_numpy()
    n = len(tokens)
    in_span = np.zeros(n, dtype=bool)
    is_node = np.zeros(n, dtype=bool)
    lengths = hits["n_tokens"].to_numpy() if len(hits) else np.zeros(0, np.int64)
    for row, length in zip(hit_rows(tokens, hits), lengths, strict=True):
        is_node[row : row + length] = True
        low, high = max(0, row - window), min(n, row + length + window)
        same = (doc_codes[low:high] == doc_codes[row]) & (sentence[low:high] == sentence[row])
        in_span[low:high] |= same
    return in_span & ~is_node


def _group_collocates(name, in_group, in_span, term_codes, categories, hidden, min_count):
    """One group's collocate rows (see :func:`collocates`)."""
    total = int(in_group.sum())
    frequency = np.bincount(term_codes[in_group], minlength=len(categories))
    count = np.bincount(term_codes[in_group & in_span], minlength=len(categories))
    span_tokens = int(count.sum())
    keep = np.flatnonzero((count >= max(min_count, 1)) & ~hidden)
    if span_tokens == 0 or keep.size == 0:
        return []
    a, f = count[keep], frequency[keep]
    scores = (
        g2(a, span_tokens, f - a, total - span_tokens)
        if total > span_tokens
        else np.zeros(len(keep))
    )
    with np.errstate(divide="ignore"):
        pmi = np.log2(a / (f * span_tokens / total))
    return [
        (name, categories[k], int(a[i]), span_tokens, int(f[i]), total, float(scores[i]),
         float(pmi[i]))
        for i, k in enumerate(keep)
    ]  # fmt: skip


COLLOCATE_COLUMNS = ["group", "collocate", "count", "span_tokens", "frequency", "tokens", "g2",
                     "pmi"]  # fmt: skip


def collocates(
    corpus: Corpus,
    node: str,
    *,
    by: str = "dyad",
    window: int = 5,
    min_count: int = 2,
    stopwords: Stopwords = "drop",
) -> pd.DataFrame:
    """Words that occur near a node word, phrase or glob, per group.

    The span is ``window`` word tokens on each side of each node occurrence,
    within its sentence; node tokens themselves are not counted. With
    ``stopwords="drop"`` (default, the study's one policy for word lists) the display
    stopwords are not listed as collocates; they still count in every size.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    node : str
        A word, phrase, glob or a term of another kind, written as a theme term
        (module docstring).
    by : str, default "dyad"
        Document variable to group by: ``document``, ``dyad``, ``year``, ``kind``,
        ``outlet``, ``corpus`` (one group) or another corpus.csv column.
    window : int, default 5
        Word tokens on each side of a node occurrence (1 or more), within its sentence.
    min_count : int, default 2
        Fewest occurrences in the group's spans for a collocate to be listed.
    stopwords : {"drop", "keep"}, default "drop"
        ``drop`` leaves the display stopwords out of the list; ``keep`` lists them.

    Returns
    -------
    pandas.DataFrame
        One row per group and collocate (lowercase form) seen at least
        ``min_count`` times in the node's spans, sorted by group (corpus
        order) then ``g2`` (highest first, ties alphabetically): ``group``,
        ``collocate``, ``count`` (occurrences in the spans), ``span_tokens``
        (word tokens in the group's spans, each counted once), ``frequency``
        (occurrences in the whole group), ``tokens`` (word tokens of the group),
        ``g2`` (signed 4-cell log-likelihood of ``count`` in ``span_tokens``
        against the rest of the group, natural log, no correction, see
        :func:`rhetoric.measures.keyterms.g2`; 0 when the spans hold the whole
        group), ``pmi`` (log2 of ``count`` over its expectation ``frequency`` ×
        ``span_tokens`` / ``tokens``).
    """
    if window < 1:
        raise RhetoricInputError(f"window={window}: must be 1 or more")
    _check_pattern(node)
    tokens = corpus.tokens
    hits = match_themes(tokens, (_everywhere("node", node, corpus),), corpus.cleaned,
                        corpus.languages)  # fmt: skip
    in_span = _span_mask(tokens, hits, window)
    group_codes, names = corpus.token_groups(by)
    categories = tokens["lower"].cat.categories
    hidden = np.zeros(len(categories), dtype=bool)
    if stopwords == "drop":
        hidden = stopword_terms(categories)
    elif stopwords != "keep":
        raise RhetoricInputError(f"stopwords={stopwords!r}: use keep or drop")
    term_codes = codes(tokens["lower"])
    rows = [
        row
        for g, name in enumerate(names)
        for row in _group_collocates(
            name, group_codes == g, in_span, term_codes, categories, hidden, min_count
        )
    ]
    frame = pd.DataFrame(rows, columns=COLLOCATE_COLUMNS)
    if frame.empty:
        return frame.astype({"count": "int64", "g2": "float64", "pmi": "float64"})
    order = {name: i for i, name in enumerate(names)}
    frame = frame.sort_values(
        ["group", "g2", "collocate"], key=lambda c: c.map(order) if c.name == "group" else c,
        ascending=[True, False, True], kind="mergesort",
    )  # fmt: skip
    return frame.reset_index(drop=True)
