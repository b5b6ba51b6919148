"""Settings for the test suite: the real settings with a throwaway key and fast hashing.

DATABASE_URL and REDIS_URL still decide whether the suite runs on PostgreSQL, Redis and a real
worker (CI, ``REQUIRE_SERVICES=1``) or on SQLite with tasks in-process.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")

from config.settings import *  # noqa: F403
from config.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
WHITENOISE_AUTOREFRESH = True
DASHBOARD_TEST_DELAY_SECONDS = float(os.environ.get("DASHBOARD_TEST_DELAY_SECONDS", "0"))
# The suite (schemathesis above all) makes thousands of API calls from one address in a minute:
# the throttling tests lower these rates themselves.
API_THROTTLE_RATES = {"token": "100000/min", "user": "100000/min", "anon": "100000/min"}
# Likewise the password reset and invitation limits (kept in the cache, which survives between
# tests and, on Redis, between runs): the throttling tests lower them themselves.
RATE_LIMITS = {
    scope: {**rule, "per_email": 100000, "per_address": 100000}
    for scope, rule in RATE_LIMITS.items()  # noqa: F405
}
