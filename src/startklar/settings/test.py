"""Settings for the test suite: a fixed key, a fast password hasher and in-memory mail."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key-not-secret-0123456789-0123456789-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT: Path | None = None  # type: ignore[no-redef]  # served from the app folders

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's default in-memory database: the browser tests' live server answers
    # in several threads, and an in-memory database shared between threads answers "database
    # table is locked" at once instead of waiting, which fails requests at random. One file per
    # test process (pytest-django adds the xdist worker's name); Django deletes it afterwards.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"startklar-test-{os.getpid()}.sqlite3")
    }
else:
    # The test database's name fixed up front (Django's default is derived from the current
    # name, which changes once the test database is set up), so a test can tell whether it
    # runs on it (tests/browser/test_every_page.py).
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}"}  # noqa: F405
