"""The production settings with one more page, for ``bench/pages.py`` only.

Used as ``DJANGO_SETTINGS_MODULE=pagesite`` (with ``bench/`` on the path): everything as in
production, and the URL map of ``pageurls`` (the project's own plus the hello page).
"""

from __future__ import annotations

from startklar.settings.production import *  # noqa: F403

ROOT_URLCONF = "pageurls"
