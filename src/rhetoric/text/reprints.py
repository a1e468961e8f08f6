""":mod:`rhetoric.text.reprints`: near-duplicate documents (wire reprints), found in linear time.

A syndicated story appears under several outlets with a new headline, a
sign-off, a paragraph dropped. Counted as separate documents, such copies
inflate every comparison, document-level tests included. Two texts are
*reprints* of each other when the Jaccard similarity of their sets of word
5-shingles (five consecutive words, lowercased) is at least a threshold
(:data:`DEFAULT_THRESHOLD`): separately written articles on one event share
almost no 5-shingle even when they quote the same statement, while copies of
one text share most.

Method: each text's shingles are hashed (64-bit, vectorised over its bytes);
a one-permutation MinHash sketch (128 bins of the hash range, empty bins
filled by rotation, Shrivastava & Li 2014) is banded for locality-sensitive
hashing (42 bands of 3 bins: a pair at Jaccard 0.5 becomes a candidate with
probability 0.996); every candidate pair is then checked with the exact
Jaccard of the two shingle sets. Identical texts collapse to one before
pairs are formed, so hundreds of copies cost no more than one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_WORDS",
    "SHINGLE_WORDS",
    "canonical_of",
    "find_reprints",
    "jaccard",
    "shingle_hashes",
    "with_canonical",
]

#: Jaccard of word 5-shingle sets at or above which two documents are reprints.
DEFAULT_THRESHOLD = 0.5
SHINGLE_WORDS = 5
#: Texts with fewer words are never reprints: too short to tell a copy from a shared formula.
MIN_WORDS = 25
_BINS = 128
_BAND_ROWS = 3
_BIN_BITS = 7  # 2**7 = 128 bins: the top bits of a hash pick its bin
_VALUE_MASK = np.uint64((1 << (64 - _BIN_BITS)) - 1)
_EMPTY = np.uint64(np.iinfo(np.uint64).max)
_WORD_PRIME = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime
_SHINGLE_PRIME = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd


_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[65:91] += 32  # ASCII capitals to lowercase
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[48:58] = _WORD_BYTE[65:91] = _WORD_BYTE[97:123] = _WORD_BYTE[128:] = True


def _word_hashes(text: str) -> np.ndarray:
    """A 64-bit hash of each word (a run of letters, digits, or non-ASCII bytes), lowercased."""
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
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
        return np.add.reduceat(terms, offsets) ^ lengths.astype(np.uint64)


def shingle_hashes(text: str, words: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted distinct 64-bit hashes of the text's word ``words``-shingles (a text shorter than
    that many words has one shingle: all its words; an empty text has none).

    Parameters
    ----------
    text : str
        Any text. A word is a run of ASCII letters and digits and non-ASCII characters,
        its ASCII letters lowercased.
    words : int, default 5
        Words per shingle (:data:`SHINGLE_WORDS`).

    Returns
    -------
    numpy.ndarray
        uint64 hashes, sorted ascending, each once.
    """
    hashes = _word_hashes(text)
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


def _long_enough(shingles: np.ndarray) -> np.ndarray:
    """The shingles of a text of at least :data:`MIN_WORDS` words, else none."""
    return shingles if len(shingles) >= MIN_WORDS - SHINGLE_WORDS + 1 else shingles[:0]


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
    if not len(a) and not len(b):
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small):
        return 0.0
    place = np.minimum(np.searchsorted(large, small), len(large) - 1)
    shared = int((large[place] == small).sum())
    return shared / (len(a) + len(b) - shared)


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


