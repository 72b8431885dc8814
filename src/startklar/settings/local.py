"""Settings for ``startklar demo`` and local development: data under ``./var/``.

The demo behaves like the product (DEBUG off, its own error pages); developers set ``DEBUG=1``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool


def _local_secret_key() -> str:
    """A key made once per ``var/`` folder, so sessions survive restarts of the demo."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _local_secret_key()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT: Path | None = None  # type: ignore[no-redef]  # served from the app folders
WHITENOISE_AUTOREFRESH = DEBUG
