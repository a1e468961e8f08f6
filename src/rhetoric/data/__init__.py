""":mod:`rhetoric.data`: the user's data folder.

Reading, checking and adding to it (:mod:`~rhetoric.data.folder`: ``corpus.csv``,
``raw/``, the lock that makes adds all or nothing), party codes
(:mod:`~rhetoric.data.parties`) and new study folders
(:mod:`~rhetoric.data.studyfolder`). Imports :mod:`rhetoric.text` (to check
themes.yml and boilerplate.yml) and :mod:`rhetoric.store`.
"""
