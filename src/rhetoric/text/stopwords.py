""":mod:`rhetoric.text.stopwords`: the display stopwords, and which terms they hide.

Counts and denominators keep every word. The display stopwords (``stopwords.txt``
in the package: articles, prepositions, auxiliaries, in English, Russian and Chinese as
its tokenizer splits them; pronouns, modals and negations are not among them) only decide
what is *shown*: a measure's ``stopwords="drop"``
leaves out the terms :func:`stopword_terms` marks, and word lists (terms,
collocates, the dfm export) also leave out terms with a word that has no letter
(:func:`hidden_term`). Which measures drop them by default is the study's one
policy (README, "Command line").
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

__all__ = ["display_stopwords", "hidden_term", "stopword_terms"]


@lru_cache(maxsize=1)
def display_stopwords() -> frozenset[str]:
    """The project's display stopword list (``stopwords.txt``; keeps pronouns, modals, negations).

    Returns
    -------
    frozenset of str
        The lowercase words of ``stopwords.txt`` (comment lines, ``#``, skipped), read
        once.
    """
    text = resources.files("rhetoric").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def stopword_terms(terms) -> np.ndarray:
    """Which terms (words, or n-grams joined by a space) start or end with a display stopword:
    ``of``, ``of the``, ``trust and`` (``rule of law`` is not one).

    Parameters
    ----------
    terms : sequence of str
        Terms of lowercase words joined by one space; a list or an array (it needs
        ``len``).

    Returns
    -------
    numpy.ndarray
        bool, one per term: whether its first or last word is a display stopword.
    """
    return np.fromiter((_stopword_at_an_end(term.split(" ")) for term in terms), bool, len(terms))


def hidden_term(words: list[str]) -> bool:
    """Whether a term (its words) is left out of word lists: it starts or ends with a display
    stopword, or a word of it has no letter.

    Parameters
    ----------
    words : list of str
        The term's words, in order (at least one); compared with the lowercase
        stopwords as they are.

    Returns
    -------
    bool
        True when the term is left out of word lists.
    """
    return _stopword_at_an_end(words) or not all(any(c.isalpha() for c in w) for w in words)


def _stopword_at_an_end(words: list[str]) -> bool:
    stop = display_stopwords()
    return words[0] in stop or words[-1] in stop
