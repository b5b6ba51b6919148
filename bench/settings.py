"""Settings of the benchmark: the test settings, on a database that belongs to the benchmark.

``bench.cli`` sets ``DJANGO_SETTINGS_MODULE`` to this module (and ``BENCH_SQLITE_PATH`` to a file
in a fresh temporary folder) before ``django.setup()``. The database the developer works with is
never named here: see :func:`bench.database.bench_database_settings`.
"""

import os

from bench.database import bench_database_settings
from bench.sizes import THROTTLE_RATES
from config.settings_test import *  # noqa: F403
from config.settings_test import ALLOWED_HOSTS, DATABASES

DATABASES = {
    "default": bench_database_settings(DATABASES["default"], os.environ.get("BENCH_SQLITE_PATH"))
}

# Production-like: no query log kept by Django, cached templates.
DEBUG = False
# django.test.Client talks to "testserver"; setup_test_environment() is not used because it
# instruments template rendering, which would be timed too.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Nothing outside the benchmark's own database: no shared Redis cache, no broker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = True
# Hundreds of timed requests a minute are the point here (see bench.sizes.THROTTLE_RATES).
API_THROTTLE_RATES = THROTTLE_RATES
