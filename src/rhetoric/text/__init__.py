""":mod:`rhetoric.text`: the text stages, one document at a time.

Cleaning with an audit (:mod:`~rhetoric.text.clean`), near-duplicates
(:mod:`~rhetoric.text.reprints`), offline sentences, tokens, stems and voice
(:mod:`~rhetoric.text.tokens`), theme lexicons and matching
(:mod:`~rhetoric.text.themes`), dictionaries from quanteda and LIWC
(:mod:`~rhetoric.text.lexicons`). Imports only :mod:`rhetoric.store` and
:mod:`rhetoric.errors`.
"""
