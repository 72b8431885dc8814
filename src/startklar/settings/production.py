"""Settings for ``startklar serve``: DEBUG off, secrets and hosts from the environment."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# Background work (invitation e-mails) waits in the database for ``startklar worker``.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # allows, does not submit
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    # Only behind a reverse proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One database connection per worker, kept between requests (gunicorn's sync workers serve one
# request at a time): no connect and no PRAGMAs per request. Checked before reuse.
DATABASES["default"].setdefault("CONN_MAX_AGE", 600)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
