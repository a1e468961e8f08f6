""":mod:`rhetoric.tokens`: sentences, word tokens, stems and voice, with no downloaded data.

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
- **voice**: a token is ``quoted`` inside double quotes (straight ``"``, curly
  “ ”, or « »), else ``narration``. Apostrophes and single quotes are not
  quotes. A quote left open ends at the end of its paragraph.

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
import re

import numpy as np

__all__ = [
    "ABBREVIATIONS",
    "TOKENIZER_VERSION",
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

#: Bump when tokenizing, sentence splitting, stemming or voice rules change:
#: it is part of the cache key.
TOKENIZER_VERSION = "1"

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
#: The word tokenizer's pattern, alternatives tried in order.
WORD_PATTERN = rf"""
    (?P<abbr>(?:[^\W\d_]\.){{2,}})                          # U.S.  D.C.  i.e.
  | (?P<title>(?:{_TITLES}|vs|etc)\.)(?=\s|$)               # Mr.  Dr.  etc.
  | (?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+\.\d+)  # 1,009  3.5
  | (?P<stem_nt>\w+?(?=[nN]['’][tT]\b))                     # do|n't  ca|n't
  | (?P<nt>(?<=\w)[nN]['’][tT]\b)                           # n't
  | (?P<clitic>(?<=\w)['’](?:[sSdDmM]|re|RE|ve|VE|ll|LL)\b) # 's  're  'll
  | (?P<word>\w+(?:(?:[-‐]|['’](?!(?:[sSdDmM]|re|ve|ll)\b))\w+)*)  # words, compounds, O'Brien
  | (?P<punct>[^\w\s])                                      # one mark
"""
_WORD_RX = re.compile(WORD_PATTERN, re.VERBOSE)
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_QUOTE = re.compile(r"[\"“”«»]")
_OPENERS, _CLOSERS = "“«", "”»"
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
        return [m.group() for m in _WORD_RX.finditer(s)]

    def span_tokenize(self, s: str):
        for m in _WORD_RX.finditer(s):
            yield m.span()

    def tokenize_sents(self, strings: list[str]) -> list[list[str]]:
        return [self.tokenize(s) for s in strings]

    def span_tokenize_sents(self, strings: list[str]):
        for s in strings:
            yield list(self.span_tokenize(s))


@lru_cache(maxsize=1)
def _sentence_splitter():
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def stem(lower: str) -> str:
    """Snowball (English) stem of a lowercase token; tokens without letters are their own stem."""
    return _stemmer().stem(lower) if any(c.isalpha() for c in lower) else lower


def stem_words(words: list[str]) -> list[str]:
    """:func:`stem` for a few words (theme terms), remembered on disk between runs.

    Checking themes.yml stems every term; keeping those stems in the cache
    (keyed by the tokenizer and NLTK versions) spares a run that finds them
    all there from importing NLTK (about 1.5 s).
    """
    from importlib import metadata
    import json
    import os

    from rhetoric import paths

    path = paths.cache_dir() / f"stems-v{TOKENIZER_VERSION}-nltk{metadata.version('nltk')}.json"
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    missing = [w for w in dict.fromkeys(words) if w not in known]
    if missing:
        known.update({w: stem(w) for w in missing})
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    return [known[w] for w in words]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph with text (see the module docstring for the rule)."""
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
    """(start, end) of each sentence: Punkt with :data:`ABBREVIATIONS`, within paragraphs."""
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
    """(start, end) of each quoted stretch, quote marks included; see the module docstring."""
    spans = []
    for p_start, p_end in paragraphs if paragraphs is not None else paragraph_spans(text):
        opened = None
        for match in _QUOTE.finditer(text, p_start, p_end):
            mark, position = match.group(), match.start()
            if opened is None:
                if mark not in _CLOSERS:
                    opened = position
            elif mark not in _OPENERS:
                spans.append((opened, position + 1))
                opened = None
        if opened is not None:
            spans.append((opened, p_end))
    return spans


def word_spans(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end offsets of the word tokens, and whether punctuation precedes each."""
    starts, ends, after = [], [], []
    previous_punct = False
    for match in _WORD_RX.finditer(text):
        if match.lastgroup == "punct":
            previous_punct = True
            continue
        start, end = match.span()
        if text.find("_", start, end) != -1 and not any(c.isalnum() for c in text[start:end]):
            continue  # underscores alone are not a word (\w includes "_")
        starts.append(start)
        ends.append(end)
        after.append(previous_punct)
        previous_punct = False
    return (
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
        np.asarray(after, dtype=bool),
    )


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
    """Tokenize one (cleaned) text: word tokens with offsets, sentence, paragraph, voice."""
    paragraphs = paragraph_spans(text)
    sentences = sentence_spans(text, paragraphs)
    start, end, after_punct = word_spans(text)
    quotes = quoted_spans(text, paragraphs)
    if quotes:
        q_index = _index_of(start, quotes)
        q_ends = np.asarray([e for _s, e in quotes], dtype=np.int64)
        q_starts = np.asarray([s for s, _e in quotes], dtype=np.int64)
        quoted = (start >= q_starts[q_index]) & (start < q_ends[q_index])
    else:
        quoted = np.zeros(len(start), dtype=bool)
    lowers = [
        text[s:e].lower().replace("’", "'")
        for s, e in zip(start.tolist(), end.tolist(), strict=True)
    ]
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
    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(v, len(index)) for v in values), dtype=np.int32, count=len(values)
    )
    return codes, tuple(index)
