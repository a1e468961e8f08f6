""":mod:`rhetoric.text.tokens`: sentences, word tokens, stems and voice in English, Russian and
Chinese, with no downloaded data.

The only module that imports ICU (``icu``, from the ``pyicu-wheels`` wheel, which carries
ICU's data) and the Snowball stemmers. Nothing here needs ``nltk.download``. Each text is read by
the rules of its language (corpus.csv's ``language``; :func:`rules_language`): ``en``,
``ru`` or ``zh`` (:data:`LANGUAGES`); a text in any other language is read as English
(:data:`DEFAULT_LANGUAGE`).

- **sentences**: ICU's sentence break iterator for the language (the Unicode rules of
  UAX #29, as quanteda's ``tokens(what = "sentence")`` uses through stringi), run per
  paragraph, then two corrections ICU does not make: a full stop after an abbreviation of
  the language (:data:`ABBREVIATIONS`, :data:`ABBREVIATIONS_RU`) or after an initial
  (``John F. Kennedy``, ``В. В. Путин``) does not end a sentence, and neither does a
  boundary followed by a lowercase letter (``"Are we ready?" he asked.``). Nothing is
  trained on the corpus, so adding a statement never changes how the others are split. On
  the hand-checked sample ``tests/languages/sentences-en.txt`` (28 boundaries) this makes no
  error; NLTK's Punkt with the same abbreviations, used before, made three.
- **words**: English and Russian: :class:`WordTokenizer`, which implements NLTK's tokenizer
  interface (``tokenize``, ``span_tokenize``) over one regular expression
  (:data:`WORD_PATTERN`): Penn-Treebank-like conventions (``Putin`` ``'s``; ``do``
  ``n't``; ``U.S.`` stays whole; hyphenated compounds such as ``non-proliferation`` and
  ``из-за`` stay whole; ``U.S.-Russian`` is ``U.S.`` ``-`` ``Russian``; a final full stop
  is split from a word; curly and straight apostrophes alike). Chinese: ICU's dictionary
  segmentation (``中俄|两国|元首|签署|了``); a name the dictionary lacks comes apart
  (``普|京``), and theme terms are segmented the same way, so they still match.
- **stems**: the Snowball project's own stemmers (``Stemmer``, from the ``pystemmer`` wheel:
  its C library, Snowball 2's English and Russian algorithms) on the lowercase form, chosen
  by the word's script: Russian for a word with a Cyrillic letter, English for one with a
  Latin letter (whatever the text's language: a Cyrillic word in a Ukrainian text gets
  Russian stems). Chinese words, numbers and other scripts are their own stems. (NLTK's
  Snowball English, used before, is the 2001 algorithm: it stems ``international`` and
  ``internal`` both to ``intern``, and ``organization`` to ``organ``; Snowball 2 keeps them
  apart. On the 41,295 word types of the presidential speeches the two differ on 58.)
- **voice**: a token is ``quoted`` inside quotation marks: straight ``"``, two
  apostrophes ``''`` used as one, curly “ ”, guillemets « » and ‹ ›, low-high „ “
  (German and Russian style: “ closes a quote „ opened) and corner brackets 「 」;
  else ``narration``. Apostrophes and single curly quotes are not quotes. A quote
  left open ends at the end of its paragraph.

Paragraphs: when a text has blank lines, they separate paragraphs (single
line breaks inside are wrapping); a text without blank lines has one
paragraph per line. Offsets are character offsets into the text given
(the cleaned text), end exclusive: ``text[start:end]`` is the token (ICU counts
UTF-16 code units; they are converted).

Only word tokens (those with a letter or a digit) are kept; punctuation
marks only set ``after_punct`` on the word that follows them, so a phrase
never matches across a comma.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import itertools
from operator import itemgetter
import re

import numpy as np

__all__ = [
    "ABBREVIATIONS",
    "ABBREVIATIONS_BY_LANGUAGE",
    "ABBREVIATIONS_RU",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "DocTokens",
    "WordTokenizer",
    "paragraph_spans",
    "quoted_spans",
    "rules_language",
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

#: Russian abbreviations that do not end a sentence (lower case, without the final dot):
#: г. (год, year), гг. (годы), т.е. (that is), т.д., т.п. (etc.), т.к. (since), т.н.
#: (so-called), им. (named after), ул. (street), тыс., млн, млрд (thousand, million, billion),
#: руб. (roubles), долл. (dollars), проф., акад. (professor, academician), ген. (general),
#: см. (see), ср. (compare), напр. (for example), зам. (deputy), г-н, г-жа (Mr, Mrs).
ABBREVIATIONS_RU = frozenset(
    {
        "г", "гг", "т.е", "т.д", "т.п", "т.к", "т.н", "им", "ул", "тыс", "млн", "млрд", "руб",
        "долл", "проф", "акад", "ген", "см", "ср", "напр", "зам", "г-н", "г-жа",
    }
)  # fmt: skip
#: Languages with rules of their own; a text in any other is tokenized as :data:`DEFAULT_LANGUAGE`.
LANGUAGES = ("en", "ru", "zh")
#: The rules for a text whose language is not one of :data:`LANGUAGES`.
DEFAULT_LANGUAGE = "en"
#: Abbreviations that do not end a sentence, by language (Chinese has none: 。 ends one).
ABBREVIATIONS_BY_LANGUAGE = {"en": ABBREVIATIONS, "ru": ABBREVIATIONS_RU, "zh": frozenset()}

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
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_QUOTE = re.compile(r"''|[\"“”«»„‹›「」]")
_OPENERS, _CLOSERS = ("“", "«", "„", "‹", "「"), ("”", "»", "›", "」")


class WordTokenizer:
    """Word and punctuation tokens (see the module docstring).

    Implements NLTK's ``TokenizerI`` interface, so it plugs into NLTK (e.g.
    ``nltk.Text``); it does not inherit from it, so that importing the
    package does not import NLTK (1.4 s).

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


