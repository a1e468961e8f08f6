""":mod:`rhetoric.measures.reuse`: what news coverage took from the statement it reports.

For every news article and every statement of the same dyad, the passages of
the article that reproduce the statement's text: seed and extend, as passim
does. Seeds are word n-grams (:data:`SEED_WORDS` words) that both texts share;
seeds on one diagonal (the same offset between the two texts) form runs, and
runs are joined into one passage when the words between them, in both texts,
are at most :data:`MAX_GAP` (a changed, added or dropped word). A passage of
at least :data:`MIN_WORDS` article words is reported.

Words are the word tokens of the cleaned texts (see
:class:`rhetoric.corpus.Corpus`), lowercased, with curly quotes and
apostrophes and dash variants made plain, so quotation marks and typography
never break a passage. Offsets are characters of the cleaned texts.

An article (coverage) and a statement (a primary text; :mod:`rhetoric.data.kinds`)
are paired when they have the same dyad and the article is dated no earlier than
the day before the statement (:data:`DAY_TOLERANCE`: time zones): coverage follows
what it covers. A pair with the article dated earlier is an *anomaly*
(:func:`reuse_anomalies`: a wrong date, or the statement reusing earlier
wording), listed, never counted.

A passage counts only when it carries the statement's substance: one whose words
are all formula (stopwords, the parties' names, designations such as "the
People's Republic of China" or "President of the Russian Federation", names of
persons, the statement's own title) is not reproduced text, however long
(:data:`MIN_CONTENT_WORDS`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

from rhetoric.corpus import Corpus, codes, document_offsets, hit_rows
from rhetoric.data.kinds import DEFAULT_KINDS
from rhetoric.errors import RhetoricInputError
from rhetoric.text.stopwords import display_stopwords

__all__ = [
    "ARTICLE_KINDS",
    "DAY_TOLERANCE",
    "FORMULA_WORDS",
    "MIN_CONTENT_WORDS",
    "MIN_WORDS",
    "STATEMENT_KINDS",
    "align",
    "find_reuse",
    "reuse_anomalies",
    "reuse_articles",
    "reuse_matrix",
    "reuse_sentences",
    "reuse_statements",
    "reuse_theme_rates",
    "statement_pairs",
]

#: Document kinds whose passages are looked for (corpus.csv ``kind``) when the corpus does not
#: say (its :attr:`~rhetoric.corpus.Corpus.kinds`: coverage).
ARTICLE_KINDS = DEFAULT_KINDS.coverage
#: Document kinds whose text articles may reproduce, when the corpus does not say (primary).
STATEMENT_KINDS = DEFAULT_KINDS.primary
#: Words in a seed (a word n-gram both texts share).
SEED_WORDS = 4
#: Fewest article words in a reported passage.
MIN_WORDS = 8
#: Most words, in either text, between two runs joined into one passage.
MAX_GAP = 3
#: A seed found more often than this in either text is not used (it is a refrain, not a quote).
MAX_SEED_REPEATS = 20
#: A statement sentence counts as reproduced by an article when this share of its words is.
REPRODUCED_SHARE = 0.5
#: An article dated this many days before a statement is still paired with it (time zones).
DAY_TOLERANCE = 1
#: Fewest words in a passage that are not formula (stopwords, names, designations, the
#: statement's title) for it to count as reproduced text.
MIN_CONTENT_WORDS = 3
#: Words of diplomatic designations: "the President of the Russian Federation", "the People's
#: Republic of China", "the two sides", "Joint Statement" (with the parties' names and the
#: statement's title, they make a passage that is formula, not substance).
_FORMULA = """
    president presidents chairman chairwoman premier prime minister ministers foreign affairs
    secretary state states general head heads government governments leader leaders people
    peoples republic federation kingdom union united america democratic socialist islamic
    joint statement statements declaration communique parties party side sides two both
    country countries nation nations excellency mr mrs ms dr his her their majesty
    russian russians chinese american americans soviet british french german indian japanese
    korean iranian ukrainian belarusian kazakh brazilian european african
