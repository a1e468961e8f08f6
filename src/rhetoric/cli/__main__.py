"""``python -m rhetoric.cli``: the ``rhetoric`` command, as ``python -m rhetoric``."""

from rhetoric._entry import main

raise SystemExit(main())