def rules_language(code: str | None) -> str:
    """The language whose rules tokenize a text of language ``code``.

    Parameters
    ----------
    code : str or None
        An ISO 639 code as corpus.csv gives it (``en``, ``ru``, ``zh``; ``rus``, ``zho``,
        ``cmn`` and ``zh-Hans`` are read as theirs).

    Returns
    -------
    str
        ``en``, ``ru`` or ``zh`` (:data:`LANGUAGES`): the code's language when it is one of
        them, else :data:`DEFAULT_LANGUAGE`.

    >>> rules_language("zh-Hans"), rules_language("rus"), rules_language("fr")
    ('zh', 'ru', 'en')
    """
    base = str(code or "").replace("_", "-").split("-")[0].strip().lower()
    base = _THREE_LETTERS.get(base, base)
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


#: ISO 639-2 and -3 codes of the languages with rules of their own.
_THREE_LETTERS = {"eng": "en", "rus": "ru", "zho": "zh", "chi": "zh", "cmn": "zh"}


@lru_cache(maxsize=8)
def _break_iterator(kind: str, language: str):
    import icu

    locale = icu.Locale(language)
    if kind == "sentence":
        return icu.BreakIterator.createSentenceInstance(locale)
    return icu.BreakIterator.createWordInstance(locale)


def _python_offsets(piece: str, bounds: list[int]) -> list[int]:
    """ICU's offsets (UTF-16 code units) as offsets into the Python string."""
    if not _ASTRAL.search(piece):
        return bounds
    index = []
    for i, char in enumerate(piece):
        index.append(i)
        if ord(char) > 0xFFFF:
            index.append(i)
    index.append(len(piece))
    return [index[b] for b in bounds]


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_WORD_BEFORE_DOT = re.compile(r"([^\s(\"'“‘«„\[]+)\.$")
_FIRST_LETTER = re.compile(r"[^\W\d_]")
#: An initial, or initials run together (В.В, H.W, U.S), before the full stop.
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")


def _joins(before: str, after: str, abbreviations: frozenset[str]) -> bool:
    """Whether a boundary ICU found is not a sentence's end: the text before it ends with an
    abbreviation, an initial or initials run together (В.В., H.W.) and a full stop, or the
    text after it starts with a lowercase letter (\"Are we ready?\" he asked.)."""
    word = _WORD_BEFORE_DOT.search(before.rstrip())
    if word:
        before_dot = word.group(1)
        if _INITIALS.fullmatch(before_dot) or before_dot.lower() in abbreviations:
            return True
    letter = _FIRST_LETTER.search(after)
    return bool(letter) and letter.group().islower()


def _paragraph_sentences(piece: str, language: str) -> list[tuple[int, int]]:
    """Sentences of one paragraph: ICU's boundaries, less those :func:`_joins` takes back."""
    iterator = _break_iterator("sentence", language)
    iterator.setText(piece.replace("\n", " "))  # a line break inside a paragraph is wrapping
    bounds = _python_offsets(piece, [0, *iterator])
    abbreviations = ABBREVIATIONS_BY_LANGUAGE[language]
    spans: list[list[int]] = []
    for start, end in itertools.pairwise(bounds):
        if spans and _joins(piece[max(spans[-1][0], start - 40) : start], piece[start:end],
                            abbreviations):  # fmt: skip
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [(s, s + len(piece[s:e].rstrip())) for s, e in spans if piece[s:e].strip()]


@lru_cache(maxsize=2)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer({"en": "english", "ru": "russian"}[language])


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


@lru_cache(maxsize=200_000)
def stem(lower: str) -> str:
    """Snowball stem of a lowercase token, by its script: Russian for a word with a Cyrillic
    letter, English for one with a Latin letter; any other token (Chinese words, numbers)
    is its own stem.

    Parameters
    ----------
    lower : str
        A token's lowercase form.

    Returns
    -------
    str
        Its stem.

    >>> stem("trusted"), stem("доверии"), stem("互信")
    ('trust', 'довер', '互信')
    """
    if _CYRILLIC.search(lower):
        return _stemmer("ru").stemWord(lower)
    if _LATIN.search(lower):
        return _stemmer("en").stemWord(lower)
    return lower


