"""``python -m rhetoric``: the ``rhetoric`` command."""

from rhetoric._entry import main

raise SystemExit(main())
