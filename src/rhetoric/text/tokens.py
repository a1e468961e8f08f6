""":mod:`rhetoric.text.tokens`: sentences, word tokens, stems and voice, with no downloaded data.

The only module that imports NLTK's tokenizers. Nothing here needs
``nltk.download``:

- **sentences**: NLTK's Punkt with a fixed, versioned abbreviation list
  (:data:`ABBREVIATIONS`), run per paragraph. Not trained on the corpus, so
  adding a statement never changes how the others are split.
- **words**: :class:`WordTokenizer`, which implements NLTK's tokenizer
  interface (``tokenize``, ``span_tokenize``) over one regular expression (:data:`WORD_PATTERN`): Penn-Treebank-like conventions (``Putin``
  ``'s``; ``do`` ``n't``; ``U.S.`` stays whole; hyphenated compounds such as
  ``non-proliferation`` stay whole; ``U.S.-Russian`` is ``U.S.`` ``-``
  ``Russian``; a final full stop is split from a word; curly and straight
  apostrophes alike). NLTK's own ``RegexpTokenizer`` would run the same
  pattern three times slower (NLTK 3.10 routes it through a ReDoS guard that
  also aborts on texts longer than a few megabytes); ``word_tokenize`` needs
  the ``punkt_tab`` download.
- **stems**: NLTK's Snowball (English) stemmer on the lowercase form.
- **voice**: a token is ``quoted`` inside quotation marks: straight ``"``, two
  apostrophes ``''`` used as one, curly “ ”, guillemets « » and ‹ ›, low-high „ “
  (German and Russian style: “ closes a quote „ opened) and corner brackets 「 」;
  else ``narration``. Apostrophes and single curly quotes are not quotes. A quote
  left open ends at the end of its paragraph.

Paragraphs: when a text has blank lines, they separate paragraphs (single
line breaks inside are wrapping); a text without blank lines has one
paragraph per line. Offsets are character offsets into the text given
(the cleaned text), end exclusive: ``text[start:end]`` is the token.

Only word tokens (those with a letter or a digit) are kept; punctuation
marks only set ``after_punct`` on the word that follows them, so a phrase
never matches across a comma.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
import re

import numpy as np

__all__ = [
    "ABBREVIATIONS",
    "DocTokens",
    "WordTokenizer",
    "paragraph_spans",
    "quoted_spans",
    "sentence_spans",
    "stem",
    "stem_words",
    "tokenize_document",
    "word_spans",
]

#: Abbreviations that do not end a sentence: lower case, without the final dot.
ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "sgt", "adm", "sen",
        "rep", "gov", "amb", "pres", "jr", "sr", "st", "rev", "hon", "messrs",
        "u.s", "u.k", "u.n", "e.u", "u.s.s.r", "d.c", "i.e", "e.g", "p.m", "a.m", "vs", "etc",
        "jan", "feb", "aug", "sept", "oct", "nov", "dec", "inc", "corp", "co", "ltd",
    }
)  # fmt: skip

_TITLES = (
    "Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Capt|Sgt|Adm|Sen|Rep|Gov|Amb|Pres|Jr|Sr|St|Rev|Hon|Messrs"
    "|Jan|Feb|Aug|Sept|Oct|Nov|Dec"
)
#: The tokenizer's rules, alternatives tried in order (the first that matches wins).
_RULES = rf"""
    (?P<abbr>(?:[^\W\d_]\.){{2,}})                          # U.S.  D.C.  i.e.
  | (?P<title>(?:{_TITLES}|vs|etc)\.)(?=\s|$)               # Mr.  Dr.  etc.
  | (?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+\.\d+)  # 1,009  3.5
  | (?P<stem_nt>\w+?(?=[nN]['’][tT]\b))                     # do|n't  ca|n't
  | (?P<nt>(?<=\w)[nN]['’][tT]\b)                           # n't
  | (?P<clitic>(?<=\w)['’](?:[sSdDmM]|re|RE|ve|VE|ll|LL)\b) # 's  're  'll
  | (?P<word>\w+(?:(?:[-‐]|['’](?!(?:[sSdDmM]|re|ve|ll)\b))\w+)*)  # words, compounds, O'Brien
  | (?P<punct>[^\w\s])                                      # one mark
"""
#: Two shortcuts tried first; each matches only where :data:`_RULES` would give the same
#: token, so they change speed, not tokens (a test checks this):
#: letters with nothing after them that another rule could use (most words), and a mark
#: other than an apostrophe (which only the ``punct`` rule can match).
_SHORTCUTS = r"""
    (?P<letters>[^\W\d_]++)(?![\w.'’‐-])
  | (?P<mark>[^\w\s'’])
"""
#: The word tokenizer's pattern.
WORD_PATTERN = _SHORTCUTS + "  |" + _RULES
_WORD_RX = re.compile(WORD_PATTERN, re.VERBOSE)
#: The same pattern without groups, each match taking the whitespace before it.
_SPACED_RX = re.compile(r"\s*+(?:" + re.sub(r"\(\?P<\w+>", "(?:", WORD_PATTERN) + ")", re.VERBOSE)
#: A context for Punkt that starts with a plain word, directly followed by the candidate mark and
#: then a space, the end, or a closing quote or bracket (see ``_sentence_splitter``).
_PLAIN_BEFORE = re.compile(r"([A-Za-z]{2,})[.?!](?=\s|$|[\"'”’)\]])")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_QUOTE = re.compile(r"''|[\"“”«»„‹›「」]")
_OPENERS, _CLOSERS = ("“", "«", "„", "‹", "「"), ("”", "»", "›", "」")
#: Punkt is run on pieces of at most this many characters (its regexes are time-limited).
_MAX_PIECE = 50_000


class WordTokenizer:
    """Word and punctuation tokens (see the module docstring).

    Implements NLTK's ``TokenizerI`` interface, so it plugs into NLTK (e.g.
    ``nltk.Text``); it does not inherit from it, so that importing the
    package does not import NLTK (1.4 s) when only cached tokens are read.

    >>> WordTokenizer().tokenize("Medvedev said U.S.-Russian ties weren't bad.")
    ['Medvedev', 'said', 'U.S.', '-', 'Russian', 'ties', 'were', "n't", 'bad', '.']
    """

    def tokenize(self, s: str) -> list[str]:
        """Split a text into word and punctuation tokens.

        Parameters
        ----------
        s : str
            Any text.

        Returns
        -------
        list of str
            The tokens, in text order; together they hold every character of ``s``
            but whitespace.
        """
        return [m.group() for m in _WORD_RX.finditer(s)]

    def span_tokenize(self, s: str):
        """The offsets of the tokens of :meth:`tokenize`.

        Parameters
        ----------
        s : str
            Any text.

        Yields
        ------
        tuple of (int, int)
            Each token's start and end, character offsets into ``s`` (end exclusive),
            in text order.
        """
        for m in _WORD_RX.finditer(s):
            yield m.span()

    def tokenize_sents(self, strings: list[str]) -> list[list[str]]:
        """:meth:`tokenize` for each of several texts.

        Parameters
        ----------
        strings : list of str
            The texts (sentences, in NLTK's interface).

        Returns
        -------
        list of list of str
            The tokens of each text, in order.
        """
        return [self.tokenize(s) for s in strings]

    def span_tokenize_sents(self, strings: list[str]):
        """:meth:`span_tokenize` for each of several texts.

        Parameters
        ----------
        strings : list of str
            The texts (sentences, in NLTK's interface).

        Yields
        ------
        list of tuple of (int, int)
            The token offsets of each text, into that text, in order.
        """
        for s in strings:
            yield list(self.span_tokenize(s))


@lru_cache(maxsize=1)
def _sentence_splitter():
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    class Splitter(PunktSentenceTokenizer):
        """Punkt that remembers its decision for each kind of context it has seen.

        Whether a candidate ends a sentence depends only on its context (the
        word before the mark, the mark, what follows) and on the parameters,
        which never change here (nothing is trained). Punkt reads the word
        before only for being an abbreviation, an initial, a number or an
        ellipsis; a plain word of two or more ASCII letters that is not an
        abbreviation is none of these, so contexts that differ only in such a
        word ("States. We", "nation. We") get the same decision, and it is
        remembered under a key with the word left out. A test compares this
        splitter with plain Punkt.
        """

        def __init__(self, params):
            super().__init__(params)
            self._decisions: dict[str, bool] = {}

        def text_contains_sentbreak(self, text: str) -> bool:
            plain = _PLAIN_BEFORE.match(text)
            key = text
            if plain and plain.group(1).lower() not in ABBREVIATIONS:
                key = "\0" + text[plain.end(1) :]
            decision = self._decisions.get(key)
            if decision is None:
                if len(self._decisions) >= 1_000_000:
                    self._decisions.clear()
                decision = self._decisions[key] = super().text_contains_sentbreak(text)
            return decision

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return Splitter(params)


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def stem(lower: str) -> str:
    """Snowball (English) stem of a lowercase token; tokens without letters are their own stem.

    Parameters
    ----------
    lower : str
        A token's lowercase form.

    Returns
    -------
    str
        Its stem.
    """
    return _stemmer().stem(lower) if any(c.isalpha() for c in lower) else lower


def stem_words(words: list[str]) -> list[str]:
    """:func:`stem` for a few words (theme terms), remembered in the cache between runs.

    Checking themes.yml stems every term; a run that finds those stems in the
    cache (:func:`rhetoric.store.cache.memo`, keyed by the words, this module's code
    and NLTK's version) is spared importing NLTK (about 1.5 s).

    Parameters
    ----------
    words : list of str
        Lowercase words.

    Returns
    -------
    list of str
        The stem of each word (:func:`stem`), in the order of ``words``.
    """
    import pyarrow as pa

    from rhetoric.store import cache

    unique = sorted(set(words))

    def compute() -> dict:
        return {"stems": pa.table({"stem": pa.array([stem(w) for w in unique], pa.string())})}

    stored = cache.memo("stems", cache.key("stems", *unique, code=__name__), compute)
    table = stored.get("stems")
    if (table is not None and table.column_names == ["stem"] and table.num_rows == len(unique)
            and table.column(0).type == pa.string() and table.column(0).null_count == 0):  # fmt: skip
        stems = table.column(0).to_pylist()
    else:  # a sealed entry of another layout
        stems = [stem(w) for w in unique]
    stem_of = dict(zip(unique, stems, strict=True))
    return [stem_of[w] for w in words]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph with text (see the module docstring for the rule).

    Parameters
    ----------
    text : str
        A (cleaned) text.

    Returns
    -------
    list of tuple of (int, int)
        Character offsets into ``text`` (end exclusive) of each paragraph without its
        leading and trailing whitespace, in text order; whitespace alone is no
        paragraph.
    """
    if _BLANK_LINE.search(text):
        bounds = [m.span() for m in _BLANK_LINE.finditer(text)]
        starts = [0] + [e for _s, e in bounds]
        ends = [s for s, _e in bounds] + [len(text)]
    else:
        starts, ends = [], []
        position = 0
        for line in text.split("\n"):
            starts.append(position)
            ends.append(position + len(line))
            position += len(line) + 1
    spans = []
    for start, end in zip(starts, ends, strict=True):
        piece = text[start:end]
        if piece.strip():
            left = len(piece) - len(piece.lstrip())
            right = len(piece.rstrip())
            spans.append((start + left, start + right))
    return spans


def _pieces(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Split a very long paragraph at sentence-like breaks so Punkt stays fast."""
    pieces = []
    while end - start > _MAX_PIECE:
        cut = text.rfind(". ", start, start + _MAX_PIECE)
        cut = start + _MAX_PIECE if cut <= start else cut + 2
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def sentence_spans(
    text: str, paragraphs: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """(start, end) of each sentence: Punkt with :data:`ABBREVIATIONS`, within paragraphs.

    Parameters
    ----------
    text : str
        A (cleaned) text.
    paragraphs : list of tuple of (int, int) or None, default None
        The paragraphs of ``text`` as :func:`paragraph_spans` gives them (computed when
        None).

    Returns
    -------
    list of tuple of (int, int)
        Character offsets into ``text`` (end exclusive) of each sentence, in text
        order. No sentence crosses a paragraph's end, nor the cuts (at ``". "`` where
        there is one) that split a paragraph of more than 50,000 characters.
    """
    splitter = _sentence_splitter()
    spans = []
    for p_start, p_end in paragraphs if paragraphs is not None else paragraph_spans(text):
        for start, end in _pieces(p_start, p_end, text):
            spans.extend(
                (start + s, start + e) for s, e in splitter.span_tokenize(text[start:end])
            )
    return spans


def quoted_spans(
    text: str, paragraphs: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """(start, end) of each quoted stretch, quote marks included; see the module docstring.

    Parameters
    ----------
    text : str
        A (cleaned) text.
    paragraphs : list of tuple of (int, int) or None, default None
        As for :func:`sentence_spans`.

    Returns
    -------
    list of tuple of (int, int)
        Character offsets into ``text``, from the opening mark to just after the
        closing one (to the paragraph's end when none closes it), in text order.
    """
    spans = []
    for p_start, p_end in paragraphs if paragraphs is not None else paragraph_spans(text):
        opened, opener = None, ""
        for match in _QUOTE.finditer(text, p_start, p_end):
            mark, position = match.group(), match.start()
            if opened is None:
                if mark not in _CLOSERS:
                    opened, opener = position, mark
            elif mark not in _OPENERS or (mark == "“" and opener == "„"):
                spans.append((opened, match.end()))
                opened = None
        if opened is not None:
            spans.append((opened, p_end))
    return spans


def _words(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """:func:`word_spans` and the word tokens themselves.

    One ``findall`` over the text with :data:`_SPACED_RX`: each piece is a
    token with the whitespace before it, so cumulative piece lengths are the
    end offsets. Which tokens are words is read off their first character:
    a token with a letter or digit is a word (it starts with one, or with an
    apostrophe or underscore); a single other character is a punctuation mark;
    underscores alone are neither.
    """
    pieces = _SPACED_RX.findall(text, 0, len(text.rstrip()))
    if not pieces:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0, dtype=bool), []
    tokens = list(map(str.lstrip, pieces))
    n = len(tokens)
    ends = np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=n))
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=n)
    firsts = np.fromiter(map(ord, map(itemgetter(0), tokens)), dtype=np.int64, count=n)
    word = _is_alnum(firsts)
    for i in np.flatnonzero(~word & (lengths > 1)).tolist():  # 's, _x: rare
        word[i] = any(c.isalnum() for c in tokens[i])
    punct = ~word & (lengths == 1) & (firsts != ord("_"))
    at = np.flatnonzero(word)
    marks = np.cumsum(punct)[at]  # punctuation marks up to each word
    after = marks > np.concatenate([[0], marks[:-1]])
    words = list(itemgetter(*at.tolist())(tokens)) if len(at) > 1 else [tokens[i] for i in at]
    return ends[at] - lengths[at], ends[at], after, words


def _is_alnum(codes: np.ndarray) -> np.ndarray:
    """``chr(code).isalnum()`` for an array of code points."""
    result = _ASCII_ALNUM[np.minimum(codes, 127)]
    wide = codes > 127
    if wide.any():
        found = np.unique(codes[wide])
        alnum = found[[chr(c).isalnum() for c in found.tolist()]]
        result[wide] = np.isin(codes[wide], alnum)
    return result


_ASCII_ALNUM = np.asarray([chr(c).isalnum() for c in range(128)], dtype=bool)


def word_spans(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end offsets of the word tokens, and whether punctuation precedes each.

    Parameters
    ----------
    text : str
        A (cleaned) text.

    Returns
    -------
    start : numpy.ndarray
        int64 character offset into ``text`` of each word token (one with a letter or
        a digit), in text order.
    end : numpy.ndarray
        int64 offset just past each word token.
    after_punct : numpy.ndarray
        bool, per word token: whether a punctuation mark stands between it and the
        word token before (before it, for the first).
    """
    start, end, after, _ = _words(text)
    return start, end, after


@dataclass(frozen=True)
class DocTokens:
    """The word tokens of one text, as parallel arrays (one entry per token).

    ``types`` are the distinct lowercase forms; ``codes`` index into them.
    ``sentence`` and ``paragraph`` count from 0 within the text; ``quoted`` is
    the token's voice; ``after_punct`` is True when a punctuation mark stands
    between this token and the previous one.
    """

    start: np.ndarray
    end: np.ndarray
    sentence: np.ndarray
    paragraph: np.ndarray
    quoted: np.ndarray
    after_punct: np.ndarray
    codes: np.ndarray
    types: tuple[str, ...]
    sentence_start: np.ndarray
    sentence_end: np.ndarray

    def __len__(self) -> int:
        return len(self.start)


def _index_of(starts: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """For each offset, the index of the last span starting at or before it (0 if none)."""
    if not spans:
        return np.zeros(len(starts), dtype=np.int32)
    bounds = np.asarray([s for s, _e in spans], dtype=np.int64)
    return np.clip(np.searchsorted(bounds, starts, side="right") - 1, 0, None).astype(np.int32)


def tokenize_document(text: str) -> DocTokens:
    """Tokenize one (cleaned) text: word tokens with offsets, sentence, paragraph, voice.

    Parameters
    ----------
    text : str
        A (cleaned) text.

    Returns
    -------
    DocTokens
        Per word token, in text order: ``start``, ``end`` (int64 character offsets,
        end exclusive), ``sentence``, ``paragraph`` (int32, from 0), ``quoted``,
        ``after_punct`` (bool), ``codes`` (int32, into ``types``: the distinct
        lowercase forms, ``’`` written ``'``, in order of first appearance); per
        sentence: ``sentence_start``, ``sentence_end`` (int64).
    """
    paragraphs = paragraph_spans(text)
    sentences = sentence_spans(text, paragraphs)
    start, end, after_punct, words = _words(text)
    quotes = quoted_spans(text, paragraphs)
    if quotes:
        q_index = _index_of(start, quotes)
        q_ends = np.asarray([e for _s, e in quotes], dtype=np.int64)
        q_starts = np.asarray([s for s, _e in quotes], dtype=np.int64)
        quoted = (start >= q_starts[q_index]) & (start < q_ends[q_index])
    else:
        quoted = np.zeros(len(start), dtype=bool)
    # words never hold a line break, so one lower() over them joined is lower() of each
    lowers = "\n".join(words).lower().replace("’", "'").split("\n") if words else []
    codes, uniques = _factorize(lowers)
    return DocTokens(
        start=start,
        end=end,
        sentence=_index_of(start, sentences),
        paragraph=_index_of(start, paragraphs),
        quoted=quoted,
        after_punct=after_punct,
        codes=codes,
        types=uniques,
        sentence_start=np.asarray([a for a, _b in sentences], dtype=np.int64),
        sentence_end=np.asarray([b for _a, b in sentences], dtype=np.int64),
    )


def _factorize(values: list[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Codes of the values into their distinct values, in order of first appearance."""
    uniques = tuple(dict.fromkeys(values))
    index = dict(zip(uniques, range(len(uniques)), strict=True))
    return np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values)), uniques
