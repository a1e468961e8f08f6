"""rhetoric: comparative rhetoric of joint statements, reproducibly.

The public functions, by stage (each module holds one stage):

- :mod:`rhetoric.data.folder`: :func:`load_corpus`, :func:`validate_data`, :func:`add_statements`
- :mod:`rhetoric.text.clean`: boilerplate removal with an audit
- :mod:`rhetoric.text.tokens`: offline sentences, tokens, stems and voice
- :mod:`rhetoric.text.themes`: theme lexicons and matching
- :mod:`rhetoric.pipeline`: :func:`process_corpus`, :func:`process_dataframe` (a corpus held
  in a pandas DataFrame)
- :mod:`rhetoric.measures.rates`, :mod:`rhetoric.measures.similarity`, :mod:`rhetoric.measures.concordance`: the measures
- :mod:`rhetoric.study.plots`, :mod:`rhetoric.study.figures`, :mod:`rhetoric.study.context`: figures and notebooks
- :mod:`rhetoric.study.run`: :func:`run_study`

Names are imported on first use, so ``import rhetoric`` is instant.
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "RhetoricInputError": "rhetoric.errors",
    "add_statements": "rhetoric.data.folder",
    "corpus_fingerprint": "rhetoric.data.folder",
    "load_corpus": "rhetoric.data.folder",
    "validate_data": "rhetoric.data.folder",
    "process_corpus": "rhetoric.pipeline",
    "process_dataframe": "rhetoric.pipeline",
    "run_study": "rhetoric.study.run",
}

__all__ = [
    "RhetoricInputError",
    "__version__",
    "add_statements",
    "corpus_fingerprint",
    "load_corpus",
    "process_corpus",
    "process_dataframe",
    "run_study",
    "validate_data",
]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'rhetoric' has no attribute {name!r}")
