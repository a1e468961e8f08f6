""":mod:`rhetoric.store`: files on disk, and nothing about rhetoric.

Reading the user's input files within bounds (:mod:`~rhetoric.store.inputs`,
:mod:`~rhetoric.store.yamlfile`), writing all or nothing, locks and signals
(:mod:`~rhetoric.store.atomic`), the cache of derived data
(:mod:`~rhetoric.store.cache`), the process pool (:mod:`~rhetoric.store.parallel`)
and where the study's folders are (:mod:`~rhetoric.store.paths`). The lowest
layer: it imports nothing of the package but :mod:`rhetoric.errors`, and no
analysis imports it for meaning (deleting the cache only costs time).
"""
