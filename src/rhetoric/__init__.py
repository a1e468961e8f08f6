"""rhetoric: comparative rhetoric of joint statements, reproducibly.

The public functions, by stage (each module holds one stage):

- :mod:`rhetoric.corpus`: :func:`load_corpus`, :func:`validate_data`, :func:`add_statements`
- :mod:`rhetoric.clean`: boilerplate removal with an audit
- :mod:`rhetoric.themes`: theme lexicons
- :mod:`rhetoric.notebooks`: :func:`run_study`
"""

from rhetoric.corpus import add_statements, corpus_fingerprint, load_corpus, validate_data
from rhetoric.errors import RhetoricInputError

__version__ = "0.1.0"

__all__ = [
    "RhetoricInputError",
    "__version__",
    "add_statements",
    "corpus_fingerprint",
    "load_corpus",
    "validate_data",
]
