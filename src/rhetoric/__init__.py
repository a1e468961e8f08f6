"""rhetoric: comparative rhetoric of joint statements, reproducibly.

The package's surface, importable from ``rhetoric`` itself::

    import rhetoric

    corpus = rhetoric.process_corpus("data")        # or rhetoric.process_dataframe(frame)
    rhetoric.theme_rates(corpus, by="dyad")
    rhetoric.keyness(corpus, target="RU-US")
    rhetoric.plots.plot_keyness(...)

- reading a corpus: :func:`process_corpus` (a data folder), :func:`process_dataframe`
  (a pandas DataFrame), both giving a :class:`Corpus`; :func:`load_corpus`,
  :func:`validate_data`, :func:`add_statements`, :func:`corpus_fingerprint` for the data
  folder itself;
- the measures, each a pure function of a :class:`Corpus`: :func:`theme_rates`,
  :func:`compare_groups`, :func:`term_frequencies`, :func:`keyness`,
  :func:`dispersion`, :func:`document_similarity`, :func:`theme_similarity`,
  :func:`context_similarity`, :func:`kwic`, :func:`collocates`, :func:`find_reuse`;
- :mod:`plots` (:mod:`rhetoric.study.plots`): every figure of the study, on axes you give;
- :func:`run_study`: execute the notebooks, as ``rhetoric run`` does;
- :class:`RhetoricInputError`: the one exception for input a user can fix (a ``ValueError``).

The layers below (``store``, ``text``, ``data``, ``corpus``, ``pipeline``, ``measures``,
``study``, ``cli``) are described in the README. Names are imported on first use, so
``import rhetoric`` is instant.
"""

from importlib import import_module

__version__ = "0.1.0"

#: Where each name is looked up on first use; the measures through rhetoric.measures, which
#: says which of its modules holds each.
_EXPORTS = {
    "RhetoricInputError": "rhetoric.errors",
    "Corpus": "rhetoric.corpus",
    "add_statements": "rhetoric.data.folder",
    "corpus_fingerprint": "rhetoric.data.folder",
    "load_corpus": "rhetoric.data.folder",
    "validate_data": "rhetoric.data.folder",
    "process_corpus": "rhetoric.pipeline",
    "process_dataframe": "rhetoric.pipeline",
    "theme_rates": "rhetoric.measures",
    "compare_groups": "rhetoric.measures",
    "term_frequencies": "rhetoric.measures",
    "keyness": "rhetoric.measures",
    "dispersion": "rhetoric.measures",
    "document_similarity": "rhetoric.measures",
    "theme_similarity": "rhetoric.measures",
    "context_similarity": "rhetoric.measures",
    "kwic": "rhetoric.measures",
    "collocates": "rhetoric.measures",
    "find_reuse": "rhetoric.measures",
    "run_study": "rhetoric.study.run",
}
_MODULES = {"plots": "rhetoric.study.plots"}

__all__ = [
    "Corpus",
    "RhetoricInputError",
    "__version__",
    "add_statements",
    "collocates",
    "compare_groups",
    "context_similarity",
    "corpus_fingerprint",
    "dispersion",
    "document_similarity",
    "find_reuse",
    "keyness",
    "kwic",
    "load_corpus",
    "plots",
    "process_corpus",
    "process_dataframe",
    "run_study",
    "term_frequencies",
    "theme_rates",
    "theme_similarity",
    "validate_data",
]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    if name in _MODULES:
        return import_module(_MODULES[name])
    raise AttributeError(f"module 'rhetoric' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