"""
FORMULA_WORDS = frozenset(_FORMULA.split())

PASSAGE_COLUMNS = ["article", "statement", "article_start", "article_end", "statement_start",
                   "statement_end", "words", "text"]  # fmt: skip
_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"',
                        "\u201d": '"', "\u2010": "-", "\u2011": "-", "\u2013": "-",
                        "\u2014": "-"})  # fmt: skip
_PRIME = np.uint64(0x100000001B3)


# -- alignment of two word sequences --------------------------------------------------------


def _seed_keys(words: np.ndarray, n: int) -> np.ndarray:
    """A 64-bit key of each run of ``n`` consecutive words (codes)."""
    if len(words) < n:
        return np.zeros(0, dtype=np.uint64)
    size = len(words) - n + 1
    keys = words[:size].astype(np.uint64)
    with np.errstate(over="ignore"):
        for k in range(1, n):
            keys = keys * _PRIME + words[k : k + size].astype(np.uint64)
    return keys


def _within(sentences: np.ndarray | None, n: int, size: int) -> np.ndarray:
    """Which seeds lie inside one sentence (all, when sentences are not given)."""
    if sentences is None:
        return np.ones(size, dtype=bool)
    sentences = np.asarray(sentences)
    return sentences[:size] == sentences[n - 1 : n - 1 + size]


def _seeds(a_keys, s_keys, a_ok, s_ok) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i in a, j in s) where the two texts share a seed that neither repeats often
    (seeds where ``a_ok`` / ``s_ok`` is False are not used)."""
    s_rows = np.flatnonzero(s_ok)
    order = s_rows[np.argsort(s_keys[s_rows], kind="stable")]
    ordered = s_keys[order]
    low = np.searchsorted(ordered, a_keys, "left")
    count = np.searchsorted(ordered, a_keys, "right") - low
    _, inverse, in_a = np.unique(a_keys, return_inverse=True, return_counts=True)
    usable = (count > 0) & (count <= MAX_SEED_REPEATS) & (in_a[inverse] <= MAX_SEED_REPEATS)
    usable &= a_ok
    rows, count = np.flatnonzero(usable), count[usable]
    i = np.repeat(rows, count)
    within = np.arange(len(i)) - np.repeat(np.cumsum(count) - count, count)
    return i, order[np.repeat(low[rows], count) + within]


