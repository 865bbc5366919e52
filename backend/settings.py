"""Agora settings: one module, driven by environment variables (see README, "Configuration").

Two shapes of deployment are chosen by the environment alone:
- embedded default: SQLite (WAL, immediate transactions, busy timeout), in-memory channel
  layer and local-memory cache, one process; nothing to install or run besides Python;
- scale-out: DATABASE_URL (PostgreSQL) and REDIS_URL (channel layer + cache), several ASGI
  worker processes behind a reverse proxy.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_choice, env_int, env_list, env_parsed, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AGORA_VAR_DIR", str(BASE_DIR / "var")))

AGORA_ENV = env_choice("AGORA_ENV", ["development", "production"], "development")
PRODUCTION = AGORA_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if PRODUCTION and (len(key) < 50 or len(set(key)) < 5):
            raise ImproperlyConfigured("SECRET_KEY: too short or too simple for production (50+ characters)")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY: required when AGORA_ENV=production")
    # Development: generate once and keep it in a local file, so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS: required when AGORA_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "channels",
    "csp",
    # Shared infrastructure (errors, the journal, API plumbing), below every domain app.
    "core",
    # Domain apps, in dependency order: a later app may import an earlier one, never the reverse.
    "assembly",
    "proposals",
    "meetings",
    "questionnaires",
    "votes",
    "recommendations",
    # Transport only: imports no domain app.
    "realtime",
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
    # A service's refusal that a page did not catch becomes its error page (403, 404, 413, 429…), not a 500.
    "core.error_pages.DomainErrorPages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "backend.urls"
ASGI_APPLICATION = "backend.asgi.application"
WSGI_APPLICATION = None

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
                "assembly.context_processors.roles",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "agora.sqlite3"
DATABASE_URL = env_str("DATABASE_URL")


def _database() -> Mapping[str, Any]:
    if DATABASE_URL:
        # 0: a connection per request, closed at its end. Under the ASGI server each request runs in a
        # thread of its own, so a connection kept for reuse stays open with its thread: at 60 s, a
        # hundred quick page loads exhausted PostgreSQL's 100 connections ("too many clients").
        conn_max_age = env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0)
        try:
            config = dj_database_url.parse(DATABASE_URL, conn_max_age=conn_max_age)
        except Exception as exc:
            raise ImproperlyConfigured(f"DATABASE_URL: cannot parse {DATABASE_URL!r} ({exc})") from exc
        if not config.get("ENGINE"):
            raise ImproperlyConfigured(f"DATABASE_URL: unknown database scheme in {DATABASE_URL!r}")
        config["CONN_HEALTH_CHECKS"] = True
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = _sqlite_options()
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": SQLITE_PATH,
        "OPTIONS": _sqlite_options(),
    }


def _sqlite_options() -> dict:
    # WAL lets readers run while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue on the busy timeout instead of failing with "database is locked".
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "assembly.User"

# --- Redis: the cache, and the realtime hub's pub/sub between worker processes ----------------
# No Channels layer is configured: the live room's processes talk through realtime/hub.py's own
# Redis subscription (one per process), and no consumer uses a channel layer.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL: expected redis://, rediss:// or unix://, got {REDIS_URL!r}")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "agora",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "assembly:sign_in"
LOGIN_REDIRECT_URL = "assembly:home"
LOGOUT_REDIRECT_URL = "assembly:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A sign-in link is short-lived and single-use.
SIGN_IN_LINK_MAX_AGE = env_int("SIGN_IN_LINK_MAX_AGE", 15 * 60, minimum=60)
INVITATION_LINK_MAX_AGE = env_int("INVITATION_LINK_MAX_AGE", 7 * 24 * 3600, minimum=60)
# Failed sign-ins: at most SIGN_IN_MAX_FAILURES per SIGN_IN_FAILURE_WINDOW seconds per account and per address.
SIGN_IN_MAX_FAILURES = env_int("SIGN_IN_MAX_FAILURES", 5, minimum=1)
SIGN_IN_FAILURE_WINDOW = env_int("SIGN_IN_FAILURE_WINDOW", 15 * 60, minimum=1)
# Per client address the allowance is larger: a room of phones often shares one address.
SIGN_IN_MAX_FAILURES_PER_ADDRESS = env_int("SIGN_IN_MAX_FAILURES_PER_ADDRESS", 10 * SIGN_IN_MAX_FAILURES, minimum=1)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 24 * 3600, minimum=60)

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", ["fr", "en"], "fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Behind nginx, private files (proposal attachments) are handed over with X-Accel-Redirect to an
# `internal` location (deploy/nginx.conf) after the permission check; otherwise Django streams them.
MEDIA_ACCEL_REDIRECT = env_bool("MEDIA_ACCEL_REDIRECT", False)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With the file-based backend, each email is written to a file in this folder.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "emails"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL: set at most one of them")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Agora <agora@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The absolute address put in emailed links (sign-in links are opened from a phone's mail app).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Signed-in people by default; a public endpoint says so (core.api.permissions.Public).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # Every operation documents its error answers (core/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/min"),
        "user": env_str("API_THROTTLE_USER", "600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Agora API",
    "DESCRIPTION": "Participation platform of a regional consultative assembly.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or "status" choice set: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ProposalKindEnum": "proposals.models.Proposal.Kind",
        "ProposalStatusEnum": "proposals.models.Proposal.Status",
        "AttachmentKindEnum": "proposals.models.Attachment.Kind",
        "ReportStatusEnum": "proposals.models.Report.Status",
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "MeetingDocumentKindEnum": "meetings.models.MeetingDocument.Kind",
        "TableContributionKindEnum": "meetings.models.TableContribution.Kind",
        "AgendaItemKindEnum": "meetings.models.AgendaItem.Kind",
        "AgendaItemStateEnum": "meetings.models.AgendaItem.State",
        "BallotKindEnum": "votes.models.Ballot.Kind",
        "QuestionKindEnum": "questionnaires.models.Question.Kind",
        "RecommendationStatusEnum": "recommendations.models.Recommendation.Status",
        "AdoptionModeEnum": "recommendations.models.Recommendation.AdoptionMode",
        "DossierStatusEnum": "recommendations.models.Dossier.Status",
        "RegionAnswerStatusEnum": "recommendations.models.RegionAnswer.Status",
        "TerritoryKindEnum": "assembly.models.Territory.Kind",
        "PartnerOrganisationKindEnum": "assembly.models.PartnerOrganisation.Kind",
        "CollegeEnum": "assembly.models.College",
        "GenderEnum": "assembly.models.Gender",
    },
    # `<id:...>` in a path (core/ids.py): a row id, 1 to 2⁶³ − 1; past it the answer is 404.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}},
    # Swagger UI and ReDoc come from the project's static files, not a CDN (core/api/docs.py).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # `manage.py check --deploy` stays about security; tests/test_schema.py fails on any schema warning.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# --- Domain settings -----------------------------------------------------------------------
# Minutes during which the author of a comment may still edit it.
PROPOSALS_COMMENT_EDIT_MINUTES = env_int("PROPOSALS_COMMENT_EDIT_MINUTES", 15, minimum=0)
# Seconds a sitting's check-in QR code stays valid.
MEETINGS_CHECKIN_TOKEN_MAX_AGE = env_int("MEETINGS_CHECKIN_TOKEN_MAX_AGE", 15 * 60, minimum=30)
# Seconds between two fresh check-in QR codes on the staff page and the room screen. A code must outlive
# its rotation (a member scanning just before the change still checks in): at most half the token's life.
MEETINGS_CHECKIN_QR_ROTATION = env_int("MEETINGS_CHECKIN_QR_ROTATION", 60, minimum=10)
if MEETINGS_CHECKIN_QR_ROTATION * 2 > MEETINGS_CHECKIN_TOKEN_MAX_AGE:
    raise ImproperlyConfigured(
        "MEETINGS_CHECKIN_QR_ROTATION: at most half of MEETINGS_CHECKIN_TOKEN_MAX_AGE "
        f"({MEETINGS_CHECKIN_QR_ROTATION} s for codes valid {MEETINGS_CHECKIN_TOKEN_MAX_AGE} s)"
    )

# --- Realtime ------------------------------------------------------------------------------
# Largest websocket message a client may send, in bytes (uvicorn's own limit, `ws_max_size`, is set from it).
WEBSOCKET_MAX_MESSAGE_BYTES = env_int("WEBSOCKET_MAX_MESSAGE_BYTES", 4096, minimum=256)
# Messages a client may send per second before it is closed.
WEBSOCKET_MAX_MESSAGES_PER_SECOND = env_int("WEBSOCKET_MAX_MESSAGES_PER_SECOND", 20, minimum=1)
# Prefix of the Redis pub/sub channels that carry notifications between worker processes.
REALTIME_BUS_PREFIX = env_str("REALTIME_BUS_PREFIX", "agora")
# Rooms write each broadcast frame once, straight to uvicorn's transports (realtime/frames.py). It
# reads private attributes of uvicorn's websocket protocol: off by default (docs/performance-live.md).
REALTIME_DIRECT_FRAMES = env_bool("REALTIME_DIRECT_FRAMES", False)

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# A form refused for its CSRF token gets the site's 403 page, saying what to do (core/error_pages.py).
CSRF_FAILURE_VIEW = "core.error_pages.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", "ws:", "wss:"] if not PRODUCTION else ["'self'", "wss:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", ["DEBUG", "INFO", "WARNING", "ERROR"], "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Password of the demo accounts made by `manage.py seed_demo` (never used in production).
AGORA_DEMO_PASSWORD = env_parsed("AGORA_DEMO_PASSWORD", str, "agora-demo-2026")
