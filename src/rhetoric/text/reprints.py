""":mod:`rhetoric.text.reprints`: near-duplicate documents (wire reprints), found in linear time.

A syndicated story appears under several outlets with a new headline, a
sign-off, a paragraph dropped, the house style of each desk (``U.S.`` or
``US``, ``co-operate`` or ``cooperate``) and an ending cut where the page ran
out. Counted as separate documents, such copies inflate every comparison,
document-level tests included.

**The rule.** Two documents are *reprints* of each other when

1. they are of the same group of kinds (:mod:`rhetoric.data.kinds`): a primary
   text is never a reprint of coverage, nor coverage of a primary text (coverage
   that reproduces a statement is reuse, :mod:`rhetoric.measures.reuse`);
2. their dates are at most ``days`` apart (:data:`DEFAULT_DAYS`): copies of one
   story appear within days, while two proclamations of one formula, years
   apart, are two texts;
3. and their sets of word 5-shingles, after folding house style
   (:func:`shingle_hashes`), have a Jaccard similarity of at least ``threshold``
   (:data:`DEFAULT_THRESHOLD`), **or** the shorter text has at least
   :data:`MIN_CONTAINED_WORDS` words and ``containment`` (shingles shared over
   the shorter text's shingles) of at least :data:`DEFAULT_CONTAINMENT`: a copy
   cut short, or a story wholly inside a longer copy.

Separately written articles on one event share few 5-shingles even when both
quote the same statement; copies of one text share most of the shorter one.
The thresholds were chosen on pairs written for the tests
(``tests/test_reprint_rule.py``: a wire copy with a new headline, house-style edits
and a cut ending; a partial copy inside a longer one; two articles quoting one
statement; two texts that share only a formula).

**Method.** Each folded text's shingles are hashed (64-bit, vectorised over its
bytes); a one-permutation MinHash sketch (128 bins of the hash range, empty bins
filled by rotation, Shrivastava & Li 2014) is banded for locality-sensitive
hashing (64 bands of 2 bins: a pair at Jaccard 0.3 becomes a candidate with
probability 0.998, at 0.2 with 0.93), texts probe each other for containment (below);
candidates of another group or too far
apart in time are dropped, and every other candidate is checked with the exact
Jaccard and containment of the two shingle sets. Identical texts of one group and
one date collapse to one before pairs are formed, so hundreds of copies cost no more
than one.

**Containment candidates.** The sketches' agreement follows Jaccard, so a short text
wholly inside a much longer one (Jaccard about the ratio of their lengths) is not always
a candidate by its bands; each text of :data:`MIN_CONTAINED_WORDS` words or more
therefore also probes the others with its four smallest shingle hashes (a uniform
sample of it), and a text that holds all four is a candidate too. Measured on a
five-paragraph story inside filler (containment 1): found 40 times in 40 at 2, 4, 8 and
16 times its length (by the bands alone: 40, 38, 20 and 3).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = [
    "CHARACTERS_PER_WORD",
    "DEFAULT_CONTAINMENT",
    "DEFAULT_DAYS",
    "DEFAULT_THRESHOLD",
    "MIN_CONTAINED_WORDS",
    "MIN_WORDS",
    "SETTLED_COLUMNS",
    "SHINGLE_CHARACTERS",
    "SHINGLE_WORDS",
    "ReprintRule",
    "canonical_of",
    "containment",
    "declared_reprints",
    "find_reprints",
    "jaccard",
    "settle",
    "shingle_hashes",
]

#: Jaccard of word 5-shingle sets at or above which two documents are reprints.
DEFAULT_THRESHOLD = 0.5
#: Shingles shared over the shorter text's at or above which two documents are reprints.
DEFAULT_CONTAINMENT = 0.7
#: Most days between the dates of two reprints.
DEFAULT_DAYS = 7
#: Fewest words of the shorter text for containment to make a reprint (a formula is shorter).
MIN_CONTAINED_WORDS = 60
SHINGLE_WORDS = 5
#: A Chinese text has no spaces to find words by: its shingles are runs of this many
#: characters (letters and digits; punctuation left out), about five words of 1.6 characters.
SHINGLE_CHARACTERS = 8
#: Characters of a Chinese text counted as one word by :data:`MIN_WORDS` and
#: :data:`MIN_CONTAINED_WORDS` (25 words: 40 characters; 60 words: 96).
CHARACTERS_PER_WORD = 1.6
#: Texts with fewer words are never reprints: too short to tell a copy from a shared formula.
MIN_WORDS = 25
_BINS = 128
_BAND_ROWS = 2
_BIN_BITS = 7  # 2**7 = 128 bins: the top bits of a hash pick its bin
_VALUE_MASK = np.uint64((1 << (64 - _BIN_BITS)) - 1)
_EMPTY = np.uint64(np.iinfo(np.uint64).max)
_WORD_PRIME = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime
_SHINGLE_PRIME = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd


_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[65:91] += 32  # ASCII capitals to lowercase
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[48:58] = _WORD_BYTE[65:91] = _WORD_BYTE[97:123] = _WORD_BYTE[128:] = True


#: Typography a desk changes, as UTF-8: each becomes the ASCII character (curly quotes and
#: apostrophes, guillemets, dashes and minus, the no-break space), and "per cent" one word.
_TYPOGRAPHY = tuple((old.encode(), new.encode()) for old, new in (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201a", "'"), ("\u201b", "'"), ("\u2032", "'"),
    ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'), ("\u201f", '"'), ("\u00ab", '"'),
    ("\u00bb", '"'), ("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"),
    ("\u2014", "-"), ("\u2212", "-"), ("\u00a0", " "), ("per cent", "percent"),
    ("Per cent", "percent"), ("%", " percent"),
))  # fmt: skip
_APOSTROPHE, _HYPHEN, _DOT, _COMMA = (np.uint8(ord(c)) for c in "'-.,")
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[48:58] = True
_LETTER = _WORD_BYTE & ~_DIGIT

#: British spellings that wire desks change, by stem, with the endings each takes; a word is
#: folded to the American form (the same fold on both texts: only consistency matters).
_BRITISH = {
    "is": (
        ("organ critic recogn emphas real apolog normal priorit stabil mobil author character "
         "final minim maxim summar util harmon jeopard legitim modern neutral symbol sympath "
         "categor global democrat militar capital industrial national privat civil"),
        ("e", "es", "ed", "ing", "ation", "ations", "er", "ers"),
    ),
    "ys": ("anal paral", ("e", "es", "ed", "ing")),
    "our": ("hon fav lab neighb behavi endeav col harb rum vig", ("", "s", "ed", "ing", "able",
                                                                 "ably", "ite", "ites")),
    "tre": ("cen thea me", ("", "s")),
    "ence": ("def off lic pret", ("", "s")),
    "ll": ("trave cance labe mode fue signa counse", ("ed", "ing", "er", "ers", "or", "ors")),
}  # fmt: skip
_AMERICAN = {"is": "iz", "ys": "yz", "our": "or", "tre": "ter", "ence": "ense", "ll": "l"}
_NUMBER_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve")  # fmt: skip


def _folded_words() -> dict[str, str]:
    """Word -> the word it is folded to: British spellings, numbers as words, ``programme``."""
    words = {name: str(n) for n, name in enumerate(_NUMBER_NAMES)}
    words |= {"programme": "program", "programmes": "programs", "cheque": "check"}
    for middle, (stems, endings) in _BRITISH.items():
        for stem in stems.split():
            for ending in endings:
                words[stem + middle + ending] = stem + _AMERICAN[middle] + ending
    return words


_JOINER = np.zeros(256, dtype=bool)
_JOINER[[_APOSTROPHE, _HYPHEN, _DOT, _COMMA]] = True


def _drop(data: np.ndarray, at: np.ndarray, drop: np.ndarray) -> np.ndarray:
    if not drop.any():
        return data
    keep = np.ones(len(data), dtype=bool)
    keep[at[drop]] = False
    return data[keep]


def _joined(data: np.ndarray) -> np.ndarray:
    """The UTF-8 bytes of a text with what joins the parts of one word taken out: the dots
    of initials (``U.S.`` as ``US.``, and ``U.S.-Russian`` as ``US-Russian``), then an
    apostrophe or a hyphen between letters (``Russia's``, ``co-operate``, ``US-Russian``:
    the same however the desk wrote the initials), and a comma between digits
    (``1,000``)."""
    for dots in (True, False):
        at = np.flatnonzero(_JOINER[data])
        at = at[(at >= 1) & (at < len(data) - 1)]
        if not len(at):
            return data
        mark, before, after = data[at], data[at - 1], data[at + 1]
        if dots:  # a dot after an initial (a letter that starts its word, or follows a dot)
            initial = np.ones(len(at), dtype=bool)
            far = at >= 2
            initial[far] = ~_WORD_BYTE[data[at[far] - 2]] | (data[at[far] - 2] == _DOT)
            drop = (mark == _DOT) & _LETTER[before] & initial
            drop &= _LETTER[after] | ((after == _HYPHEN) & (data[at - 2] == _DOT))
        else:
            drop = ((mark == _APOSTROPHE) | (mark == _HYPHEN)) & _LETTER[before] & _LETTER[after]
            drop |= (mark == _COMMA) & _DIGIT[before] & _DIGIT[after]
        data = _drop(data, at, drop)
    return data


def _word_hashes(text: str, fold: bool = True) -> np.ndarray:
    """A 64-bit hash of each word (a run of letters, digits, or non-ASCII bytes), lowercased;
    with ``fold``, house style folded (:func:`shingle_hashes`)."""
    raw = text.encode("utf-8")
    if fold:
        for old, new in _TYPOGRAPHY:
            if old[0] in raw:  # most texts have none of them: one scan for the first byte
                raw = raw.replace(old, new)
    data = np.frombuffer(raw, dtype=np.uint8)
    if fold:
        data = _joined(data)
    word = _WORD_BYTE[data]
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    # polynomial hash of each word's bytes, each byte weighted by its position in the word
    lengths = ends - starts
    offsets = np.cumsum(lengths) - lengths  # where each word starts among the word bytes
    position = np.arange(int(lengths.sum())) - np.repeat(offsets, lengths)
    powers = np.cumprod(np.full(int(lengths.max()), _WORD_PRIME, dtype=np.uint64), dtype=np.uint64)
    with np.errstate(over="ignore"):
        terms = _LOWER[data[word]].astype(np.uint64) * powers[position]
        hashes = np.add.reduceat(terms, offsets) ^ lengths.astype(np.uint64)
    if fold:
        variants, folded = _folding()
        place = np.minimum(np.searchsorted(variants, hashes), len(variants) - 1)
        found = variants[place] == hashes
        hashes[found] = folded[place[found]]
    return hashes


@lru_cache(maxsize=1)
def _folding() -> tuple[np.ndarray, np.ndarray]:
    """The hashes of the words folded to others (sorted) and the hashes they become."""
    pairs = sorted((int(_word_hashes(old, fold=False)[0]), int(_word_hashes(new, fold=False)[0]))
                   for old, new in _folded_words().items())  # fmt: skip
    return (np.asarray([a for a, _b in pairs], dtype=np.uint64),
            np.asarray([b for _a, b in pairs], dtype=np.uint64))  # fmt: skip


def shingle_hashes(
    text: str, words: int = SHINGLE_WORDS, *, fold: bool = True, characters: bool = False
) -> np.ndarray:
    """Sorted distinct 64-bit hashes of the text's word ``words``-shingles (a text shorter than
    that many words has one shingle: all its words; an empty text has none).

    Parameters
    ----------
    text : str
        Any text. A word is a run of ASCII letters and digits and non-ASCII characters,
        its ASCII letters lowercased.
    words : int, default 5
        Words per shingle (:data:`SHINGLE_WORDS`).
    fold : bool, default True
        Fold what wire desks change in a copy first: curly and straight quotes, dashes and
        the no-break space alike; apostrophes and hyphens inside words and the dots of
        initials taken out (``Russia's`` as ``russias``, ``co-operate`` as
        ``cooperate``, ``U.S.`` as ``us``); thousands separators; ``per cent`` and
        ``%`` as ``percent``; British spellings of common words as American
        (``organise``, ``honour``, ``centre``, ``defence``, ``travelled``); the numbers
        zero to twelve written as words as digits. False: the words as written.
    characters : bool, default False
        True (Chinese): each letter or digit of the text is a word, punctuation and
        spaces left out, nothing folded; ``words`` is then characters per shingle
        (:data:`SHINGLE_CHARACTERS`).

    Returns
    -------
    numpy.ndarray
        uint64 hashes, sorted ascending, each once.
    """
    if characters:
        text, fold = " ".join(c for c in text if c.isalnum()), False
    hashes = _word_hashes(text, fold)
    if len(hashes) == 0:
        return hashes
    span = min(words, len(hashes))
    shingles = np.zeros(len(hashes) - span + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(span):
            shingles = shingles * _SHINGLE_PRIME + hashes[offset : offset + len(shingles)]
        shingles ^= shingles >> np.uint64(29)  # mix the high bits, which pick the bin
        shingles *= _SHINGLE_PRIME
    shingles.sort()
    keep = np.ones(len(shingles), dtype=bool)
    keep[1:] = shingles[1:] != shingles[:-1]
    return shingles[keep]


def _least_shingles(words: int, characters: bool) -> int:
    """Shingles of a text of ``words`` words (Chinese: that many words' characters)."""
    if characters:
        return round(words * CHARACTERS_PER_WORD) - SHINGLE_CHARACTERS + 1
    return words - SHINGLE_WORDS + 1


def _shingles_of(text: str, characters: bool) -> np.ndarray:
    """The shingles of a text of at least :data:`MIN_WORDS` words, else none."""
    size = SHINGLE_CHARACTERS if characters else SHINGLE_WORDS
    shingles = shingle_hashes(text, size, characters=characters)
    return shingles if len(shingles) >= _least_shingles(MIN_WORDS, characters) else shingles[:0]


def _shared(a: np.ndarray, b: np.ndarray) -> int:
    """How many hashes two sorted distinct hash arrays have in common."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small):
        return 0
    place = np.minimum(np.searchsorted(large, small), len(large) - 1)
    return int((large[place] == small).sum())


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted distinct hash arrays (0 for two empty sets).

    Parameters
    ----------
    a, b : numpy.ndarray
        Sorted arrays of distinct hashes (:func:`shingle_hashes`).

    Returns
    -------
    float
        Hashes in both over hashes in either, from 0 to 1; 0 when either is empty.
    """
    if not len(a) or not len(b):
        return 0.0
    shared = _shared(a, b)
    return shared / (len(a) + len(b) - shared)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Containment of the smaller of two sorted distinct hash arrays in the larger.

    Parameters
    ----------
    a, b : numpy.ndarray
        Sorted arrays of distinct hashes (:func:`shingle_hashes`).

    Returns
    -------
    float
        Hashes in both over the hashes of the smaller set, from 0 to 1; 0 when either
        is empty. 1 when the shorter text lies wholly inside the longer.
    """
    if not len(a) or not len(b):
        return 0.0
    return _shared(a, b) / min(len(a), len(b))


def _sketch(shingles: np.ndarray) -> np.ndarray:
    """One-permutation MinHash: the smallest value in each of the 128 bins, empty bins filled
    from the next non-empty one (circularly), offset by the distance so fills stay distinct."""
    sketch = np.full(_BINS, _EMPTY, dtype=np.uint64)
    if not len(shingles):
        return sketch
    bins = (shingles >> np.uint64(64 - _BIN_BITS)).astype(np.int64)
    np.minimum.at(sketch, bins, shingles & _VALUE_MASK)
    empty = sketch == _EMPTY
    if empty.any():
        doubled = np.concatenate([~empty, ~empty])
        index = np.where(doubled, np.arange(2 * _BINS), 2 * _BINS)
        following = np.minimum.accumulate(index[::-1])[::-1][:_BINS]
        source = sketch[following % _BINS]
        distance = (following - np.arange(_BINS)).astype(np.uint64)
        with np.errstate(over="ignore"):
            sketch = np.where(empty, source + distance * _SHINGLE_PRIME, sketch)
    return sketch


def _candidates(sketches: np.ndarray, keys: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Pairs (i < j, one per row, sorted) of ``usable`` rows that share a band; rows with the
    same ``keys`` value (identical shingle sets of one group) are represented by their first
    row. Rows that are not usable (texts too short to have shingles) take no part: their
    sketches are all alike, and banding them would pair every one with every other."""
    first_of: dict = {}
    for i, key in enumerate(keys.tolist()):
        if usable[i]:
            first_of.setdefault(key, i)
    representatives = np.asarray(sorted(set(first_of.values())), dtype=np.int64)
    found = [np.zeros((0, 2), dtype=np.int64)]
    if len(representatives) < 2:
        return found[0]
    rows = sketches[representatives]
    for band in range(_BINS // _BAND_ROWS):
        # the band's values as one number (a collision only adds a pair the exact check drops)
        value = np.zeros(len(rows), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for column in range(band * _BAND_ROWS, (band + 1) * _BAND_ROWS):
                value = value * _SHINGLE_PRIME + rows[:, column]
        _values, bucket = np.unique(value, return_inverse=True)
        order = np.argsort(bucket, kind="stable")
        sizes = np.bincount(bucket)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        for size in np.unique(sizes[sizes > 1]).tolist():  # buckets of one size at a time
            first = starts[sizes == size]
            members = order[first[:, None] + np.arange(size)]  # one bucket per row
            left, right = np.triu_indices(size, 1)
            found.append(np.stack([members[:, left].ravel(), members[:, right].ravel()], axis=1))
    pairs = representatives[np.concatenate(found)]
    pairs.sort(axis=1)
    code = np.unique(pairs[:, 0] * len(sketches) + pairs[:, 1])  # sorted by i, then j
    return np.stack([code // len(sketches), code % len(sketches)], axis=1)


#: Smallest shingles of a text looked up in the others (:func:`_contained`).
_PROBES = 4
#: A shingle found in more texts than this is a formula, not a probe.
_MAX_POSTINGS = 200


def _contained(sets: list[np.ndarray], usable: np.ndarray, smallest: np.ndarray) -> np.ndarray:
    """Pairs (i < j) where the text with fewer shingles may lie inside the other: every
    text of at least ``smallest`` shingles (its own: Chinese texts count characters) probes the others with its :data:`_PROBES`
    smallest shingle hashes, and a text holding all of them is a candidate. (Hashes are
    uniform, so a text's smallest hashes are a random sample of it, and only the hashes
    below the largest probe need an index: about ``_PROBES / smallest`` of all.)"""
    probes = [i for i in np.flatnonzero(usable).tolist() if len(sets[i]) >= smallest[i]]
    if len(probes) < 1:
        return np.zeros((0, 2), dtype=np.int64)
    top = max(sets[i][_PROBES - 1] for i in probes)
    owners = np.flatnonzero(usable).tolist()
    low = [sets[i][: np.searchsorted(sets[i], top, side="right")] for i in owners]
    hashes = np.concatenate(low)
    docs = np.repeat(np.asarray(owners, dtype=np.int64), [len(x) for x in low])
    order = np.argsort(hashes, kind="stable")
    hashes, docs = hashes[order], docs[order]
    queries = np.concatenate([sets[i][:_PROBES] for i in probes])
    asking = np.repeat(np.asarray(probes, dtype=np.int64), _PROBES)
    first = np.searchsorted(hashes, queries, side="left")
    count = np.searchsorted(hashes, queries, side="right") - first
    common = count > _MAX_POSTINGS  # a formula shingle: not a probe
    need = _PROBES - np.bincount(asking[common], minlength=len(sets))
    keep = ~common & (count > 0)
    rows, count = np.flatnonzero(keep), count[keep]
    within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    holder = docs[np.repeat(first[rows], count) + within]
    prober = np.repeat(asking[rows], count)
    other = holder != prober
    code, hits = np.unique(prober[other] * len(sets) + holder[other], return_counts=True)
    prober, holder = code // len(sets), code % len(sets)
    found = (hits >= need[prober]) & (need[prober] >= 2)
    pairs = np.stack([prober[found], holder[found]], axis=1)
    pairs.sort(axis=1)
    return pairs


class _Clusters:
    """Union-find over row numbers."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.root(i), self.root(j)
        self.parent[max(a, b)] = min(a, b)


#: Below this many characters, shingling on one process is faster than starting a pool.
_POOL_MIN_CHARS = 20_000_000


def _shingle_chunk(chunk: list[tuple[str, bool]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shingle sets of the folded texts (concatenated, with their lengths) and sketches;
    ``chunk``: (text, whether it is shingled on characters) pairs."""
    sets = [_shingles_of(text, characters) for text, characters in chunk]
    lengths = np.asarray([len(s) for s in sets], dtype=np.int64)
    joined = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64)
    return joined, lengths, np.stack([_sketch(s) for s in sets])


def _shingled(
    texts: list[str], characters: list[bool], workers: int | None
) -> tuple[list[np.ndarray], np.ndarray]:
    """Each text's shingle set and sketch, on a process pool for a large corpus (the same
    results either way)."""
    from rhetoric.store import parallel

    workers = parallel.worker_count(workers, sum(map(len, texts)), _POOL_MIN_CHARS, len(texts))
    size = max(1, -(-len(texts) // (8 * workers)))
    pairs = list(zip(texts, characters, strict=True))
    chunks = [(pairs[i : i + size],) for i in range(0, len(pairs), size)]
    sets, sketches = [], []
    for joined, lengths, sketch in parallel.map_pieces(_shingle_chunk, chunks, workers=workers):
        sets.extend(np.split(joined, np.cumsum(lengths)[:-1]))
        sketches.append(sketch)
    return sets, np.concatenate(sketches)


def _day_numbers(dates: Sequence[str] | None, n: int) -> np.ndarray:
    """Each date (``YYYY-MM-DD``) as a day number; a missing or unreadable one as NaN."""
    days = np.full(n, np.nan)
    for i, date in enumerate(dates or ()):
        try:
            days[i] = dt.date.fromisoformat(str(date)[:10]).toordinal()
        except ValueError:
            continue
    return days


REPRINT_COLUMNS = ["a", "b", "jaccard", "containment"]


@dataclass(frozen=True)
class ReprintRule:
    """The thresholds of the reprint rule (module docstring), as :func:`find_reprints` and
    ``rhetoric run`` take them.

    Attributes
    ----------
    jaccard : float
        Least Jaccard similarity (:data:`DEFAULT_THRESHOLD`).
    containment : float
        Least containment of the shorter text (:data:`DEFAULT_CONTAINMENT`); above 1: off.
    days : int or None
        Most days apart (:data:`DEFAULT_DAYS`); None: any.
    """

    jaccard: float = DEFAULT_THRESHOLD
    containment: float = DEFAULT_CONTAINMENT
    days: int | None = DEFAULT_DAYS

    def key(self) -> str:
        """The rule as text, for a cache key.

        Returns
        -------
        str
            ``jaccard;containment;days``, each written in full.
        """
        return f"{self.jaccard!r};{self.containment!r};{self.days!r}"


def find_reprints(
    texts: Mapping[str, str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    containment_min: float = DEFAULT_CONTAINMENT,
    days: int | None = DEFAULT_DAYS,
    groups: Sequence[str] | None = None,
    dates: Sequence[str] | None = None,
    exclude: Collection[str] = (),
    languages: Sequence[str] | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Near-duplicate texts, as the pairs that connect them (the rule: module docstring).

    The pairs connect every cluster of reprints (each member is in at least one pair,
    and a cluster of n documents has n − 1 pairs); a pair whose documents are already
    connected through listed pairs is not checked. Texts of fewer than
    :data:`MIN_WORDS` words are never reprints.

    Parameters
    ----------
    texts : Mapping of str to str
        Text by document id, in corpus order.
    threshold : float, default 0.5
        Least Jaccard similarity of two reprints (:data:`DEFAULT_THRESHOLD`).
    containment_min : float, default 0.7
        Least containment of the shorter text in the longer for two reprints
        (:data:`DEFAULT_CONTAINMENT`), when the shorter has at least
        :data:`MIN_CONTAINED_WORDS` words; above 1 turns the rule off.
    days : int or None, default 7
        Most days between the dates of two reprints (:data:`DEFAULT_DAYS`); None: any.
    groups : sequence of str, optional
        The group of each text's kind (``primary`` or ``coverage``,
        :mod:`rhetoric.data.kinds`), in the order of ``texts``; texts of two groups are
        never reprints. None: one group.
    dates : sequence of str, optional
        Each text's date (``YYYY-MM-DD``), in the order of ``texts``; None (or a date
        that cannot be read): no limit in time for that text.
    exclude : collection of str, default ()
        Ids of texts that are never reprints (declared so: ``reprint_of: none``).
    languages : sequence of str, optional
        Each text's language (ISO 639), in the order of ``texts``: a Chinese text (``zh``)
        is shingled on characters (:data:`SHINGLE_CHARACTERS`; its word counts are
        characters over :data:`CHARACTERS_PER_WORD`). None: no Chinese text.
    workers : int or None, default None
        Processes for shingling; None: every core (at most 4) when the texts hold 20
        million characters or more, else 1. The result is the same whatever the number.

    Returns
    -------
    pandas.DataFrame
        One row per pair, sorted by ``a`` then ``b`` in corpus order, indexed from 0:
        ``a``, ``b`` (document ids), ``jaccard`` and ``containment`` (floats, of the two
        folded shingle sets; 1.0 for texts with the same shingle set).
    """
    ids = list(texts)
    if len(ids) < 2:
        return pd.DataFrame({c: [] for c in REPRINT_COLUMNS}).astype(
            {"jaccard": float, "containment": float}
        )
    group = np.asarray(list(groups) if groups is not None else [""] * len(ids), dtype=object)
    day = _day_numbers(dates, len(ids))
    from rhetoric.text.tokens import rules_language

    chinese = [rules_language(lang) == "zh" for lang in (languages or [""] * len(ids))]
    sets, sketches = _shingled([texts[i] for i in ids], chinese, workers)
    excluded = set(exclude)
    usable = np.asarray([len(s) > 0 and d not in excluded for s, d in zip(sets, ids, strict=True)],
                        dtype=bool)  # fmt: skip
    # identical texts of one group and one date are one representative (hundreds of copies
    # cost no more than one); on other dates they are texts of their own, paired in time
    keys = np.asarray([hash((s.tobytes(), group[i], day[i] if day[i] == day[i] else None))
                       if usable[i] else -i - 1 for i, s in enumerate(sets)], dtype=object)  # fmt: skip
    smallest = np.asarray([_least_shingles(MIN_CONTAINED_WORDS, c) for c in chinese])
    pairs = _candidates(sketches, keys, usable)
    if containment_min <= 1:  # texts wholly inside much longer ones, which bands miss
        pairs = np.unique(np.concatenate([pairs, _contained(sets, usable, smallest)]), axis=0)
    near = group[pairs[:, 0]] == group[pairs[:, 1]]
    if days is not None:
        apart = np.abs(day[pairs[:, 0]] - day[pairs[:, 1]])
        near &= ~(apart > days)  # NaN (no date) is never too far
    rows = []
    linked = _Clusters(len(ids))
    for i, j in pairs[near].tolist():
        # a pair already joined through checked pairs needs no check of its own
        if linked.root(i) == linked.root(j):
            continue
        shared = _shared(sets[i], sets[j])
        both = len(sets[i]) + len(sets[j]) - shared
        fewer = min(len(sets[i]), len(sets[j]))
        similar, contained = shared / both, shared / fewer
        long_enough = fewer >= max(smallest[i], smallest[j])
        if similar >= threshold or (long_enough and contained >= containment_min):
            rows.append((i, j, similar, contained))
            linked.join(i, j)
    # a text identical to its representative (same group, same date) is a reprint of it
    by_key: dict = {}
    for i, key in enumerate(keys.tolist()):
        if usable[i]:
            by_key.setdefault(key, []).append(i)
    for members in by_key.values():
        for i in members[1:]:
            if linked.root(members[0]) != linked.root(i):  # not joined already
                rows.append((members[0], i, 1.0, 1.0))
                linked.join(members[0], i)
    frame = pd.DataFrame(
        {"a": [ids[i] for i, *_ in rows], "b": [ids[j] for _i, j, *_ in rows],
         "jaccard": [v for *_, v, _c in rows], "containment": [c for *_, c in rows]}
    )  # fmt: skip
    order = {doc: n for n, doc in enumerate(ids)}
    frame = frame.assign(_a=frame["a"].map(order), _b=frame["b"].map(order))
    frame = frame.sort_values(["_a", "_b"], kind="mergesort").drop(columns=["_a", "_b"])
    return frame.astype({"jaccard": float, "containment": float}).reset_index(drop=True)


def canonical_of(
    pairs: pd.DataFrame,
    ids: Sequence[str],
    dates: Sequence[str],
    *,
    primary: Sequence[bool] | None = None,
    declared: Sequence[str] | None = None,
) -> dict[str, str]:
    """The canonical document of each reprint cluster member (clusters: connected pairs).

    Canonical: a document that does not declare itself a reprint (``declared``), then a
    primary text before coverage (``primary``), then the earliest date, then the first in
    ``ids`` (corpus order). Returns ``{member: canonical}`` for every document in a
    cluster other than its canonical.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Reprint pairs with columns ``a`` and ``b`` (:func:`find_reprints`, :func:`settle`);
        every id in them is one of ``ids``.
    ids : sequence of str
        Every document id, in corpus order.
    dates : sequence of str
        The date of each document of ``ids`` (``YYYY-MM-DD``, compared as text).
    primary : sequence of bool, optional
        Whether each document is a primary text (:mod:`rhetoric.data.kinds`); None: none is.
    declared : sequence of str, optional
        Each document's ``reprint_of`` as corpus.csv declares it ("" when not declared).

    Returns
    -------
    dict of str to str
        Canonical id by member id; a document in no pair, or canonical, is not a key.
    """
    parent = {doc: doc for doc in ids}
    position = {doc: n for n, doc in enumerate(ids)}

    def root(doc: str) -> str:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    for a, b in zip(pairs["a"], pairs["b"], strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb, key=position.get)] = min(ra, rb, key=position.get)
    primary = list(primary) if primary is not None else [False] * len(ids)
    declared = list(declared) if declared is not None else [""] * len(ids)
    rank = {doc: (declared[n] not in ("", "none"), not primary[n], date, n)
            for n, (doc, date) in enumerate(zip(ids, dates, strict=True))}  # fmt: skip
    clusters: dict[str, list[str]] = {}
    for doc in ids:
        clusters.setdefault(root(doc), []).append(doc)
    result = {}
    for members in clusters.values():
        if len(members) > 1:
            first = min(members, key=rank.__getitem__)
            result.update({m: first for m in members if m != first})
    return result


#: The columns of a settled pairs table (:func:`settle`).
SETTLED_COLUMNS = ["a", "b", "jaccard", "containment", "how", "canonical"]


def declared_reprints(documents: pd.DataFrame) -> list[str]:
    """Each document's ``reprint_of`` as corpus.csv declares it: an id, ``none``, or "".

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents as :func:`rhetoric.data.folder.load_corpus` reads them.

    Returns
    -------
    list of str
        One value per document, in order; "" when corpus.csv has no such column or the
        cell is empty.
    """
    if "reprint_of" not in documents:
        return [""] * len(documents)
    return ["" if pd.isna(v) else str(v).strip() for v in documents["reprint_of"]]


def settle(
    pairs: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    primary_kinds: Collection[str] = (),
    declared: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The reprints of a corpus: the detected pairs and those corpus.csv declares, with the
    canonical document of each cluster.

    A document whose ``reprint_of`` names another document is a reprint of it (``how`` is
    ``declared``); ``reprint_of: none`` was excluded from detection already
    (:func:`find_reprints`). The canonical document of a cluster is chosen by
    :func:`canonical_of`: never one that declares itself a reprint, a primary text before
    coverage, then the earliest.

    Parameters
    ----------
    pairs : pandas.DataFrame
        The detected pairs (:func:`find_reprints`).
    documents : pandas.DataFrame
        The documents, in corpus order: ``id``, ``date`` and ``kind``.
    primary_kinds : collection of str, default ()
        The kinds of primary texts (:attr:`rhetoric.data.kinds.Kinds.primary`).
    declared : sequence of str, optional
        Each document's declared ``reprint_of`` (corpus.csv), "" when none; an id that is
        not a document is ignored here (validation reports it).

    Returns
    -------
    tuple
        ``(pairs, canonical)``: the pairs, detected then declared, with the columns
        :data:`SETTLED_COLUMNS` (``jaccard`` and ``containment`` NaN for a declared pair
        not also detected; ``how``: ``detected`` or ``declared``); and the canonical id by
        member id (:func:`canonical_of`).
    """
    ids = documents["id"].astype(str).tolist()
    declared = list(declared) if declared is not None else [""] * len(ids)
    known = set(ids)
    detected = pairs[["a", "b", "jaccard", "containment"]].assign(
        how=np.full(len(pairs), "detected", dtype=object)
    )
    by_pair = {
        frozenset(p): n for n, p in enumerate(zip(detected["a"], detected["b"], strict=True))
    }
    hand = []
    for doc, target in zip(ids, declared, strict=True):
        if target in ("", "none") or target not in known or target == doc:
            continue
        n = by_pair.get(frozenset((doc, target)))
        if n is not None:
            detected.iloc[n, detected.columns.get_loc("how")] = "declared"
        else:
            hand.append({"a": target, "b": doc, "jaccard": np.nan, "containment": np.nan,
                         "how": "declared"})  # fmt: skip
    settled = pd.concat([detected, pd.DataFrame(hand, columns=detected.columns)],
                        ignore_index=True) if hand else detected.reset_index(drop=True)  # fmt: skip
    primary = documents["kind"].astype(str).isin(list(primary_kinds)).tolist()
    canonical = canonical_of(settled, ids, documents["date"].astype(str).tolist(),
                             primary=primary, declared=declared)  # fmt: skip
    settled = settled.assign(canonical=[canonical.get(b, canonical.get(a, a))
                                        for a, b in zip(settled["a"], settled["b"], strict=True)])  # fmt: skip
    return settled.astype({"jaccard": float, "containment": float}), canonical
