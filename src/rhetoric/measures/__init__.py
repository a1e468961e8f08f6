""":mod:`rhetoric.measures`: the measures, pure functions of a processed corpus.

One family per module: rates with intervals, group comparisons and dispersion
(:mod:`~rhetoric.measures.rates`), term frequencies (:mod:`~rhetoric.measures.terms`),
keyness (:mod:`~rhetoric.measures.keyterms`), the
intervals and tests they use (:mod:`~rhetoric.measures.inference`), TF-IDF
similarity (:mod:`~rhetoric.measures.similarity`), keyword in context,
collocates and the lexicon audit (:mod:`~rhetoric.measures.concordance`), and
what news coverage took from a statement (:mod:`~rhetoric.measures.reuse`), and
the events behind the documents (:mod:`~rhetoric.measures.events`).
None of them reads or writes a file. The names below are imported on first
use (``from rhetoric.measures import keyness``), so importing one family does
not import the others.
"""

from importlib import import_module

_EXPORTS = {
    "theme_rates": "rhetoric.measures.rates",
    "compare_groups": "rhetoric.measures.rates",
    "compare_pairs": "rhetoric.measures.rates",
    "term_frequencies": "rhetoric.measures.terms",
    "keyness": "rhetoric.measures.keyterms",
    "dispersion": "rhetoric.measures.rates",
    "document_similarity": "rhetoric.measures.similarity",
    "theme_similarity": "rhetoric.measures.similarity",
    "context_similarity": "rhetoric.measures.similarity",
    "distinctive_terms": "rhetoric.measures.similarity",
    "kwic": "rhetoric.measures.concordance",
    "theme_kwic": "rhetoric.measures.concordance",
    "collocates": "rhetoric.measures.concordance",
    "lexicon_report": "rhetoric.measures.concordance",
    "find_reuse": "rhetoric.measures.reuse",
}

__all__ = [
    "collocates",
    "compare_groups",
    "compare_pairs",
    "context_similarity",
    "dispersion",
    "distinctive_terms",
    "document_similarity",
    "find_reuse",
    "keyness",
    "kwic",
    "lexicon_report",
    "term_frequencies",
    "theme_kwic",
    "theme_rates",
    "theme_similarity",
]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'rhetoric.measures' has no attribute {name!r}")