def align(
    a: np.ndarray,
    s: np.ndarray,
    *,
    seed: int = SEED_WORDS,
    min_words: int = MIN_WORDS,
    max_gap: int = MAX_GAP,
    a_sentences: np.ndarray | None = None,
    s_sentences: np.ndarray | None = None,
) -> list[tuple[int, int, int, int]]:
    """Passages of word sequence ``a`` that reproduce word sequence ``s``.

    ``a``, ``s``: integer codes of words (equal codes, equal words). Returns
    ``(a_start, a_end, s_start, s_end)`` word ranges (ends exclusive), in ``a``
    order, each at least ``min_words`` words of ``a`` long, none overlapping
    another in ``a``: where ``s`` holds a passage's text more than once, the
    longest alignment (then the first in ``s``) is given. Work grows with the
    number of shared seeds, which :data:`MAX_SEED_REPEATS` bounds: a text of
    one repeated word aligns in linear time. ``a_sentences``, ``s_sentences``:
    the sentence of each word, if given; a seed then lies inside one sentence
    (a passage still runs on across sentences, but does not take one word of
    the next sentence along).

    Parameters
    ----------
    a : numpy.ndarray
        Word codes of the text whose passages are wanted (the article), 1-D integers.
    s : numpy.ndarray
        Word codes of the text it may reproduce (the statement), in the same coding.
    seed : int, default 4 (:data:`SEED_WORDS`)
        Words in a seed, the word n-gram both texts must share.
    min_words : int, default 8 (:data:`MIN_WORDS`)
        Fewest words of ``a`` in a passage.
    max_gap : int, default 3 (:data:`MAX_GAP`)
        Most words, in either text, between two runs joined into one passage.
    a_sentences, s_sentences : numpy.ndarray or None, default None
        Sentence number of each word of ``a`` and of ``s`` (None: seeds may cross
        sentences).

    Returns
    -------
    list of tuple of int
        ``(a_start, a_end, s_start, s_end)`` per passage: word indices into ``a``
        and ``s``, ends exclusive, sorted by ``a_start``; empty when none.
    """
    a_keys, s_keys = _seed_keys(np.asarray(a), seed), _seed_keys(np.asarray(s), seed)
    a_ok = _within(a_sentences, seed, len(a_keys))
    i, j = _seeds(a_keys, s_keys, a_ok, _within(s_sentences, seed, len(s_keys)))
    if not len(i):
        return []
    diagonal = j - i
    order = np.lexsort((i, diagonal))
    i, j, diagonal = i[order], j[order], diagonal[order]
    new = np.ones(len(i), dtype=bool)
    new[1:] = (diagonal[1:] != diagonal[:-1]) | (i[1:] != i[:-1] + 1)
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(i)) - 1
    runs = sorted(zip(i[first].tolist(), (i[last] + seed).tolist(), j[first].tolist(),
                      (j[last] + seed).tolist(), strict=True))  # fmt: skip
    passages: list[list[int]] = []
    open_: list[list[int]] = []
    for a0, a1, s0, s1 in runs:
        closed = [p for p in open_ if p[1] + max_gap < a0]
        passages.extend(closed)
        open_ = [p for p in open_ if p[1] + max_gap >= a0]
        for p in reversed(open_):  # the passage this run continues, if any (latest first)
            if -seed < a0 - p[1] <= max_gap and -seed < s0 - p[3] <= max_gap:
                p[1], p[3] = max(p[1], a1), max(p[3], s1)
                break
        else:
            open_.append([a0, a1, s0, s1])
    passages.extend(open_)
    long_enough = [p for p in passages if p[1] - p[0] >= min_words]
    # where ``s`` repeats a passage's text, the longest alignment (then the first) stands:
    # each word of ``a`` is given one place in ``s``
    long_enough.sort(key=lambda p: (p[0] - p[1], p[2], p[0]))
    taken = np.zeros(len(a), dtype=bool)
    kept = []
    for p in long_enough:
        if not taken[p[0] : p[1]].any():
            taken[p[0] : p[1]] = True
            kept.append((p[0], p[1], p[2], p[3]))
    return sorted(kept)


# -- the corpus ------------------------------------------------------------------------------


def _word_codes(tokens: pd.DataFrame) -> np.ndarray:
    """A code per token for its plain lowercase form (curly quotes and dashes made plain)."""
    forms = tokens["lower"].cat.categories
    plain = [unicodedata.normalize("NFKC", str(f)).translate(_PLAIN) for f in forms]
    form_code = pd.factorize(pd.Index(plain, dtype=object))[0]
    return form_code[codes(tokens["lower"])]


def _day(date: object) -> int | None:
    try:
        return dt.date.fromisoformat(str(date)[:10]).toordinal()
    except ValueError:
        return None


def statement_pairs(
    corpus: Corpus, articles=None, statements=None, *, anomalies: bool = False
) -> list[tuple[str, str]]:
    """Every (article, statement) of the same dyad, the article dated no earlier than
    :data:`DAY_TOLERANCE` days before the statement, in corpus order of articles, then
    statements.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    articles : iterable of str, optional
        Kinds (corpus.csv ``kind``) of the documents whose passages are looked for;
        default: the corpus's coverage kinds (kinds.yml, :mod:`rhetoric.data.kinds`).
    statements : iterable of str, optional
        Kinds of the documents that articles may reproduce; default: its primary kinds.
    anomalies : bool, default False
        True: instead, the pairs whose article is dated earlier than that (or either date
        cannot be read).

    Returns
    -------
    list of tuple of str
        ``(article id, statement id)`` pairs; a document is never paired with itself.
    """
    articles, statements = _check_kinds(corpus, articles, statements)
    documents = corpus.documents
    kinds = documents["kind"].astype(str)
    dyads = dict(zip(documents["id"], documents["dyad"].astype(str), strict=True))
    days = {d: _day(date) for d, date in zip(documents["id"], documents["date"], strict=True)}
    news = documents["id"][kinds.isin(articles)].tolist()
    said = documents["id"][kinds.isin(statements)].tolist()

    def in_time(a: str, s: str) -> bool:
        return days[a] is not None and days[s] is not None and days[a] >= days[s] - DAY_TOLERANCE

    return [(a, s) for a in news for s in said
            if a != s and dyads[a] == dyads[s] and in_time(a, s) != anomalies]  # fmt: skip


