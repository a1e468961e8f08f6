""":mod:`rhetoric.measures.versions`: two versions of a statement, sentence by sentence.

What did a translation change? :func:`align_versions` aligns the sentences of two
versions (:mod:`rhetoric.text.versions`) with Gale & Church's (1993) length-based
method, NLTK's implementation (``nltk.translate.gale_church``): a sentence pairs with
one, two or none of the other version's (1:1, 2:1, 1:2, 2:2, 1:0, 0:1, with the paper's
prior probabilities), by how well their lengths in characters agree. The mean ratio of
lengths is the two texts' own (a Chinese text has about a third of the characters of its
Russian original), not the paper's 1; the variance is the paper's (6.8). Each aligned pair
then lists the theme terms each side uses (the hits of
:func:`rhetoric.text.themes.match_themes`, each version matched with the terms of its
language), so a reader sees where the translation adds, drops or changes a theme.

Length-based alignment needs no dictionary and no download, and works across scripts; it
errs where a translator reorders sentences or splits them three ways. Read the pairs, not
only the summary.
"""

from __future__ import annotations

import pandas as pd

from rhetoric.corpus import Corpus
from rhetoric.errors import RhetoricInputError
from rhetoric.text.versions import statements

__all__ = [
    "GALE_CHURCH_VARIANCE",
    "align_sentences",
    "align_versions",
    "statement_versions",
    "theme_changes",
    "version_groups",
]

#: Gale & Church's variance of the length difference (per character).
GALE_CHURCH_VARIANCE = 6.8


def statement_versions(corpus: Corpus, doc_id: str) -> list[str]:
    """Every version of the statement ``doc_id`` belongs to, its original first.

    Parameters
    ----------
    corpus : Corpus
        A corpus with every version kept (``process_corpus(..., versions="keep")``).
    doc_id : str
        Any version of the statement, the original included.

    Returns
    -------
    list of str
        The original's id, then its versions' in corpus order (:func:`version_groups`);
        ``[doc_id]`` alone for a document without versions.

    Raises :class:`RhetoricInputError` for an id not in the corpus.
    """
    if doc_id not in set(corpus.documents["id"]):
        raise RhetoricInputError(f"no document {doc_id!r} in this corpus (rhetoric versions "
                                 "takes a document id of corpus.csv)")  # fmt: skip
    for members in version_groups(corpus).values():
        if doc_id in members:
            return members
    return [doc_id]


def version_groups(corpus: Corpus) -> dict[str, list[str]]:
    """The statements with versions: each original's id and its members, the original first.

    Parameters
    ----------
    corpus : Corpus
        A corpus with every version kept (``process_corpus(..., versions="keep")``).

    Returns
    -------
    dict of str to list of str
        Original id -> [original, versions in corpus order], for originals in the corpus
        that have at least one version, in corpus order.
    """
    documents = corpus.documents
    ids = documents["id"].astype(str).tolist()
    group_of = statements(documents)[0]
    groups: dict[str, list[str]] = {}
    for doc, group in zip(ids, group_of, strict=True):
        if group and group in ids and doc != group:
            groups.setdefault(group, [group]).append(doc)
    return {o: groups[o] for o in ids if o in groups}


def align_sentences(a: list[int], b: list[int]) -> list[tuple[list[int], list[int]]]:
    """Gale–Church alignment of two lists of sentence lengths, as beads.

    Parameters
    ----------
    a, b : list of int
        The lengths in characters of each sentence of the two texts, in order.

    Returns
    -------
    list of tuple of (list of int, list of int)
        The beads in text order: the sentence indices of ``a`` and of ``b`` aligned
        together (one or two each; an empty side for a sentence the other text lacks).
    """
    from nltk.translate.gale_church import LanguageIndependent, align_blocks

    if not a or not b:
        return [([i], []) for i in range(len(a))] + [([], [j]) for j in range(len(b))]

    params = type("Ratio", (LanguageIndependent,), {
        "AVERAGE_CHARACTERS": max(sum(b), 1) / max(sum(a), 1),
        "VARIANCE_CHARACTERS": GALE_CHURCH_VARIANCE})  # fmt: skip
    try:
        links = align_blocks(a, b, params=params)
    except ValueError as exc:  # more sentences than NLTK aligns (MAX_ALIGN_BLOCKS)
        raise RhetoricInputError(f"too many sentences to align ({max(len(a), len(b))}): "
                                 f"{exc}".split(". This")[0]) from None  # fmt: skip
    return _beads(links, len(a), len(b))


