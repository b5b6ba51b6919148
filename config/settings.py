"""Territoria settings, read from the environment.

Two shapes share this one file:

* the embedded default (no ``DATABASE_URL``): SQLite in the project folder, Celery tasks run
  in-process, a local-memory cache. Needs no services; ``make run`` uses it with ``DEBUG=1``.
* the served shape (``DATABASE_URL=postgres://...`` and ``REDIS_URL=redis://...``): PostgreSQL,
  Redis as cache and Celery broker, a real worker (``make worker``) and beat.

``DEBUG`` is off unless asked for, and ``SECRET_KEY`` is then required.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    # Our apps, lowest layer first (core <- territories <- governance <- tracer <- mix <- evaluation).
    "core",
    "territories",
    "governance",
    "tracer",
    "mix",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The one entry point that activates the workspace scope for /w/<slug>/ URLs.
    "core.middleware.WorkspaceMiddleware",
    # Last: turns a locked-out sign-in into the login page with the time to wait (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker -----------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="territoria"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
# The embedded default runs tasks in-process; with a broker they go to a real worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
# The dashboards' computations run on their own queue (``make worker`` listens to it).
DASHBOARD_QUEUE = env.str("DASHBOARD_QUEUE", default="dashboards")
CELERY_TASK_ROUTES = {"evaluation.*": {"queue": DASHBOARD_QUEUE}}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged task (its worker was killed) goes back to the queue after this long. It
    # must stay above the longest task's time limit (evaluation.compute_snapshot, 300 s), or a
    # task still running would be handed out a second time; every countdown (webhook retries,
    # transient-error backoffs) stays well below it, as a worker holds those tasks unacked too.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=360),
}
CELERY_BEAT_SCHEDULE = {
    "nightly-dashboards": {
        "task": "evaluation.nightly_refresh",
        "schedule": crontab(hour=3, minute=15),
    },
    # Dashboards whose refresh or computation was lost (a worker died, Redis was flushed).
    "dashboards-sweep": {"task": "evaluation.dashboards_sweep", "schedule": 60.0},
    # Webhook deliveries whose task was lost, or whose retry is too far off for a countdown.
    "webhooks-sweep": {"task": "core.webhooks_sweep", "schedule": 60.0},
    "webhooks-prune": {"task": "core.webhooks_prune", "schedule": crontab(hour=4, minute=5)},
    # Leaving: expired exports are deleted, workspaces past their grace period erased.
    "workspace-exports-prune": {"task": "core.prune_workspace_exports", "schedule": 3600.0},
    "workspace-erasure": {"task": "core.erase_due_workspaces", "schedule": 3600.0},
}
# A burst of saves within this many seconds causes one dashboard computation.
DASHBOARD_DEBOUNCE_SECONDS = env.int("DASHBOARD_DEBOUNCE_SECONDS", default=5)
# A running computation older than this (its time limit, 300 s, and a margin) is dead: another
# run takes its snapshot over.
DASHBOARD_STALE_SECONDS = env.int("DASHBOARD_STALE_SECONDS", default=330)
# The beat sweep sends again a dashboard's work lost for longer than this.
DASHBOARD_SWEEP_AFTER_SECONDS = env.int("DASHBOARD_SWEEP_AFTER_SECONDS", default=120)

# --- Webhooks (core.webhooks) ----------------------------------------------------------------
# The public address of the site, for the API links inside webhook payloads (no trailing /).
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
WEBHOOK_QUEUE = env.str("WEBHOOK_QUEUE", default="celery")
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=8.0)
# Seconds to wait before each retry; a delivery gets len(delays) + 1 attempts in all.
WEBHOOK_RETRY_DELAYS = env.list("WEBHOOK_RETRY_DELAYS", cast=int, default=[10, 60, 300, 1800, 7200])
# How long a worker holds a delivery it is sending (more than the timeout).
WEBHOOK_CLAIM_SECONDS = env.int("WEBHOOK_CLAIM_SECONDS", default=60)
# The sweep re-sends deliveries due for longer than this whose task never came.
WEBHOOK_SWEEP_GRACE_SECONDS = env.int("WEBHOOK_SWEEP_GRACE_SECONDS", default=120)
WEBHOOK_RETENTION_DAYS = env.int("WEBHOOK_RETENTION_DAYS", default=30)
# Loopback and private network addresses are refused unless allowed (a self-hosted install
# posting to its intranet, the tests' local receiver).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)

# --- Leaving: workspace exports and deletion (core.exports, core.erasure) ----------------------
WORKSPACE_EXPORT_RETENTION_DAYS = env.int("WORKSPACE_EXPORT_RETENTION_DAYS", default=7)
WORKSPACE_DELETION_GRACE_DAYS = env.int("WORKSPACE_DELETION_GRACE_DAYS", default=30)
# Where ``manage.py backup`` writes its folders.
BACKUP_ROOT = env.str("BACKUP_ROOT", default=str(BASE_DIR / "backups"))

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)

# --- Sign-in protection (django-axes, core.logins) ----------------------------------------
# The axes backend refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# An account is locked after this many failed sign-ins within the window, from any address;
# an address after this many, whatever the accounts tried (a shared office address may make
# a few honest mistakes).
LOGIN_FAILURE_LIMIT_ACCOUNT = env.int("LOGIN_FAILURE_LIMIT_ACCOUNT", default=5)
LOGIN_FAILURE_LIMIT_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_ADDRESS", default=20)
# Failures are forgotten, and a lockout ends, this many minutes after the last counted failure.
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_HANDLER = "core.logins.LoginAttemptHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "core.logins.failure_limit"
AXES_COOLOFF_TIME = "core.logins.cool_off"
AXES_USERNAME_CALLABLE = "core.logins.attempted_username"
AXES_LOCKOUT_CALLABLE = "core.logins.lockout_response"
# Attempts made while locked out are refused and not counted: a lockout ends on time, however
# long a guesser keeps trying (no lasting denial of service for the account's owner).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Successful sign-ins are not kept in a table of their own (the audit log keeps what matters).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# The client's address (core.http.client_address): the TCP peer; behind the TLS proxy, the
# address that proxy appended to X-Forwarded-For (the entries before it are the client's own
# words: trusting them would let a guesser pick a new address at each attempt).
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0
)
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
# Password reset requests and invitation pages: at most so many per e-mail address and per
# client address within the window (core.ratelimit, in the cache).
RATE_LIMITS = {
    "password_reset": {
        "per_email": env.int("PASSWORD_RESET_MAX_PER_EMAIL", default=5),
        "per_address": env.int("PASSWORD_RESET_MAX_PER_ADDRESS", default=20),
        "minutes": env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60),
    },
    "invitation": {
        "per_email": env.int("INVITATION_MAX_PER_EMAIL", default=10),
        "per_address": env.int("INVITATION_MAX_PER_ADDRESS", default=30),
        "minutes": env.int("INVITATION_WINDOW_MINUTES", default=15),
    },
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Territoria <no-reply@territoria.local>")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English pages read dates day first (17/05/2026), as the team in Europe does: config/formats/en.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files (partner logos, method deliverables). Never served by a public URL: views
# check who may read each file and stream it (core.uploads.serve).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
UPLOAD_MAX_SIZE = env.int("UPLOAD_MAX_SIZE", default=10 * 1024 * 1024)  # bytes
LOGO_MAX_SIZE = env.int("LOGO_MAX_SIZE", default=1024 * 1024)

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.apiauth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.apiauth.WorkspaceRolePermission"],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.apiauth.TokenRateThrottle",
        "core.apiauth.UserRateThrottle",
        "core.apiauth.AnonRateThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.apiauth.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "core.apifilters.FilterBackend",
        "core.apifilters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.apischema.AutoSchema",
    "EXCEPTION_HANDLER": "core.restapi.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
# Requests per token, per user (whatever their credentials) and per anonymous address.
API_THROTTLE_RATES = {
    "token": env.str("API_THROTTLE_TOKEN", default="1200/min"),
    "user": env.str("API_THROTTLE_USER", default="2400/min"),
    "anon": env.str("API_THROTTLE_ANON", default="60/min"),
}
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=256 * 1024)

SPECTACULAR_SETTINGS = {
    "TITLE": "Territoria API",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "DESCRIPTION": (BASE_DIR / "core" / "api_description.md").read_text(encoding="utf-8"),
    "SERVE_INCLUDE_SCHEMA": False,
    "DEFAULT_GENERATOR_CLASS": "core.apischema.SchemaGenerator",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {
        "persistAuthorization": True,
        "displayOperationId": False,
        "docExpansion": "none",
        "filter": True,
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.apischema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        # Several models have a "kind": each choice set gets its own name.
        "PartnerKindEnum": "governance.models.PartnerKind",
        "GovernanceBodyKindEnum": "governance.models.BodyKind",
        "OwnershipEventKindEnum": "governance.models.OwnershipKind",
        "AmbassadorKindEnum": "governance.models.AmbassadorKind",
        "DeliverableKindEnum": "governance.models.DeliverableKind",
    },
    "DISABLE_ERRORS_AND_WARNINGS": False,
}

# --- Content security policy (django-csp 4) -----------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # /healthz stays reachable over plain HTTP for container health checks.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # An expected 403 or 404 is one line (method, path, user, reason); a 500 keeps its traceback.
    "filters": {"one_line_client_errors": {"()": "core.logs.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["one_line_client_errors"]},
        # Axes' own lines repeat ours (territoria.security) at every attempt.
        "axes": {"level": "WARNING"},
    },
}

# Demo data (``manage.py demo``) is only for the embedded default.
EMBEDDED = not DATABASE_URL