def _check_kinds(corpus: Corpus, articles, statements) -> tuple[tuple[str, ...], tuple[str, ...]]:
    articles = tuple(corpus.kinds.coverage if articles is None else articles)
    statements = tuple(corpus.kinds.primary if statements is None else statements)
    if set(articles) & set(statements):
        both = ", ".join(sorted(set(articles) & set(statements)))
        raise RhetoricInputError(f"reuse: kind {both} cannot be both article and statement")
    return articles, statements


def find_reuse(
    corpus: Corpus,
    *,
    min_words: int = MIN_WORDS,
    articles=None,
    statements=None,
    anomalies: bool = False,
) -> pd.DataFrame:
    """Every passage of a news article that reproduces a statement of the same dyad.

    Returns one row per passage: ``article``, ``statement`` (ids),
    ``article_start``, ``article_end``, ``statement_start``, ``statement_end``
    (character offsets into the cleaned texts, ends exclusive), ``words``
    (article word tokens in the passage) and ``text`` (the article's wording),
    in corpus order of articles, then statements, then position. ``articles``,
    ``statements``: the corpus.csv kinds on each side.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    min_words : int, default 8 (:data:`MIN_WORDS`)
        Fewest article word tokens in a passage; at least ``SEED_WORDS`` (4).
    articles : iterable of str, optional
        Kinds of the documents whose passages are looked for (default: the corpus's
        coverage kinds, :attr:`rhetoric.corpus.Corpus.kinds`).
    statements : iterable of str, optional
        Kinds of the documents articles may reproduce, none also in ``articles``
        (default: its primary kinds).
    anomalies : bool, default False
        True: the passages of the pairs whose article is dated before its statement
        (:func:`statement_pairs`), which are never counted.

    Returns
    -------
    pandas.DataFrame
        One row per passage, the columns above (offsets and ``words`` as int64); a
        passage of fewer than :data:`MIN_CONTENT_WORDS` words that are not formula
        (module docstring) is left out.
    """
    articles, statements = _check_kinds(corpus, articles, statements)
    if min_words < SEED_WORDS:
        raise RhetoricInputError(f"reuse: min_words must be at least {SEED_WORDS}")
    tokens = corpus.tokens
    words, offsets = _word_codes(tokens), document_offsets(tokens)
    row_of = {name: k for k, name in enumerate(tokens["document"].cat.categories)}
    starts, ends = tokens["start"].to_numpy(), tokens["end"].to_numpy()
    sentences = tokens["sentence"].to_numpy()
    texts = corpus.cleaned
    formula = _formula_codes(corpus, tokens)
    code_of = {form: code for code, form in enumerate(pd.factorize(
        pd.Index(_plain_forms(tokens), dtype=object))[1])}  # fmt: skip
    titles: dict[str, np.ndarray] = {}
    proper: dict[str, np.ndarray] = {}
    rows = []
    for article, statement in statement_pairs(corpus, articles, statements, anomalies=anomalies):
        a_first, s_first = offsets[row_of[article]], offsets[row_of[statement]]
        a_rows = slice(a_first, offsets[row_of[article] + 1])
        s_rows = slice(s_first, offsets[row_of[statement] + 1])
        found = align(words[a_rows], words[s_rows], min_words=min_words,
                      a_sentences=sentences[a_rows], s_sentences=sentences[s_rows])  # fmt: skip
        if statement not in titles:
            titles[statement] = _title_codes(corpus, statement, code_of)
        title = titles[statement]
        if found and article not in proper:
            proper[article] = _proper_nouns(corpus, article, a_rows, starts, sentences)
        for a0, a1, s0, s1 in found:
            span = slice(a_first + a0, a_first + a1)
            names = proper[article][a0:a1]
            content = ~formula[span] & ~names & ~np.isin(words[span], title)
            if int(content.sum()) < MIN_CONTENT_WORDS:
                continue  # names, designations and the title: formula, not substance
            begin, end = int(starts[a_first + a0]), int(ends[a_first + a1 - 1])
            rows.append((article, statement, begin, end, int(starts[s_first + s0]),
                         int(ends[s_first + s1 - 1]), a1 - a0, texts[article][begin:end]))  # fmt: skip
    frame = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    return frame.astype({c: "int64" for c in PASSAGE_COLUMNS[2:7]})