def _beads(links: list[tuple[int, int]], n_a: int, n_b: int) -> list[tuple[list, list]]:
    """Group NLTK's (i, j) links into beads, with the unlinked sentences as 1:0 and 0:1."""
    of_a: dict[int, set[int]] = {}
    of_b: dict[int, set[int]] = {}
    for i, j in links:
        of_a.setdefault(i, set()).add(j)
        of_b.setdefault(j, set()).add(i)
    beads, i, j = [], 0, 0
    while i < n_a or j < n_b:
        if i < n_a and i not in of_a:
            beads.append(([i], []))
            i += 1
        elif j < n_b and j not in of_b:
            beads.append(([], [j]))
            j += 1
        else:
            side_a, side_b = {i}, set(of_a[i])
            while True:
                more_a = set().union(*(of_b[k] for k in side_b)) - side_a
                more_b = set().union(*(of_a[k] for k in side_a | more_a)) - side_b
                if not more_a and not more_b:
                    break
                side_a |= more_a
                side_b |= more_b
            beads.append((sorted(side_a), sorted(side_b)))
            i, j = max(side_a) + 1, max(side_b) + 1
    return beads


def _sentence_terms(corpus: Corpus, doc_id: str) -> dict[int, list[tuple[str, str]]]:
    """Per sentence of one document: the (theme, matched text) of each hit, in text order."""
    hits = corpus.hits
    mine = hits[hits["document"].astype(object) == doc_id]
    found: dict[int, list[tuple[str, str]]] = {}
    for sentence, theme, match in zip(mine["sentence"], mine["theme"].astype(object),
                                      mine["match"], strict=True):  # fmt: skip
        found.setdefault(int(sentence), []).append((str(theme), " ".join(str(match).split())))
    return found


def align_versions(corpus: Corpus, a: str, b: str) -> pd.DataFrame:
    """Two versions of a statement aligned sentence by sentence, with the theme terms of each.

    Parameters
    ----------
    corpus : Corpus
        A corpus with both documents (``process_corpus(..., versions="keep")``).
    a, b : str
        The two documents' ids (usually the original and a translation).

    Returns
    -------
    pandas.DataFrame
        One row per bead, in text order: ``a_sentences`` and ``b_sentences`` (the
        sentence numbers, from 0 as ``rhetoric kwic`` and the reuse figures number them,
        joined by ``+``; "" for none), ``a_text``, ``b_text``
        (the sentences' cleaned text), ``a_terms``, ``b_terms`` (``theme: matched
        text`` for each theme hit, joined by ``; ``), and ``change``: the themes that
        ``b`` adds (hits in ``b`` only), drops (in ``a`` only) or changes (in both, a
        different number of hits) in this bead, "" when the two sides have the same
        themes as often.
    """
    ids = set(corpus.documents["id"])
    for doc in (a, b):
        if doc not in ids:
            raise RhetoricInputError(f"no document {doc!r} in this corpus")
    sentences = corpus.sentences
    texts = corpus.cleaned
    spans = {}
    for doc in (a, b):
        rows = sentences[sentences["document"].astype(object) == doc]
        spans[doc] = list(zip(rows["start"].tolist(), rows["end"].tolist(), strict=True))
    lengths = {doc: [end - start for start, end in spans[doc]] for doc in (a, b)}
    terms = {doc: _sentence_terms(corpus, doc) for doc in (a, b)}
    rows = []
    for side_a, side_b in align_sentences(lengths[a], lengths[b]):
        row = {}
        for doc, side, key in ((a, side_a, "a"), (b, side_b, "b")):
            row[f"{key}_sentences"] = "+".join(str(i) for i in side)
            row[f"{key}_text"] = " ".join(
                texts[doc][s:e] for s, e in (spans[doc][i] for i in side)
            )
            row[f"{key}_terms"] = [hit for i in side for hit in terms[doc].get(i, [])]
        row["change"] = theme_changes([t for t, _m in row["a_terms"]],
                                      [t for t, _m in row["b_terms"]])  # fmt: skip
        for key in ("a_terms", "b_terms"):
            row[key] = "; ".join(f"{theme}: {match}" for theme, match in row[key])
        rows.append(row)
    columns = ["a_sentences", "b_sentences", "a_text", "b_text", "a_terms", "b_terms", "change"]
    return pd.DataFrame(rows, columns=columns)


def theme_changes(a: list[str], b: list[str]) -> str:
    """What the second side does to the first's themes: ``adds``, ``drops``, ``changes``.

    Parameters
    ----------
    a, b : list of str
        The theme of each hit on each side (a theme once per hit).

    Returns
    -------
    str
        ``adds X; drops Y; changes Z`` (themes in order of first appearance, each part
        only when it has a theme, ``changes`` for a theme both sides have a different
        number of times, with the counts); "" when both sides have the same themes as
        often.

    >>> theme_changes(["trust", "trust", "security"], ["trust", "partnership"])
    'adds partnership; drops security; changes trust (2 → 1)'
    """
    order = list(dict.fromkeys([*a, *b]))
    added = [t for t in order if t in b and t not in a]
    dropped = [t for t in order if t in a and t not in b]
    changed = [f"{t} ({a.count(t)} → {b.count(t)})" for t in order
               if t in a and t in b and a.count(t) != b.count(t)]  # fmt: skip
    parts = [(f"adds {', '.join(added)}" if added else ""),
             (f"drops {', '.join(dropped)}" if dropped else ""),
             (f"changes {', '.join(changed)}" if changed else "")]  # fmt: skip
    return "; ".join(p for p in parts if p)
