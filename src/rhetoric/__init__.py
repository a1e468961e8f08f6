"""rhetoric: comparative rhetoric of joint statements, reproducibly.

The public functions, by stage (each module holds one stage):

- :mod:`rhetoric.corpus`: :func:`load_corpus`, :func:`validate_data`, :func:`add_statements`
- :mod:`rhetoric.clean`: boilerplate removal with an audit
- :mod:`rhetoric.tokens`: offline sentences, tokens, stems and voice
- :mod:`rhetoric.themes`: theme lexicons and matching
- :mod:`rhetoric.pipeline`: :func:`process_corpus`, :func:`process_dataframe` (a corpus held
  in a pandas DataFrame)
- :mod:`rhetoric.measures`, :mod:`rhetoric.similarity`, :mod:`rhetoric.concordance`: the measures
- :mod:`rhetoric.plots`, :mod:`rhetoric.figures`, :mod:`rhetoric.study`: figures and notebooks
- :mod:`rhetoric.notebooks`: :func:`run_study`

Names are imported on first use, so ``import rhetoric`` is instant.
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "RhetoricInputError": "rhetoric.errors",
    "add_statements": "rhetoric.corpus",
    "corpus_fingerprint": "rhetoric.corpus",
    "load_corpus": "rhetoric.corpus",
    "validate_data": "rhetoric.corpus",
    "process_corpus": "rhetoric.pipeline",
    "process_dataframe": "rhetoric.pipeline",
    "run_study": "rhetoric.notebooks",
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