def reuse_anomalies(corpus: Corpus, *, min_words: int = MIN_WORDS) -> pd.DataFrame:
    """The pairs of one dyad whose article is dated before its statement (more than
    :data:`DAY_TOLERANCE` days, or a date that cannot be read) and that share a passage:
    listed for a look, never counted as reuse (a wrong date, or a statement that reuses
    earlier wording).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    min_words : int, default 8 (:data:`MIN_WORDS`)
        As :func:`find_reuse`.

    Returns
    -------
    pandas.DataFrame
        One row per such pair, in corpus order of articles: ``article``, ``statement``,
        ``article_date``, ``statement_date``, ``days`` (statement date minus article date),
        ``passages``, ``words`` (article words in them) and ``text`` (the first passage).
    """
    passages = find_reuse(corpus, min_words=min_words, anomalies=True)
    dates = dict(zip(corpus.documents["id"], corpus.documents["date"].astype(str), strict=True))
    rows = []
    for (article, statement), part in passages.groupby(["article", "statement"], sort=False):
        a_day, s_day = _day(dates[article]), _day(dates[statement])
        apart = s_day - a_day if a_day is not None and s_day is not None else None
        rows.append((article, statement, dates[article], dates[statement], apart, len(part),
                     int(part["words"].sum()), part["text"].iloc[0]))  # fmt: skip
    return pd.DataFrame(rows, columns=["article", "statement", "article_date", "statement_date",
                                       "days", "passages", "words", "text"])  # fmt: skip


def _plain_forms(tokens: pd.DataFrame) -> list[str]:
    """The plain lowercase form of each category of ``lower`` (as :func:`_word_codes`)."""
    return [unicodedata.normalize("NFKC", str(f)).translate(_PLAIN)
            for f in tokens["lower"].cat.categories]  # fmt: skip


_POSSESSIVE = re.compile(r"'s$")


def _formula_codes(corpus: Corpus, tokens: pd.DataFrame) -> np.ndarray:
    """Per token: whether its word is formula (a stopword, a word of a party's name or of
    :data:`FORMULA_WORDS`, or no word at all: a number, a sign)."""
    names = {w for name in (*corpus.parties.names.values(), *corpus.parties.short.values())
             for w in re.findall(r"[^\W\d_]+", name.casefold())}  # fmt: skip
    words = display_stopwords() | FORMULA_WORDS | names
    forms = [_POSSESSIVE.sub("", f) for f in _plain_forms(tokens)]
    is_formula = np.asarray([f in words or not any(c.isalpha() for c in f) for f in forms],
                            dtype=bool)  # fmt: skip
    return is_formula[codes(tokens["lower"])]


def _proper_nouns(
    corpus: Corpus, document: str, rows: slice, starts: np.ndarray, sentences: np.ndarray
) -> np.ndarray:
    """Per word token of ``document`` (its ``rows`` of the token table): whether it is
    written with a capital inside its sentence (a name: Putin, Xi Jinping, Geneva), read from
    the cleaned text (a sentence's first word is not)."""
    text = corpus.cleaned[document]
    first = starts[rows]
    capital = np.fromiter((text[i].isupper() for i in first), dtype=bool, count=len(first))
    sentence = sentences[rows]
    opens = np.ones(len(first), dtype=bool)
    opens[1:] = sentence[1:] != sentence[:-1]
    return capital & ~opens


