"""What the simulated people read in the pages, as htmx does (no locust here: the tests use it).

The CSRF token from ``hx-headers`` on ``<body>``, the poll URLs from the pollers, the version and
original value from an inline editor.
"""

import re

CSRF_RE = re.compile(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'")
POLLER_RE = re.compile(r'id="plan-poller"[^>]*hx-get="([^"]+)"')
DASHBOARD_POLLER_RE = re.compile(r'id="dashboard-poller"[^>]*hx-get="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="(\d+)"')
ORIGINAL_RE = re.compile(r'name="original" value="([^"]*)"')
