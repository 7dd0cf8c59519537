"""Django settings for Haicang, read from the environment.

Environment variables:
- ``HAICANG_DATA_DIR``: folder for the embedded database, generated keys and stored files (default ``./var``).
- ``DATABASE_URL``: any dj-database-url URL; default is SQLite in the data folder.
- ``SECRET_KEY``: Django's signing key; when unset it is generated once into the data folder.
- ``DEBUG``: ``1``/``true`` to turn on debug pages (default off).
- ``ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``).
- ``HAICANG_TASKS_BACKEND``: ``db`` (default, django-tasks-db), ``rq`` (django-tasks-rq on ``REDIS_URL``) or
  ``immediate`` (tasks run where they are queued; for tests and one-off scripts).
- ``HAICANG_IDEMPOTENCY_TTL_HOURS``: how long API idempotency keys are kept (default and minimum 24).
- ``HAICANG_IDEMPOTENCY_LEASE_SECONDS``: after how long a key whose request never finished may be taken over
  by a retry with the same body (default 60).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from haicang.core.keyfiles import ensure_secret_key

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("HAICANG_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY") or ensure_secret_key(DATA_DIR)
DEBUG = _flag("DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "haicang.core",
    "haicang.parties",
    "haicang.network",
    "haicang.catalog",
    "haicang.inventory",
    "haicang.inbound",
    "haicang.channels",
    "haicang.orders",
    "haicang.fulfillment",
    "haicang.integration",
    "haicang.exchange",
    "haicang.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # `Idempotency-Key` on mutating /api/ calls: needs the session user, wraps the API views.
    "haicang.core.api.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "haicang.urls"
WSGI_APPLICATION = "haicang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------------------------------------
SQLITE_BUSY_TIMEOUT_S = 20
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'haicang.sqlite3'}",
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the lock when the transaction begins, so two writers never deadlock on upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_S,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000};"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests run on a file-backed database so that several threads or processes can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_haicang.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth --------------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# --- Internationalisation ----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and stored files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Background work ---------------------------------------------------------------------------------------
# See docs/jobs.md. `haicang worker` runs queued tasks and the periodic-job schedule for any of the three.
TASKS_BACKEND = os.environ.get("HAICANG_TASKS_BACKEND", "db").strip().lower()
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    # RQ's workers must run jobs through django-tasks-rq's job class (also for a bare `haicang rqworker`).
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"HAICANG_TASKS_BACKEND must be db, rq or immediate, not {TASKS_BACKEND!r}")

# --- API ----------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "haicang.core.api.schema.AutoSchema",
    # API keys (parties) go FIRST here: their `WWW-Authenticate: Bearer` challenge makes anonymous calls 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "haicang.parties.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "haicang.core.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "haicang.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "haicang.core.api.problems.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Who may read which audit entries through the API: the parties' scoping (core does not know parties).
HAICANG_AUDIT_ACCESS = "haicang.parties.access.audit_entries_for_request"
# How long an `Idempotency-Key` is remembered (at least 24 h; see docs/api.md).
HAICANG_IDEMPOTENCY_TTL_HOURS = max(24, int(os.environ.get("HAICANG_IDEMPOTENCY_TTL_HOURS", "24")))
# How long an in-flight key is leased to its request before a retry may take it over (see docs/api.md).
HAICANG_IDEMPOTENCY_LEASE_SECONDS = max(1, int(os.environ.get("HAICANG_IDEMPOTENCY_LEASE_SECONDS", "60")))

SPECTACULAR_SETTINGS = {
    "TITLE": "Haicang API",
    "DESCRIPTION": (
        "REST API of Haicang (海仓), shared by cross-border sellers and their warehouse operators. "
        "Errors are RFC 9457 problem details (`application/problem+json`); conventions in docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several serializers get one stable component name each (no hashed suffixes).
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "haicang.core.models.ActorKind",
        "PartyStatusEnum": "haicang.parties.models.PartyStatus",
        "AgreementStatusEnum": "haicang.parties.models.AgreementStatus",
        "SkuStatusEnum": "haicang.catalog.models.SkuStatusChoices",
        "LocationTypeEnum": "haicang.network.models.LocationKind",
        "RealLocationTypeEnum": "haicang.network.models.REAL_KIND_CHOICES",
        "ReservationStatusEnum": "haicang.inventory.models.ReservationStatus",
        "CountTaskStatusEnum": "haicang.inventory.models.CountTaskStatus",
        "CountTaskKindEnum": "haicang.inventory.models.CountTaskKind",
        "InboundStatusEnum": "haicang.inbound.models.ShipmentStatus",
        "TransportModeEnum": "haicang.inbound.models.TransportMode",
        "StockShareRuleModeEnum": "haicang.channels.models.RuleMode",
        "ImportStatusEnum": "haicang.exchange.models.ImportStatus",
        "OrderStatusEnum": "haicang.orders.models.OrderStatus",
        "OrderHoldReasonEnum": "haicang.orders.models.HoldReason",
        "OrderLineKindEnum": "haicang.orders.models.LineKind",
        "OutboundStatusEnum": "haicang.fulfillment.models.OutboundStatus",
        "WaveStatusEnum": "haicang.fulfillment.models.WaveStatus",
        "PickListStatusEnum": "haicang.fulfillment.models.PickListStatus",
        "PickTaskStatusEnum": "haicang.fulfillment.models.PickTaskStatus",
        "PickModeEnum": "haicang.fulfillment.models.PickMode",
        "PickScanResultEnum": "haicang.fulfillment.models.ScanResult",
        "PickExceptionStatusEnum": "haicang.fulfillment.models.ExceptionStatus",
        "ParcelStatusEnum": "haicang.fulfillment.models.ParcelStatus",
    },
    # Swagger UI and Redoc from the installed drf-spectacular-sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging -----------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