def _title_codes(corpus: Corpus, statement: str, code_of: dict[str, int]) -> np.ndarray:
    """The word codes (:func:`_word_codes`; ``code_of``: code by plain form) of the words of
    ``statement``'s title."""
    title = corpus.documents.loc[corpus.documents["id"] == statement, "title"]
    words = set(re.findall(r"[^\W_]+", str(title.iloc[0]).casefold())) if len(title) else set()
    return np.asarray(sorted(code_of[w] for w in words if w in code_of), dtype=np.int64)


def _rows(corpus: Corpus, document: str) -> slice:
    """The rows of ``document``'s word tokens in the token table."""
    offsets = document_offsets(corpus.tokens)
    row = corpus.tokens["document"].cat.categories.get_loc(document)
    return slice(offsets[row], offsets[row + 1])


def _covered(corpus: Corpus, document: str, spans) -> np.ndarray:
    """Which word tokens of ``document`` lie inside the character spans."""
    rows = _rows(corpus, document)
    starts = corpus.tokens["start"].to_numpy()[rows]
    ends = corpus.tokens["end"].to_numpy()[rows]
    inside = np.zeros(len(starts), dtype=np.int32)
    for begin, end in spans:
        inside[np.searchsorted(starts, begin) : np.searchsorted(ends, end, "right")] += 1
    return inside > 0


def _passages(corpus: Corpus, passages: pd.DataFrame | None) -> pd.DataFrame:
    return find_reuse(corpus) if passages is None else passages


def _sentence_of(corpus: Corpus, document: str) -> np.ndarray:
    return corpus.tokens["sentence"].to_numpy()[_rows(corpus, document)]


def _sentence_count(corpus: Corpus, document: str) -> int:
    """How many sentences ``document`` has: those of the sentence table, a last one without a
    word token ("* * *") included."""
    sentence = _sentence_of(corpus, document)
    own = corpus.sentences["sentence"][corpus.sentences["document"] == document]
    return max(int(sentence.max()) + 1 if len(sentence) else 0,
               int(own.max()) + 1 if len(own) else 0)  # fmt: skip


def _sentence_shares(corpus: Corpus, statement: str, passages: pd.DataFrame) -> np.ndarray:
    """Share of each sentence's word tokens of ``statement`` inside the passages' statement
    spans (one article's passages of that statement)."""
    sentence = _sentence_of(corpus, statement)
    n_sentences = _sentence_count(corpus, statement)
    spans = zip(passages["statement_start"], passages["statement_end"], strict=True)
    covered = _covered(corpus, statement, spans)
    sizes = np.bincount(sentence, minlength=n_sentences)
    return np.bincount(sentence[covered], minlength=n_sentences) / np.maximum(sizes, 1)


