"""``python -m bench --size S|L [--seed N]``: see :mod:`bench.cli`."""

from bench.cli import main

raise SystemExit(main())