def _candidates(
    sketches: np.ndarray, keys: np.ndarray, usable: np.ndarray
) -> set[tuple[int, int]]:
    """Pairs (i < j) of ``usable`` rows sharing a band; rows with the same ``keys`` value
    (identical shingle sets) are represented by their first row. Rows that are not usable
    (texts too short to have shingles) take no part: their sketches are all alike, and
    banding them would pair every one with every other."""
    first_of = {}
    for i, key in enumerate(keys.tolist()):
        if usable[i]:
            first_of.setdefault(key, i)
    representatives = np.asarray(sorted(set(first_of.values())), dtype=np.int64)
    pairs: set[tuple[int, int]] = set()
    if len(representatives) < 2:
        return pairs
    rows = sketches[representatives]
    for band in range(_BINS // _BAND_ROWS):
        cells = np.ascontiguousarray(rows[:, band * _BAND_ROWS : (band + 1) * _BAND_ROWS])
        _values, bucket = np.unique(cells.view(f"V{8 * _BAND_ROWS}").ravel(), return_inverse=True)
        order = np.argsort(bucket, kind="stable")
        bounds = np.flatnonzero(np.diff(bucket[order])) + 1
        for members in np.split(order, bounds):
            if len(members) > 1:
                ids = representatives[members].tolist()
                pairs.update((a, b) for k, a in enumerate(ids) for b in ids[k + 1 :])
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


def _shingle_chunk(chunk: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shingle sets (concatenated, with their lengths) and sketches of some texts."""
    sets = [_long_enough(shingle_hashes(text)) for text in chunk]
    lengths = np.asarray([len(s) for s in sets], dtype=np.int64)
    joined = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64)
    return joined, lengths, np.stack([_sketch(s) for s in sets])


def _shingled(texts: list[str], workers: int | None) -> tuple[list[np.ndarray], np.ndarray]:
    """Each text's shingle set and sketch, on a process pool for a large corpus (the same
    results either way)."""
    from rhetoric.store import parallel

    workers = parallel.worker_count(workers, sum(map(len, texts)), _POOL_MIN_CHARS, len(texts))
    size = max(1, -(-len(texts) // (8 * workers)))
    chunks = [(texts[i : i + size],) for i in range(0, len(texts), size)]
    sets, sketches = [], []
    for joined, lengths, sketch in parallel.map_pieces(_shingle_chunk, chunks, workers=workers):
        sets.extend(np.split(joined, np.cumsum(lengths)[:-1]))
        sketches.append(sketch)
    return sets, np.concatenate(sketches)


def find_reprints(
    texts: Mapping[str, str], *, threshold: float = DEFAULT_THRESHOLD, workers: int | None = None
) -> pd.DataFrame:
    """Near-duplicate texts, as the pairs that connect them.

    ``texts``: text by document id (in corpus order). Returns pairs (``a``
    before ``b`` in that order) with ``jaccard`` ≥ ``threshold``: columns
    ``a``, ``b``, ``jaccard`` (exact, of the two word 5-shingle sets). The
    pairs connect every cluster of reprints (each member is in at least one
    pair, and a cluster of n documents has n − 1 pairs); a pair whose
    documents are already connected through listed pairs is not checked.
    ``workers``: processes for shingling (default: every core, at most 4, for
    a large corpus, else 1); the result is the same whatever the number. Texts
    of fewer than :data:`MIN_WORDS` words are never reprints.

    Parameters
    ----------
    texts : Mapping of str to str
        Text by document id, in corpus order.
    threshold : float, default 0.5
        Least Jaccard similarity of two reprints (:data:`DEFAULT_THRESHOLD`).
    workers : int or None, default None
        Processes for shingling; None: every core (at most 4) when the texts hold 20
        million characters or more, else 1.

    Returns
    -------
    pandas.DataFrame
        One row per pair, sorted by ``a`` then ``b`` in corpus order, indexed from 0:
        ``a``, ``b`` (document ids), ``jaccard`` (float; 1.0 for texts with the same
        shingle set).
    """
    ids = list(texts)
    if len(ids) < 2:
        return pd.DataFrame({"a": [], "b": [], "jaccard": []}).astype({"jaccard": float})
    sets, sketches = _shingled([texts[i] for i in ids], workers)
    keys = np.asarray([hash(s.tobytes()) if len(s) else -i - 1 for i, s in enumerate(sets)])
    rows = []
    linked = _Clusters(len(ids))
    usable = np.asarray([len(s) > 0 for s in sets], dtype=bool)
    for i, j in sorted(_candidates(sketches, keys, usable)):
        # a pair already joined through checked pairs needs no check of its own
        if len(sets[i]) and len(sets[j]) and linked.root(i) != linked.root(j):
            value = jaccard(sets[i], sets[j])
            if value >= threshold:
                rows.append((i, j, value))
                linked.join(i, j)
    # a text identical to a representative is a reprint of it (Jaccard 1) and of its reprints
    by_key: dict = {}
    for i, key in enumerate(keys.tolist()):
        by_key.setdefault(key, []).append(i)
    twins = {i: group[0] for group in by_key.values() for i in group[1:] if len(sets[i])}
    rows += [(first, i, 1.0) for i, first in twins.items()]
    frame = pd.DataFrame(
        {"a": [ids[i] for i, _j, _v in rows], "b": [ids[j] for _i, j, _v in rows],
         "jaccard": [v for _i, _j, v in rows]}
    )  # fmt: skip
    order = {doc: n for n, doc in enumerate(ids)}
    frame = frame.assign(_a=frame["a"].map(order), _b=frame["b"].map(order))
    frame = frame.sort_values(["_a", "_b"], kind="mergesort").drop(columns=["_a", "_b"])
    return frame.astype({"jaccard": float}).reset_index(drop=True)


def canonical_of(pairs: pd.DataFrame, ids: Sequence[str], dates: Sequence[str]) -> dict[str, str]:
    """The canonical document of each reprint cluster member (clusters: connected pairs).

    Canonical: the earliest date, then the first in ``ids`` (corpus order). Returns
    ``{member: canonical}`` for every document in a cluster other than its canonical.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Reprint pairs with columns ``a`` and ``b`` (:func:`find_reprints`); every id
        in them is one of ``ids``.
    ids : sequence of str
        Every document id, in corpus order.
    dates : sequence of str
        The date of each document of ``ids`` (``YYYY-MM-DD``, compared as text).

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
    rank = {doc: (date, n) for n, (doc, date) in enumerate(zip(ids, dates, strict=True))}
    clusters: dict[str, list[str]] = {}
    for doc in ids:
        clusters.setdefault(root(doc), []).append(doc)
    result = {}
    for members in clusters.values():
        if len(members) > 1:
            first = min(members, key=rank.__getitem__)
            result.update({m: first for m in members if m != first})
    return result


def with_canonical(pairs: pd.DataFrame, canonical: Mapping[str, str]) -> pd.DataFrame:
    """The reprint pairs with a ``canonical`` column: their cluster's canonical document.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Pairs with ``a`` and ``b`` (:func:`find_reprints`).
    canonical : mapping of str to str
        :func:`canonical_of` of those pairs.

    Returns
    -------
    pandas.DataFrame
        ``pairs`` with ``canonical`` added (a copy).
    """
    return pairs.assign(canonical=[canonical.get(b, canonical.get(a, a))
                                   for a, b in zip(pairs["a"], pairs["b"], strict=True)])  # fmt: skip