def reuse_matrix(
    corpus: Corpus, statement: str, passages: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Share of each sentence of ``statement`` that each article of its dyad reproduced.

    Rows: the articles of the statement's dyad (corpus order), columns: the
    statement's sentence numbers (0-based); values: the share of the
    sentence's word tokens inside a passage of that article (0 to 1).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    statement : str
        Document id of the statement.
    passages : pandas.DataFrame or None, default None
        :func:`find_reuse` output (None: :func:`find_reuse` of ``corpus`` with its
        defaults).

    Returns
    -------
    pandas.DataFrame
        Floats; index ``article``: every document of the statement's dyad whose kind
        is of the corpus's coverage kinds (0 in every column for an article without a
        passage); columns ``sentence``: 0 to the statement's last sentence (a sentence
        without a word token has 0 in every row).
    """
    passages = _passages(corpus, passages)
    documents = corpus.documents
    if statement not in set(documents["id"]):
        raise RhetoricInputError(f"reuse: no document {statement!r} (see `rhetoric corpus`)")
    dyad = documents.loc[documents["id"] == statement, "dyad"].iloc[0]
    same = documents[(documents["dyad"] == dyad) & documents["kind"].isin(corpus.kinds.coverage)]
    mine = passages[passages["statement"] == statement]
    n_sentences = _sentence_count(corpus, statement)
    rows = {article: _sentence_shares(corpus, statement, mine[mine["article"] == article])
            for article in same["id"] if article != statement}  # fmt: skip
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=range(n_sentences))
    frame = frame.reindex(columns=range(n_sentences))
    frame.index.name, frame.columns.name = "article", "sentence"
    return frame.astype(float)


def reuse_statements(corpus: Corpus, passages: pd.DataFrame | None = None) -> list[str]:
    """The statements of which an article reproduced at least one sentence (at least
    :data:`REPRODUCED_SHARE` of its words, as :func:`reuse_sentences` counts), those that
    the most articles reproduced first, then in corpus order.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    passages : pandas.DataFrame or None, default None
        :func:`find_reuse` output (None: :func:`find_reuse` of ``corpus`` with its
        defaults).

    Returns
    -------
    list of str
        Document ids of the statements; a statement with passages none of which covers
        half of one of its sentences is not one.
    """
    sentences = reuse_sentences(corpus, _passages(corpus, passages))
    reproduced = sentences[sentences["articles"] > 0]
    articles = {
        statement: len({a for by in part["reproduced_by"] for a in by.split(";")})
        for statement, part in reproduced.groupby("statement", sort=False)
    }
    order = {d: n for n, d in enumerate(corpus.documents["id"])}
    return sorted(articles, key=lambda s: (-articles[s], order[s]))


def reuse_articles(corpus: Corpus, passages: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per article and statement of the same dyad: how much of the article is statement text.

    Columns: ``article``, ``statement``, ``words`` (the article's word
    tokens), ``reproduced`` (those inside a passage of that statement),
    ``share`` (reproduced / words), ``passages``, ``sentences`` (the statement
    sentences, 0-based, of which the article reproduced at least
    :data:`REPRODUCED_SHARE` of the words, joined by ``;``). Every pair is
    listed, those with nothing reproduced too.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    passages : pandas.DataFrame or None, default None
        :func:`find_reuse` output (None: :func:`find_reuse` of ``corpus`` with its
        defaults).

    Returns
    -------
    pandas.DataFrame
        One row per pair of :func:`statement_pairs` with the default kinds, in its
        order; the columns above (``share`` NaN for an article without word tokens).
    """
    passages = _passages(corpus, passages)
    rows = []
    sizes = corpus.tokens["document"].value_counts()
    for article, statement in statement_pairs(corpus):
        mine = passages[(passages["article"] == article) & (passages["statement"] == statement)]
        covered = _covered(corpus, article, zip(mine["article_start"], mine["article_end"],
                                                   strict=True))  # fmt: skip
        shares = _sentence_shares(corpus, statement, mine)
        taken = [str(k) for k in np.flatnonzero(shares >= REPRODUCED_SHARE)]
        words = int(sizes.get(article, 0))
        rows.append((article, statement, words, int(covered.sum()),
                     covered.sum() / words if words else float("nan"), len(mine), ";".join(taken)))  # fmt: skip
    return pd.DataFrame(rows, columns=["article", "statement", "words", "reproduced", "share",
                                       "passages", "sentences"])  # fmt: skip


