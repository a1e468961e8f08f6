""":mod:`rhetoric.measures`: the measures, pure functions of a processed corpus.

One family per module: rates with intervals, group comparisons, term
frequencies, keyness and dispersion (:mod:`~rhetoric.measures.rates`), the
intervals and tests they use (:mod:`~rhetoric.measures.inference`), TF-IDF
similarity (:mod:`~rhetoric.measures.similarity`), keyword in context,
collocates and the lexicon audit (:mod:`~rhetoric.measures.concordance`), and
what news coverage took from a statement (:mod:`~rhetoric.measures.reuse`).
None of them reads or writes a file. The names below are imported on first
use (``from rhetoric.measures import keyness``), so importing one family does
not import the others.
"""

from importlib import import_module

_EXPORTS = {
    "theme_rates": "rates",
    "compare_groups": "rates",
    "term_frequencies": "rates",
    "keyness": "rates",
    "dispersion": "rates",
    "document_similarity": "similarity",
    "theme_similarity": "similarity",
    "context_similarity": "similarity",
    "distinctive_terms": "similarity",
    "kwic": "concordance",
    "theme_kwic": "concordance",
    "collocates": "concordance",
    "lexicon_report": "concordance",
    "find_reuse": "reuse",
}

__all__ = [
    "collocates",
    "compare_groups",
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
        return getattr(import_module(f"rhetoric.measures.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'rhetoric.measures' has no attribute {name!r}")
