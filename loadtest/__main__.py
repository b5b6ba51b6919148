"""``python -m loadtest``: the load and soak run (see loadtest/runner.py)."""

# Locust runs on gevent: patch the standard library before anything else imports it.
from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

from loadtest.runner import main  # noqa: E402

sys.exit(main())