def stem_words(words: list[str]) -> list[str]:
    """:func:`stem` for a few words (theme terms).

    Parameters
    ----------
    words : list of str
        Lowercase words.

    Returns
    -------
    list of str
        The stem of each word (:func:`stem`), in the order of ``words``.
    """
    return [stem(w) for w in words]


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


def sentence_spans(
    text: str, paragraphs: list[tuple[int, int]] | None = None, language: str = "en"
) -> list[tuple[int, int]]:
    """(start, end) of each sentence, within paragraphs (see the module docstring).

    Parameters
    ----------
    text : str
        A (cleaned) text.
    paragraphs : list of tuple of (int, int) or None, default None
        The paragraphs of ``text`` as :func:`paragraph_spans` gives them (computed when
        None).
    language : str, default "en"
        The text's language (:func:`rules_language` reads it): which abbreviations do
        not end a sentence.

    Returns
    -------
    list of tuple of (int, int)
        Character offsets into ``text`` (end exclusive) of each sentence without the
        whitespace after it, in text order. No sentence crosses a paragraph's end.

    >>> text = "Mr. Putin met the U.S. Congress. \"Why?\" he asked."
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['Mr. Putin met the U.S. Congress.', '"Why?" he asked.']
    """
    language = rules_language(language)
    spans = []
    for p_start, p_end in paragraphs if paragraphs is not None else paragraph_spans(text):
        found = _paragraph_sentences(text[p_start:p_end], language)
        spans.extend((p_start + s, p_start + e) for s, e in found)
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


#: ICU's rule status of a word segment: numbers from 100, letters, kana and ideographs up to 499.
_ICU_WORD = range(100, 500)


_WRAPPED_HAN = re.compile(r"(?<=[\u3400-\u9fff])\n(?=[\u3400-\u9fff])")


def _segmented_words(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """:func:`_words` for Chinese: ICU's dictionary word segmentation (its word break
    iterator for ``zh``); Latin words and numbers in the text are words as ICU splits them.

    In a text whose paragraphs are separated by blank lines, a single line break between two
    Chinese characters is wrapping: it is taken out before segmenting (so 合\\n作 is one
    word, 合作), and the word's offsets span it."""
    kept = None
    if _BLANK_LINE.search(text) and _WRAPPED_HAN.search(text):
        keep = np.ones(len(text), dtype=bool)
        keep[[m.start() for m in _WRAPPED_HAN.finditer(text)]] = False
        kept = np.flatnonzero(keep)
        text = _WRAPPED_HAN.sub("", text)
    starts, ends, after, words = _icu_words(text)
    if kept is not None and len(starts):
        starts, ends = kept[starts], kept[ends - 1] + 1
    return starts, ends, after, words


def _icu_words(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """ICU's Chinese word segments of ``text``: (start, end, after punctuation, word)."""
    iterator = _break_iterator("word", "zh")
    iterator.setText(text)
    bounds, statuses = [0], []
    for bound in iterator:
        bounds.append(bound)
        statuses.append(iterator.getRuleStatus())
    bounds = _python_offsets(text, bounds)
    starts, ends, after, words = [], [], [], []
    punct = False
    for (start, end), status in zip(itertools.pairwise(bounds), statuses, strict=True):
        piece = text[start:end]
        if status in _ICU_WORD:
            starts.append(start)
            ends.append(end)
            after.append(punct)
            words.append(piece)
            punct = False
        elif not piece.isspace():
            punct = True
    return (np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64),
            np.asarray(after, dtype=bool), words)  # fmt: skip


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


def word_spans(text: str, language: str = "en") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end offsets of the word tokens, and whether punctuation precedes each.

    Parameters
    ----------
    text : str
        A (cleaned) text.
    language : str, default "en"
        Its language (:func:`rules_language`; Chinese words are segmented).

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
    words = _segmented_words if rules_language(language) == "zh" else _words
    start, end, after, _ = words(text)
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


def tokenize_document(text: str, language: str = "en") -> DocTokens:
    """Tokenize one (cleaned) text: word tokens with offsets, sentence, paragraph, voice.

    Parameters
    ----------
    text : str
        A (cleaned) text.
    language : str, default "en"
        Its language (:func:`rules_language`): Chinese words are segmented by ICU's
        dictionary, others found by :data:`WORD_PATTERN`; sentences end where the
        language's rules say.

    Returns
    -------
    DocTokens
        Per word token, in text order: ``start``, ``end`` (int64 character offsets,
        end exclusive), ``sentence``, ``paragraph`` (int32, from 0), ``quoted``,
        ``after_punct`` (bool), ``codes`` (int32, into ``types``: the distinct
        lowercase forms, ``’`` written ``'``, in order of first appearance); per
        sentence: ``sentence_start``, ``sentence_end`` (int64).
    """
    language = rules_language(language)
    paragraphs = paragraph_spans(text)
    sentences = sentence_spans(text, paragraphs, language)
    start, end, after_punct, words = (_segmented_words if language == "zh" else _words)(text)
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
