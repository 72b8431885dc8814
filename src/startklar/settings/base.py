"""Settings shared by every environment.

Everything an operator may change comes from environment variables, documented in the README.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from startklar.core import features

django_stubs_ext.monkeypatch()  # lets ModelForm[Model] and friends be subscripted at run time

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STARTKLAR_VAR_DIR", "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_env() -> dict[str, object]:
    """``DATABASE_URL`` if set, else SQLite in ``VAR_DIR`` with WAL (readers do not block)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "startklar.sqlite3",
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "startklar.core",
    *features.apps(),  # every startklar/<feature>/feature.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "startklar.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "startklar.core.middleware.PrivacyMiddleware",
    "startklar.core.middleware.ControlCharacterMiddleware",
    "startklar.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "startklar.core.pages.KeptPageMiddleware",  # last: keeps exactly what the view answered
]

ROOT_URLCONF = "startklar.urls"
WSGI_APPLICATION = "startklar.wsgi.application"

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
                "startklar.organisations.context_processors.shell",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "startklar.core.templatetags.startklar",
                "template_partials.templatetags.partials",
            ],
        },
    }
]

FORM_RENDERER = "startklar.core.forms.FormRenderer"

DATABASES = {"default": database_from_env()}

# Each worker's memory: simulations and rendered parts of pages kept under keys of everything
# they show (``core.kept``), so entries never go stale; when it is full, the third used least
# recently goes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and security -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organisations:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Lock an account (per user name and IP address) after five failed logins for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "startklar.accounts.security.client_ip"
# Reverse proxies whose X-Forwarded-For is believed (e.g. "127.0.0.1" for nginx on the host).
STARTKLAR_TRUSTED_PROXIES = env_list("STARTKLAR_TRUSTED_PROXIES", [])
# Failed sign-ins from one address, over all user names, before it must wait (password spraying).
STARTKLAR_LOGIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("STARTKLAR_LOGIN_FAILURES_PER_ADDRESS", "20")
)
AXES_USERNAME_FORM_FIELD = "username"  # the login form field, which holds the e-mail address
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
# Absolute session age (the idle timeout is STARTKLAR_SESSION_IDLE_HOURS below).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 24 * 14)))
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# No inline scripts or styles, nothing from other hosts. Vega charts run with the expression
# interpreter, so 'unsafe-eval' is not needed either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "startklar_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["startklar.formats"]

# Static files: vendored in the package, served by WhiteNoise (no CDN, works offline) --------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail: console by default; SMTP when EMAIL_HOST is set ------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Startklar <startklar@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people open Startklar at, for links in e-mails that no request starts (the
# worker's weekly roadmap e-mail): STARTKLAR_BASE_URL, else the first trusted origin.
STARTKLAR_BASE_URL = (
    os.environ.get("STARTKLAR_BASE_URL", "").strip()
    or next(iter(CSRF_TRUSTED_ORIGINS), "http://localhost:8000")
).rstrip("/")

# Background work (django-tasks). The immediate backend runs tasks in the request (demo and
# tests); production queues them in the database for ``startklar worker``. ------------------
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# How often the worker does its housekeeping (expired sessions, old audit entries, organisations
# whose deletion is due), in seconds.
STARTKLAR_HOUSEKEEPING_SECONDS = int(os.environ.get("STARTKLAR_HOUSEKEEPING_SECONDS", "3600"))

# Product settings -----------------------------------------------------------------------------
STARTKLAR_INVITATION_DAYS = 7
# Limits on what sends e-mail to any address (within 24 hours).
STARTKLAR_INVITATIONS_PER_DAY = int(os.environ.get("STARTKLAR_INVITATIONS_PER_DAY", "20"))
STARTKLAR_INVITATIONS_PER_ADDRESS = int(os.environ.get("STARTKLAR_INVITATIONS_PER_ADDRESS", "3"))
STARTKLAR_ORGANISATIONS_PER_DAY = int(os.environ.get("STARTKLAR_ORGANISATIONS_PER_DAY", "5"))
# Password-reset e-mails within an hour: to one address, and requested from one client.
STARTKLAR_RESETS_PER_ADDRESS = int(os.environ.get("STARTKLAR_RESETS_PER_ADDRESS", "3"))
STARTKLAR_RESETS_PER_CLIENT = int(os.environ.get("STARTKLAR_RESETS_PER_CLIENT", "10"))
# Uploads (Excel imports) larger than this are cut off while they arrive.
STARTKLAR_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Files for the data check (exports, Excel lists) may be larger.
STARTKLAR_DATACHECK_MAX_BYTES = int(
    os.environ.get("STARTKLAR_DATACHECK_MAX_BYTES", str(200 * 1024 * 1024))
)
FILE_UPLOAD_HANDLERS = [
    "startklar.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Audit-log entries are kept this many days, then deleted by the worker's housekeeping.
STARTKLAR_AUDIT_RETENTION_DAYS = int(os.environ.get("STARTKLAR_AUDIT_RETENTION_DAYS", "365"))
# A deleted organisation can be restored by its owners for this many days.
STARTKLAR_DELETION_GRACE_DAYS = int(os.environ.get("STARTKLAR_DELETION_GRACE_DAYS", "14"))
# A session ends after this many hours without a request (besides SESSION_COOKIE_AGE).
# Memory per process for pages kept rendered until their data changes (core/pages.py); 0: off.
STARTKLAR_KEPT_PAGES_MB = float(os.environ.get("STARTKLAR_KEPT_PAGES_MB", "32"))
STARTKLAR_SESSION_IDLE_HOURS = float(os.environ.get("STARTKLAR_SESSION_IDLE_HOURS", "8"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