def reuse_sentences(corpus: Corpus, passages: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per sentence of every statement that has articles of its dyad: who reproduced it.

    Columns: ``statement``, ``sentence`` (0-based), ``words``, ``articles``
    (how many articles reproduced at least :data:`REPRODUCED_SHARE` of its
    words), ``reproduced_by`` (their ids, ``;``), ``covered`` (the share of its
    words that some article reproduced), ``text``. A sentence with
    ``articles`` 0 is one no article reproduced.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    passages : pandas.DataFrame or None, default None
        :func:`find_reuse` output (None: :func:`find_reuse` of ``corpus`` with its
        defaults).

    Returns
    -------
    pandas.DataFrame
        One row per sentence of each statement of :func:`statement_pairs` (default
        kinds), statements in corpus order, sentences in text order; the columns
        above (``words``: the sentence's word tokens; ``text``: its cleaned text).
    """
    passages = _passages(corpus, passages)
    with_articles = sorted({s for _a, s in statement_pairs(corpus)},
                           key=list(corpus.documents["id"]).index)  # fmt: skip
    sentences = corpus.sentences
    rows = []
    for statement in with_articles:
        matrix = reuse_matrix(corpus, statement, passages)
        mine = passages[passages["statement"] == statement]
        spans = zip(mine["statement_start"], mine["statement_end"], strict=True)
        covered = _covered(corpus, statement, spans)
        sentence = _sentence_of(corpus, statement)
        own = sentences[sentences["document"] == statement]
        text = corpus.cleaned[statement]
        for row in own.itertuples():
            shares = matrix[row.sentence]
            by = [a for a, v in shares.items() if v >= REPRODUCED_SHARE]
            size = int((sentence == row.sentence).sum())
            share = covered[sentence == row.sentence].mean() if size else 0.0
            rows.append((statement, int(row.sentence), size, len(by), ";".join(by), float(share),
                         text[row.start : row.end]))  # fmt: skip
    return pd.DataFrame(rows, columns=["statement", "sentence", "words", "articles",
                                       "reproduced_by", "covered", "text"])  # fmt: skip


def reuse_theme_rates(
    corpus: Corpus, statement: str, passages: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Theme rates of a statement, of the article text that reproduced it, and of the rest.

    Parts: ``statement`` (its own text), ``reproduced`` (the word tokens of
    articles inside passages of this statement) and ``own words`` (the other
    word tokens of those same articles: the outlets' words). Columns:
    ``part``, ``documents``, ``theme``, ``label``, ``count``, ``tokens``,
    ``per_1000`` (hits per 1,000 word tokens of the part, pooled over its
    documents: a description of these texts, with no interval).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    statement : str
        Document id of the statement.
    passages : pandas.DataFrame or None, default None
        :func:`find_reuse` output (None: :func:`find_reuse` of ``corpus`` with its
        defaults).

    Returns
    -------
    pandas.DataFrame
        One row per part × theme (parts in the order above, themes in themes.yml
        order); the columns above: ``documents`` (1 for the statement, the
        articles with a passage of it for the other parts), ``label`` (the
        theme's), ``count`` (hits not negated whose first token is in the part, as
        :func:`rhetoric.measures.theme_rates` counts them), ``tokens`` (word tokens of the part; ``per_1000`` NaN when 0).
    """
    passages = _passages(corpus, passages)
    mine = passages[passages["statement"] == statement]
    tokens = corpus.tokens
    names = set(tokens["document"].cat.categories)
    part = np.full(len(tokens), -1, dtype=np.int8)  # -1 none, 0 statement, 1 reproduced, 2 own
    if statement not in names:
        raise RhetoricInputError(f"reuse: no document {statement!r} (see `rhetoric corpus`)")
    part[_rows(corpus, statement)] = 0
    articles = list(dict.fromkeys(mine["article"]))
    for article in articles:
        spans = zip(mine.loc[mine["article"] == article, "article_start"],
                    mine.loc[mine["article"] == article, "article_end"], strict=True)  # fmt: skip
        part[_rows(corpus, article)] = np.where(_covered(corpus, article, spans), 1, 2)
    parts = ["statement", "reproduced", "own words"]
    documents = [1, len(articles), len(articles)]
    sizes = np.bincount(part[part >= 0], minlength=3)
    hits = corpus.hits
    hit_part = part[hit_rows(tokens, hits)] if len(hits) else np.zeros(0, dtype=np.int8)
    affirmed = ~hits["negated"].to_numpy(dtype=bool) if len(hits) else np.zeros(0, dtype=bool)
    rows = []
    for k, name in enumerate(parts):
        for theme in corpus.themes:
            mine = (hit_part == k) & (hits["theme"].to_numpy() == theme.id) & affirmed
            count = int(mine.sum())
            rate = 1000 * count / sizes[k] if sizes[k] else float("nan")
            rows.append((name, documents[k], theme.id, theme.label, count, int(sizes[k]), rate))
    return pd.DataFrame(rows, columns=["part", "documents", "theme", "label", "count", "tokens",
                                       "per_1000"])  # fmt: skip
